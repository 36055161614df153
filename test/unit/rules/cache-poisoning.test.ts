import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fixAndRecheck, run, texts } from '../../support/attack-path-rules';

const release = (steps: string, env = '') =>
  `on:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n${env}    permissions:\n      id-token: write\n    steps:\n${steps}      - run: uv publish\n`;

test('cache-enabled setup action in a tag-triggered publishing job', () => {
  const text = release('      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: true\n');
  const findings = run('cache-poisoning', text);
  assert.deepEqual(texts(text, findings), ['enable-cache']);
  assert.equal(findings[0].confidence, 'medium');
});

test('caching off, ACTIONS_CACHE_MODE none, or default-off actions are clean', () => {
  assert.equal(
    run('cache-poisoning', release('      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: false\n')).length,
    0,
  );
  assert.equal(run('cache-poisoning', release('      - uses: actions/setup-python@v5\n')).length, 0);
  assert.equal(
    run('cache-poisoning', release('      - uses: swatinem/rust-cache@v2\n', '    env:\n      ACTIONS_CACHE_MODE: none\n')).length,
    0,
  );
  assert.equal(
    run('cache-poisoning', 'on: pull_request\njobs:\n  t:\n    runs-on: x\n    steps:\n      - uses: actions/setup-go@v5\n').length,
    0,
  );
});

test('per-version defaults: setup-go v3 off, v5 on', () => {
  assert.equal(run('cache-poisoning', release('      - uses: actions/setup-go@v3\n')).length, 0);
  assert.equal(run('cache-poisoning', release('      - uses: actions/setup-go@v5\n')).length, 1);
});

test('only id-token: write (no publish step) is pedantic (zizmor#2079)', () => {
  const text =
    'on: push\njobs:\n  bench:\n    runs-on: x\n    permissions:\n      id-token: write\n    steps:\n      - uses: swatinem/rust-cache@v2\n';
  assert.equal(run('cache-poisoning', text)[0].persona, 'pedantic');
});

test('TanStack: pull_request_target job building PR code writes the cache', () => {
  const text =
    'on: pull_request_target\njobs:\n  build:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - uses: actions/setup-node@v4\n        with:\n          cache: pnpm\n      - run: pnpm install\n';
  const [finding] = run('cache-poisoning', text);
  assert.match(finding.message, /writes the cache/);
});

test('fixes: setup-uv enable-cache false, setup-go cache false, setup-node cache empty', () => {
  assert.ok(
    fixAndRecheck(
      'cache-poisoning',
      release('      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: true\n'),
    ).includes('enable-cache: false'),
  );
  assert.ok(
    fixAndRecheck('cache-poisoning', release('      - uses: actions/setup-go@v5\n')).includes('        with:\n          cache: false\n'),
  );
  assert.ok(
    fixAndRecheck('cache-poisoning', release('      - uses: actions/setup-node@v4\n        with:\n          cache: npm\n')).includes(
      "cache: ''",
    ),
  );
});
