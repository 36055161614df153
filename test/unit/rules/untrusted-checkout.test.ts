import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { run, texts } from '../../support/attack-path-rules';

const prt = (checkout: string, steps: string, extra = '') =>
  `on: pull_request_target\njobs:\n  test:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${checkout}${steps}`;
const headCheckout = '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n';

test('prt-scan: head checkout then npm install', () => {
  const text = prt(headCheckout, '      - run: npm install\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n');
  const findings = run('untrusted-checkout', text);
  assert.deepEqual(texts(text, findings), ['npm']);
  assert.equal(findings[0].severity, 'high');
  assert.match(findings[0].message, /NPM_TOKEN/);
});

test('spotbugs: merge ref + mvn; Trivy: local action after merge checkout; PostHog: script', () => {
  const merge = '      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.number }}/merge\n';
  assert.equal(run('untrusted-checkout', prt(merge, '      - run: mvn -B verify\n')).length, 1);
  const trivy = prt(merge, '      - uses: ./.github/actions/setup-go\n');
  assert.deepEqual(texts(trivy, run('untrusted-checkout', trivy)), ['./.github/actions/setup-go']);
  assert.equal(run('untrusted-checkout', prt(headCheckout, '      - run: ./scripts/publish.sh\n')).length, 1);
  assert.equal(
    run('untrusted-checkout', prt('      - run: gh pr checkout ${{ github.event.number }}\n', '      - run: make test\n')).length,
    1,
  );
});

test('hardened: default (base) checkout, or head checkout that only reads data', () => {
  assert.equal(run('untrusted-checkout', prt('      - uses: actions/checkout@v4\n', '      - run: npm install\n')).length, 0);
  assert.equal(
    run('untrusted-checkout', prt(headCheckout, '      - run: git diff --stat HEAD~1\n      - uses: actions/labeler@v5\n')).length,
    0,
  );
  const plain = `on: pull_request\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n${headCheckout}      - run: npm install\n`;
  assert.equal(run('untrusted-checkout', plain).length, 0);
});

test('a subdirectory checkout is medium confidence', () => {
  const sub =
    '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n          path: pr\n';
  const [finding] = run('untrusted-checkout', prt(sub, '      - run: cd pr && make\n'));
  assert.equal(finding.confidence, 'medium');
});
