import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { run, texts } from './attack-path-helpers';

test('secrets-inherit: on the inherit token; local callee is low', () => {
  const text = 'on: push\njobs:\n  a:\n    uses: org/repo/.github/workflows/r.yml@v1\n    secrets: inherit\n  b:\n    uses: ./.github/workflows/l.yml\n    secrets: inherit\n  c:\n    uses: ./.github/workflows/l.yml\n    secrets:\n      X: ${{ secrets.X }}\n';
  const findings = run('secrets-inherit', text);
  assert.deepEqual(texts(text, findings), ['inherit', 'inherit']);
  assert.deepEqual(findings.map((f) => f.severity), ['medium', 'low']);
});

test('secrets-outside-env: auditor, names the secrets, environment and allow list silence it', () => {
  const job = (extra: string) => `on: push\njobs:\n  publish:\n    runs-on: x\n${extra}    steps:\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n          GH: \${{ secrets.GITHUB_TOKEN }}\n`;
  const findings = run('secrets-outside-env', job(''));
  assert.equal(findings.length, 1);
  assert.equal(findings[0].persona, 'auditor');
  assert.match(findings[0].message, /PYPI_TOKEN/);
  assert.equal(texts(job(''), findings)[0], 'secrets.PYPI_TOKEN');
  assert.equal(run('secrets-outside-env', job('    environment: release\n')).length, 0);
  assert.equal(run('secrets-outside-env', job(''), undefined, { allow: ['pypi_token'] }).length, 0);
  assert.equal(run('secrets-outside-env', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secrets.GITHUB_TOKEN }}\n').length, 0);
  assert.equal(run('secrets-outside-env', 'on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secrets.X }}\n').length, 0);
});

test('use-trusted-publishing: pypi-publish password, twine with token env, npm publish with NODE_AUTH_TOKEN', () => {
  const pypi = 'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n';
  assert.deepEqual(texts(pypi, run('use-trusted-publishing', pypi)), ['password']);
  const npm = 'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: npm publish --access public\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n';
  assert.deepEqual(texts(npm, run('use-trusted-publishing', npm)), ['npm publish']);
  const cargo = 'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: cargo publish --token ${{ secrets.CRATES }}\n';
  assert.equal(run('use-trusted-publishing', cargo).length, 1);
});

test('use-trusted-publishing: OIDC, no credential, dry runs are clean', () => {
  assert.equal(run('use-trusted-publishing', 'on: push\njobs:\n  p:\n    runs-on: x\n    permissions:\n      id-token: write\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n      - run: uv publish\n').length, 0);
  assert.equal(run('use-trusted-publishing', 'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: cargo publish --dry-run\n        env:\n          CARGO_REGISTRY_TOKEN: ${{ secrets.T }}\n').length, 0);
});

test('self-hosted-runner: auditor by default, regular and high on fork pull requests', () => {
  const quiet = run('self-hosted-runner', 'on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    steps: []\n');
  assert.equal(quiet[0].persona, 'auditor');
  const loud = run('self-hosted-runner', 'on: pull_request\njobs:\n  a:\n    runs-on: self-hosted\n    steps: []\n');
  assert.equal(loud[0].persona, 'regular');
  assert.equal(loud[0].severity, 'high');
  assert.equal(run('self-hosted-runner', 'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n').length, 0);
  const matrix = 'on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, self-hosted]\n    runs-on: ${{ matrix.os }}\n    steps: []\n';
  assert.equal(run('self-hosted-runner', matrix).length, 1);
});
