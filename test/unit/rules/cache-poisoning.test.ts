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

const job = (on: string, steps: string, extra = '') =>
  `on:\n${on}jobs:\n  build:\n    runs-on: ubuntu-latest\n${extra}    steps:\n${steps}`;
const releaseBranch = "  push:\n    branches: ['release/**']\n";
const branchAndTags = "  push:\n    branches: [main]\n    tags: ['v*']\n";
const tagsOnly = "  push:\n    tags: ['v*']\n";

test('a push to a release branch is not publishing by itself: only jobs that publish are reported', () => {
  const ci = job(releaseBranch, '      - uses: actions/setup-go@v5\n      - run: go test ./...\n');
  assert.deepEqual(run('cache-poisoning', ci), []);
  const publishing = job(releaseBranch, '      - uses: actions/setup-go@v5\n      - run: docker push ghcr.io/o/app:latest\n');
  const [finding] = run('cache-poisoning', publishing);
  assert.match(finding.message, /which publishes \(`docker push`\)/);
  assert.equal(finding.persona, 'regular');
});

test('release assets: gh release upload, or create with files, publish; a bare gh release create does not', () => {
  const bare = job(
    releaseBranch,
    '      - uses: actions/setup-go@v5\n      - run: gh release create "$TAG" --title "$TAG" --notes-file notes.md\n',
  );
  assert.deepEqual(run('cache-poisoning', bare), []);
  for (const command of ['gh release create "$TAG" --title "$TAG" dist/app.tar.gz', 'gh release upload "$TAG" dist/app.tar.gz']) {
    const text = job(releaseBranch, `      - uses: actions/setup-go@v5\n      - run: go build -o dist/app .\n      - run: ${command}\n`);
    assert.equal(run('cache-poisoning', text).length, 1, command);
  }
});

test('lookup-only: true restores nothing', () => {
  const cache = (extra: string) =>
    job(
      tagsOnly,
      `      - uses: actions/cache@v4\n        with:\n          path: ~/.cache\n          key: k\n${extra}      - run: cargo publish\n`,
    );
  assert.deepEqual(run('cache-poisoning', cache('          lookup-only: true\n')), []);
  assert.equal(run('cache-poisoning', cache('          lookup-only: false\n')).length, 1);
});

test('publishing downloaded files only (uv publish of wheels built elsewhere) takes nothing from the cache', () => {
  const steps = (extra: string) =>
    `      - uses: actions/download-artifact@v4\n      - uses: astral-sh/setup-uv@v6\n${extra}      - run: uv publish --trusted-publishing=always wheels-*/*\n`;
  assert.deepEqual(run('cache-poisoning', job(tagsOnly, steps(''), '    permissions:\n      id-token: write\n')), []);
  // Building in the same job uses what the cache restored.
  const builds = job(tagsOnly, steps('      - run: uv build\n'), '    permissions:\n      id-token: write\n');
  assert.equal(run('cache-poisoning', builds).length, 1);
});

test('setup-node v5+ caches automatically (package-manager-cache) unless turned off', () => {
  const node = (ref: string, extra = '') => job(tagsOnly, `      - uses: actions/setup-node@${ref}\n${extra}      - run: npm publish\n`);
  const [v6] = run('cache-poisoning', node('v6'));
  assert.match(
    v6.message,
    /may restore a cache \(v6 caches automatically when package\.json names npm as its package manager; `package-manager-cache: false` turns it off\)/,
  );
  assert.equal(v6.confidence, 'low');
  assert.match(run('cache-poisoning', node('v5'))[0].message, /v5 caches automatically when package\.json has a `packageManager` field/);
  assert.deepEqual(run('cache-poisoning', node('v6', '        with:\n          package-manager-cache: false\n')), []);
  assert.deepEqual(run('cache-poisoning', node('v4')), []);
  // The quick fix turns it off.
  assert.ok(fixAndRecheck('cache-poisoning', node('v6')).includes('package-manager-cache: false'));
});

test('ramsey/composer-install, setup-buildx-action binary cache, build-push-action cache-from type=gha', () => {
  const release = (steps: string) => job(tagsOnly, `${steps}      - run: gh release upload "$TAG" dist/app.phar\n`);
  assert.equal(run('cache-poisoning', release('      - uses: ramsey/composer-install@v3\n')).length, 1);
  assert.deepEqual(
    run('cache-poisoning', release("      - uses: ramsey/composer-install@v3\n        with:\n          ignore-cache: 'yes'\n")),
    [],
  );
  const buildx = (extra: string) => release(`      - uses: docker/setup-buildx-action@v3\n${extra}`);
  assert.equal(run('cache-poisoning', buildx('        with:\n          version: v0.19.0\n')).length, 1);
  assert.deepEqual(run('cache-poisoning', buildx('')), []);
  assert.deepEqual(run('cache-poisoning', buildx('        with:\n          version: v0.19.0\n          cache-binary: false\n')), []);
  const push = (cacheFrom: string) =>
    job(
      '  push:\n    branches: [main]\n',
      `      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          cache-from: ${cacheFrom}\n`,
    );
  const [gha] = run('cache-poisoning', push('type=gha'));
  assert.match(gha.message, /`docker\/build-push-action` restores a cache in job `build`, which publishes \(`docker\/build-push-action`\)/);
  assert.deepEqual(run('cache-poisoning', push('type=registry,ref=ghcr.io/o/app:${{ github.ref_name }}')), []);
});

test('a push of branches and tags is a release for the tag part only', () => {
  const ci = job(branchAndTags, '      - uses: actions/setup-go@v5\n      - run: go test ./...\n');
  assert.deepEqual(run('cache-poisoning', ci), []);
  const toggle = (expression: string) =>
    job(
      branchAndTags,
      `      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: \${{ ${expression} }}\n      - run: uv build\n`,
    );
  const [onTags] = run('cache-poisoning', toggle("startsWith(github.ref, 'refs/tags/')"));
  assert.match(onTags.message, /restores a cache on tag pushes/);
  assert.equal(onTags.persona, 'regular');
  assert.deepEqual(run('cache-poisoning', toggle("!startsWith(github.ref, 'refs/tags/')")), []);
  assert.equal(run('cache-poisoning', toggle("github.ref_type == 'tag'")).length, 1);
  // OIDC in a workflow that runs for tags is how the job publishes.
  const oidc = job(
    branchAndTags,
    '      - uses: swatinem/rust-cache@v2\n      - run: ./scripts/release.sh\n',
    '    permissions:\n      id-token: write\n',
  );
  assert.equal(run('cache-poisoning', oidc)[0].persona, 'regular');
});
