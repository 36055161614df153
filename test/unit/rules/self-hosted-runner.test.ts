import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { run } from '../../support/attack-path-rules';
import { expectFindings } from '../../support/expect-findings';

test('self-hosted-runner: auditor by default, regular and high on fork pull requests', () => {
  const quiet = run('self-hosted-runner', 'on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n    steps: []\n');
  assert.equal(quiet[0].persona, 'auditor');
  const loud = run('self-hosted-runner', 'on: pull_request\njobs:\n  a:\n    runs-on: self-hosted\n    steps: []\n');
  assert.equal(loud[0].persona, 'regular');
  assert.equal(loud[0].severity, 'high');
  assert.equal(run('self-hosted-runner', 'on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: []\n').length, 0);
  const matrix =
    'on: push\njobs:\n  a:\n    strategy:\n      matrix:\n        os: [ubuntu-latest, self-hosted]\n    runs-on: ${{ matrix.os }}\n    steps: []\n';
  assert.equal(run('self-hosted-runner', matrix).length, 1);
});

describe('self-hosted-runner: minimal workflows', () => {
  test('`runs-on: self-hosted`: the label', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: self-hosted\n    steps:\n      - run: make\n';
    expectFindings(text, 'self-hosted-runner', [
      ['4:13-4:24', /job `build` runs on a self-hosted runner; make sure the runner is ephemeral/],
    ]);
  });

  test('a label list under pull_request: the label', () => {
    const text =
      'on: pull_request\npermissions: {}\njobs:\n  build:\n    runs-on: [self-hosted, linux, x64]\n    steps:\n      - run: make\n';
    expectFindings(text, 'self-hosted-runner', [['4:14-4:25', /and `pull_request` lets anyone who can open a pull request.* start it/]]);
  });

  test('a GitHub-hosted runner is not flagged', () => {
    expectFindings(
      'on: pull_request\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
      'self-hosted-runner',
      [],
    );
  });

  test('macos-14 is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: macos-14\n    steps:\n      - run: make\n',
      'self-hosted-runner',
      [],
    );
  });
});

describe('self-hosted-runner: matrix include and exclude', () => {
  const job = (matrix: string, trigger = 'pull_request') =>
    `on: ${trigger}\npermissions: {}\njobs:\n  test:\n    strategy:\n      matrix:\n${matrix}    runs-on: \${{ matrix.runner }}\n    steps:\n      - run: make\n`;

  test('an include row that adds a self-hosted label list is seen', () => {
    const text = job('        runner: [ubuntu-latest]\n        include:\n          - runner: [self-hosted, gpu]\n');
    const [finding, ...rest] = run('self-hosted-runner', text);
    assert.equal(rest.length, 0);
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /job `test` runs on a self-hosted runner \(from the matrix\)/);
  });

  test('an include-only matrix key is seen too', () => {
    const text = job('        python: ["3.12"]\n        include:\n          - python: "3.12"\n            runner: self-hosted\n');
    assert.equal(run('self-hosted-runner', text).length, 1);
  });

  test('a self-hosted value that exclude removes from every combination is not reported', () => {
    const text = job('        runner: [ubuntu-latest, self-hosted]\n        exclude:\n          - runner: self-hosted\n');
    assert.deepEqual(run('self-hosted-runner', text), []);
  });

  test('a label list removed by exclude with the same list is not reported', () => {
    const text = job('        runner: [ubuntu-latest, [self-hosted, arm64]]\n        exclude:\n          - runner: [self-hosted, arm64]\n');
    assert.deepEqual(run('self-hosted-runner', text), []);
  });

  test('an exclude row that removes only some combinations with the self-hosted value keeps the finding', () => {
    const text = job(
      '        runner: [ubuntu-latest, self-hosted]\n        python: ["3.11", "3.12"]\n        exclude:\n          - runner: self-hosted\n            python: "3.11"\n',
    );
    assert.equal(run('self-hosted-runner', text).length, 1);
  });

  test('include rows with GitHub-hosted runners only are not reported', () => {
    const text = job('        runner: [ubuntu-latest]\n        include:\n          - runner: macos-14\n');
    assert.deepEqual(run('self-hosted-runner', text), []);
  });
});
