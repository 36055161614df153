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
