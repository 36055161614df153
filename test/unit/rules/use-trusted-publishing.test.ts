import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { run, texts } from '../../support/attack-path-rules';
import { expectFindings } from '../../support/expect-findings';

test('use-trusted-publishing: pypi-publish password, twine with token env, npm publish with NODE_AUTH_TOKEN', () => {
  const pypi =
    'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n';
  assert.deepEqual(texts(pypi, run('use-trusted-publishing', pypi)), ['password']);
  const npm =
    'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: npm publish --access public\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n';
  assert.deepEqual(texts(npm, run('use-trusted-publishing', npm)), ['npm publish']);
  const cargo = 'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: cargo publish --token ${{ secrets.CRATES }}\n';
  assert.equal(run('use-trusted-publishing', cargo).length, 1);
});

test('use-trusted-publishing: OIDC, no credential, dry runs are clean', () => {
  assert.equal(
    run(
      'use-trusted-publishing',
      'on: push\njobs:\n  p:\n    runs-on: x\n    permissions:\n      id-token: write\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n      - run: uv publish\n',
    ).length,
    0,
  );
  assert.equal(
    run(
      'use-trusted-publishing',
      'on: push\njobs:\n  p:\n    runs-on: x\n    steps:\n      - run: cargo publish --dry-run\n        env:\n          CARGO_REGISTRY_TOKEN: ${{ secrets.T }}\n',
    ).length,
    0,
  );
});

describe('use-trusted-publishing: minimal workflows', () => {
  test('pypi-publish with a password: the input key', () => {
    const text =
      'on: release\npermissions: {}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n        with:\n          password: ${{ secrets.PYPI_TOKEN }}\n';
    expectFindings(text, 'use-trusted-publishing', [
      ['8:10-8:18', /`pypa\/gh-action-pypi-publish` publishes to PyPI with a long-lived credential \(`password`\)/],
    ]);
  });

  test('cargo publish --token: the command', () => {
    const text =
      'on: release\npermissions: {}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: cargo publish --token ${{ secrets.CRATES_IO }}\n';
    expectFindings(text, 'use-trusted-publishing', [
      ['6:13-6:26', /`cargo publish` publishes to crates.io with a long-lived credential \(`--token`\)/],
    ]);
  });

  test('pypi-publish with id-token: write is not flagged', () => {
    expectFindings(
      'on: release\npermissions: {}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    permissions:\n      id-token: write\n    steps:\n      - uses: pypa/gh-action-pypi-publish@release/v1\n',
      'use-trusted-publishing',
      [],
    );
  });

  test('npm publish --dry-run is not flagged', () => {
    expectFindings(
      'on: release\npermissions: {}\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish --dry-run\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
      'use-trusted-publishing',
      [],
    );
  });
});

describe('use-trusted-publishing: launchers and the registry of the token', () => {
  const publishJob = (script: string, env: string) =>
    `on: release\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ${script}\n        env:\n          ${env}\n`;

  test('`bundle exec gem push` is gem push', () => {
    expectFindings(
      publishJob('bundle exec gem push pkg/x.gem', 'GEM_HOST_API_KEY: ${{ secrets.RUBYGEMS_KEY }}'),
      'use-trusted-publishing',
      [['5:13-5:24', /`gem push` publishes to RubyGems with a long-lived credential \(`GEM_HOST_API_KEY`\)/]],
    );
  });

  test('`pipx run twine==X upload` and `uvx twine@X upload` are twine upload', () => {
    expectFindings(publishJob('pipx run twine==6.1.0 upload dist/*', 'TWINE_PASSWORD: ${{ secrets.PYPI }}'), 'use-trusted-publishing', [
      ['5:13-5:21', /`twine upload` publishes to PyPI with a long-lived credential \(`TWINE_PASSWORD`\)/],
    ]);
    expectFindings(publishJob('uvx twine@6.1.0 upload dist/*', 'TWINE_PASSWORD: ${{ secrets.PYPI }}'), 'use-trusted-publishing', [
      ['5:13-5:28', /`twine upload` publishes to PyPI/],
    ]);
  });

  test("another registry's token in reach does not make a publish command a finding", () => {
    expectFindings(publishJob('twine upload dist/*', 'GEM_HOST_API_KEY: ${{ secrets.RUBYGEMS_KEY }}'), 'use-trusted-publishing', []);
    expectFindings(publishJob('cargo publish', 'NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}'), 'use-trusted-publishing', []);
    // `bundle exec` of something else publishes nothing.
    expectFindings(publishJob('bundle exec rake test', 'GEM_HOST_API_KEY: ${{ secrets.RUBYGEMS_KEY }}'), 'use-trusted-publishing', []);
  });
});
