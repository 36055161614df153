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
