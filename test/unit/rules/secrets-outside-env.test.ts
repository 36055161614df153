import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { run, texts } from '../../support/attack-path-rules';
import { expectFindings } from '../../support/expect-findings';

test('secrets-outside-env: auditor, names the secrets, environment and allow list silence it', () => {
  const job = (extra: string) =>
    `on: push\njobs:\n  publish:\n    runs-on: x\n${extra}    steps:\n      - run: twine upload dist/*\n        env:\n          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}\n          GH: \${{ secrets.GITHUB_TOKEN }}\n`;
  const findings = run('secrets-outside-env', job(''));
  assert.equal(findings.length, 1);
  assert.equal(findings[0].persona, 'auditor');
  assert.match(findings[0].message, /PYPI_TOKEN/);
  assert.equal(texts(job(''), findings)[0], 'secrets.PYPI_TOKEN');
  assert.equal(run('secrets-outside-env', job('    environment: release\n')).length, 0);
  assert.equal(run('secrets-outside-env', job(''), undefined, { allow: ['pypi_token'] }).length, 0);
  assert.equal(
    run('secrets-outside-env', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secrets.GITHUB_TOKEN }}\n').length,
    0,
  );
  assert.equal(
    run('secrets-outside-env', 'on:\n  workflow_call:\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ secrets.X }}\n')
      .length,
    0,
  );
});

describe('secrets-outside-env: minimal workflows', () => {
  test('a secret in `run:` of a job without environment: the secret reference', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh ${{ secrets.DEPLOY_KEY }}\n';
    expectFindings(text, 'secrets-outside-env', [
      ['6:29-6:47', /job `deploy` uses secret `DEPLOY_KEY` without an `environment:`: it is available/],
    ]);
  });

  test('two secrets: one finding naming both, on the first', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh\n        env:\n          A: ${{ secrets.AWS_KEY }}\n          B: ${{ secrets.AWS_SECRET }}\n';
    expectFindings(text, 'secrets-outside-env', [
      ['8:17-8:32', /uses secrets `AWS_KEY`, `AWS_SECRET` without an `environment:`: they are available/],
    ]);
  });

  test('a job with an environment is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh ${{ secrets.DEPLOY_KEY }}\n',
      'secrets-outside-env',
      [],
    );
  });

  test('GITHUB_TOKEN is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: ./deploy.sh ${{ secrets.GITHUB_TOKEN }}\n',
      'secrets-outside-env',
      [],
    );
  });
});
