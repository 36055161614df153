import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { run, texts } from '../../support/attack-path-rules';

const step = (script: string, extra = '') => `on: push\njobs:\n  a:\n    runs-on: x\n${extra}    steps:\n      - run: ${script}\n`;

test('adhoc-packages: unversioned installs, on the package names', () => {
  const text = step('pip install ruff black==24.1.0');
  assert.deepEqual(texts(text, run('adhoc-packages', text)), ['ruff']);
  assert.equal(run('adhoc-packages', step('npm install -g pnpm')).length, 1);
  assert.equal(run('adhoc-packages', step('go install golang.org/x/tools/cmd/goimports@latest')).length, 1);
  assert.equal(run('adhoc-packages', step('sudo apt-get install -y jq'))[0].persona, 'pedantic');
});

test('adhoc-packages: versions, lock files and requirement files are clean', () => {
  for (const script of [
    'pip install -r requirements.txt',
    'npm ci',
    'npm install',
    'pip install -e .',
    'go install golang.org/x/tools/cmd/goimports@v0.26.0',
    'gem install bundler -v 2.5.0',
    'npm i -g pnpm@9.1.0',
    'cargo install cargo-deny --locked --version 0.16.1',
  ]) {
    assert.equal(run('adhoc-packages', step(script)).length, 0, script);
  }
});

test('LiteLLM: unpinned install in a publishing job is worse', () => {
  const text = `on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: sudo apt-get install -y trivy\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n`;
  const [finding] = run('adhoc-packages', text);
  assert.equal(finding.severity, 'medium');
  assert.equal(finding.persona, 'regular');
});

test('adhoc-packages: the value of an option is not a package (ruff --find-links dist, uv --python 3.13)', () => {
  const clean = [
    'pip install --force-reinstall --find-links dist "${PACKAGE_NAME}"',
    './uv pip install "anyio==4.4.0" --system --python 3.13t',
    'uv pip install -p venv/bin/python --index-url https://example.org/simple "pkg>=1"',
    'sudo apt-get install -t bookworm-backports -y golang=2:1.22~3',
    'cargo install --root /opt cargo-deny@0.16.1',
  ];
  for (const script of clean) assert.deepEqual(texts(step(script), run('adhoc-packages', step(script))), [], script);
  // The packages around the options are still seen.
  const text = step('./uv pip install anyio --system --python 3.13');
  assert.deepEqual(texts(text, run('adhoc-packages', text)), ['anyio']);
  const withPkg = step('uv tool install --with keyrings.alt --python 3.12 keyring');
  const [finding] = run('adhoc-packages', withPkg);
  assert.match(finding.message, /installs `keyrings\.alt`, `keyring` without a version/);
});

test('adhoc-packages: option values of npm, go, apk and dnf are not packages (--loglevel verbose, -C dir, --registry URL)', () => {
  const clean = [
    'npm install -g --loglevel verbose ./pkg.tgz',
    'npm install -g --registry https://registry.example.org --loglevel verbose left-pad@1.3.0',
    'pnpm add -C packages/web --reporter silent lodash@4.17.21',
    'yarn add --cwd web --network-timeout 100000 react@18.3.1',
    'go install -C tools golang.org/x/tools/cmd/stringer@v0.26.0',
    'apk add --virtual .build-deps gcc=13.2.1-r0',
    'dnf install --setopt install_weak_deps=False -y make-4.4',
  ];
  for (const script of clean) assert.deepEqual(texts(step(script), run('adhoc-packages', step(script))), [], script);
  // The package after the option value is still reported.
  const text = step('npm install -g --loglevel verbose --registry https://registry.example.org typescript');
  assert.deepEqual(texts(text, run('adhoc-packages', text)), ['typescript']);
  const apk = step('apk add --virtual .build-deps gcc');
  assert.deepEqual(texts(apk, run('adhoc-packages', apk)), ['gcc']);
});

test('adhoc-packages: `go install tool` builds the tool directives of go.mod, at their pinned versions', () => {
  assert.equal(run('adhoc-packages', step('go install tool')).length, 0);
  const text = step('go install tool golang.org/x/vuln/cmd/govulncheck');
  assert.deepEqual(texts(text, run('adhoc-packages', text)), ['golang.org/x/vuln/cmd/govulncheck']);
});
