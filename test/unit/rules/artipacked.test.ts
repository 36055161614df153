import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { toCRLF, yaml } from '../../support/analysis';
import { fixAndRecheck, run, texts } from '../../support/attack-path-rules';

const base = (steps: string) => `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

test('flags checkout without persist-credentials, on the uses value', () => {
  const text = base('      - uses: actions/checkout@v4\n      - run: make\n');
  const findings = run('artipacked', text);
  assert.deepEqual(texts(text, findings), ['actions/checkout@v4']);
  assert.equal(findings[0].severity, 'medium');
});

test('persist-credentials: false is clean; true is auditor-only; v6 lowers severity', () => {
  assert.equal(
    run('artipacked', base('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n')).length,
    0,
  );
  const t = run('artipacked', base('      - uses: actions/checkout@v4\n        with:\n          persist-credentials: true\n'));
  assert.equal(t[0].persona, 'auditor');
  assert.equal(
    run('artipacked', base('      - uses: actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3 # v6.0.0\n'))[0].severity,
    'low',
  );
});

test('ArtiPACKED: uploading the workspace raises severity and confidence', () => {
  const text = base(
    '      - uses: actions/checkout@v4\n      - uses: actions/upload-artifact@v4\n        with:\n          name: site\n          path: .\n',
  );
  const [finding] = run('artipacked', text);
  assert.equal(finding.severity, 'high');
  assert.equal(finding.confidence, 'high');
});

test('a later git push makes it pedantic (zizmor#755)', () => {
  const [finding] = run(
    'artipacked',
    base('      - uses: actions/checkout@v4\n      - run: |\n          git commit -am x\n          git push\n'),
  );
  assert.equal(finding.persona, 'pedantic');
});

test('fix adds persist-credentials under an existing with:, keeping comments and CRLF', () => {
  const text = base('      - uses: actions/checkout@v4 # pinned later\n        with:\n          # depth\n          fetch-depth: 0\n');
  const fixed = fixAndRecheck('artipacked', text);
  assert.ok(fixed.includes('        with:\n          persist-credentials: false\n          # depth\n          fetch-depth: 0\n'), fixed);
  const crlf = toCRLF(text);
  assert.ok(fixAndRecheck('artipacked', crlf).includes('persist-credentials: false\r\n'));
});

test('fix creates with: when absent, at the step key indentation', () => {
  const text = base('      - name: co\n        uses: actions/checkout@v4\n      - run: make\n');
  const fixed = fixAndRecheck('artipacked', text);
  assert.ok(
    fixed.includes('        uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n      - run: make'),
    fixed,
  );
  const flow = base('      - uses: actions/checkout@v4\n        with: { fetch-depth: 0 }\n');
  assert.ok(fixAndRecheck('artipacked', flow).includes('with: { fetch-depth: 0, persist-credentials: false }'));
});

test('composite actions are checked too; malformed input does not throw', () => {
  const action = yaml`
    runs:
      using: composite
      steps:
        - uses: actions/checkout@v4
  `;
  assert.equal(run('artipacked', action, 'action.yml').length, 1);
  for (const bad of [
    'jobs: 3',
    'jobs:\n  a:\n    steps: x',
    'jobs:\n  a:\n    steps:\n      - uses: [1]\n      - with: 2\n        uses: actions/checkout@v4',
  ])
    run('artipacked', `on: push\n${bad}`);
});

test('a SHA pin is recognised by the bundled release table, with or without a comment', () => {
  const severity = (uses: string) => run('artipacked', base(`      - uses: ${uses}\n      - run: make\n`))[0].severity;
  // v6.0.0 and v6.0.2 of actions/checkout: credentials under $RUNNER_TEMP, no comment needed.
  assert.equal(severity('actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3'), 'low');
  assert.equal(severity('actions/checkout@de0fac2e4500dabe0009e67214ff5f5447ce83dd'), 'low');
  // v4.2.2 and v5.0.0: .git/config; a comment claiming v6 does not change what the commit is.
  assert.equal(severity('actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683'), 'medium');
  assert.equal(severity('actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v6.0.0'), 'medium');
  // A commit the table does not know falls back to the comment.
  assert.equal(severity('actions/checkout@0123456789abcdef0123456789abcdef01234567 # v6.1.0'), 'low');
  assert.equal(severity('actions/checkout@0123456789abcdef0123456789abcdef01234567'), 'medium');
});

test('a computed persist-credentials names the place of the token of that checkout version', () => {
  const step = (version: string) =>
    `      - uses: actions/checkout@${version}\n        with:\n          persist-credentials: \${{ inputs.persist }}\n      - run: make\n`;
  const message = (version: string) => run('artipacked', base(step(version)))[0]?.message ?? '';
  assert.match(message('v4'), /when it is true the token stays in `\.git\/config`/);
  assert.match(message('v6'), /when it is true the token stays in a credentials file the git config points to/);
  assert.doesNotMatch(message('v6'), /\.git\/config/);
});
