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

// ---------------------------------------------------------------------------------------------------
// Through a caller: a reusable workflow is as privileged as the workflows of the repository that call it.

const reusable = [
  'on:',
  '  workflow_call:',
  '    inputs:',
  '      extras: { type: string, required: false }',
  'jobs:',
  '  fmt:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with:',
  '          ref: ${{ github.event.pull_request.head.sha }}',
  '      - run: pip install .',
  '',
].join('\n');
const callerOn = (trigger: string, extra = '') =>
  `on: ${trigger}\n${extra}jobs:\n  style:\n    uses: ./.github/workflows/fmt.yml\n    secrets:\n      token: \${{ secrets.BOT_TOKEN }}\n`;

test('a reusable workflow called under issue_comment: reported in it, naming the caller, and on the caller uses: line', async () => {
  const { workspaceOf } = await import('../../support/workspace');
  for (const excludeAnalysed of [false, true]) {
    const space = workspaceOf(
      {
        '.github/workflows/fmt.yml': reusable,
        '.github/workflows/bot.yml': callerOn('issue_comment'),
        '.github/workflows/ci.yml': callerOn('push'),
      },
      { excludeAnalysed },
    );
    const [called] = space.findings('.github/workflows/fmt.yml', 'untrusted-checkout');
    assert.ok(called, 'the called workflow is reported');
    assert.deepEqual(texts(reusable, [called]), ['pip']);
    assert.match(called.message, /called under `issue_comment` by `\.github\/workflows\/bot\.yml`/);
    assert.doesNotMatch(called.message, /ci\.yml/, 'the push caller brings no privilege');
    // No permissions anywhere: the default token of the caller can write.
    assert.equal(called.severity, 'high');
    const viaCaller = called.related.find((related) => related.uri === 'file:///repo/.github/workflows/bot.yml');
    assert.ok(viaCaller, 'the caller is a related location in its own file');
    assert.equal(viaCaller.range.start.line, 3);
    const bot = callerOn('issue_comment');
    const onCaller = space.findings('.github/workflows/bot.yml', 'untrusted-checkout');
    assert.deepEqual(texts(bot, onCaller), ['./.github/workflows/fmt.yml']);
    assert.match(onCaller[0].message, /calls `\.github\/workflows\/fmt\.yml` under `issue_comment`.*runs `pip install \.`/);
    assert.equal(onCaller[0].related[0].uri, 'file:///repo/.github/workflows/fmt.yml');
    assert.deepEqual(space.findings('.github/workflows/ci.yml', 'untrusted-checkout'), [], 'push: no privileged caller');
  }
});

test('a reusable workflow only called under push, or with no caller in the workspace, is not reported', async () => {
  const { workspaceOf } = await import('../../support/workspace');
  const pushOnly = workspaceOf({ '.github/workflows/fmt.yml': reusable, '.github/workflows/ci.yml': callerOn('push') });
  assert.deepEqual(pushOnly.findings('.github/workflows/fmt.yml', 'untrusted-checkout'), []);
  const alone = workspaceOf({ '.github/workflows/fmt.yml': reusable });
  assert.deepEqual(alone.findings('.github/workflows/fmt.yml', 'untrusted-checkout'), []);
  // Without a workspace view (a single file), nothing changes either.
  assert.deepEqual(run('untrusted-checkout', reusable), []);
});

test("a called workflow's own read-only permissions limit what the caller's token brings; a chain of callers is followed", async () => {
  const { workspaceOf } = await import('../../support/workspace');
  const readOnly = reusable.replace('  fmt:\n', '  fmt:\n    permissions:\n      contents: read\n');
  const space = workspaceOf({
    '.github/workflows/fmt.yml': readOnly,
    '.github/workflows/middle.yml': 'on: workflow_call\njobs:\n  m:\n    uses: ./.github/workflows/fmt.yml\n',
    '.github/workflows/top.yml': 'on: pull_request_target\njobs:\n  t:\n    uses: ./.github/workflows/middle.yml\n',
  });
  const [finding] = space.findings('.github/workflows/fmt.yml', 'untrusted-checkout');
  assert.ok(finding);
  assert.match(finding.message, /under `pull_request_target` by `\.github\/workflows\/middle\.yml`/);
  assert.equal(finding.severity, 'medium', 'read-only token, no secret referenced');
});
