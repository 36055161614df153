import { describe, test } from 'node:test';
import { expectFindings } from '../../support/expect-findings';

describe('github-env: minimal workflows', () => {
  test('an outsider\'s branch name written to GITHUB_ENV: the target token', () => {
    const text = 'on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "BRANCH=${{ github.event.pull_request.head.ref }}" >> "$GITHUB_ENV"\n';
    expectFindings(text, 'github-env', [['6:72-6:85', /writes text an outsider chooses \(`github.event.pull_request.head.ref`.* to `GITHUB_ENV`/]]);
  });

  test('computed text written to GITHUB_PATH under workflow_run: the target token', () => {
    const text = 'on: workflow_run\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$(cat bin-dir.txt)" >> $GITHUB_PATH\n';
    expectFindings(text, 'github-env', [['6:42-6:54', /writes computed text \(`\$\(cat bin-dir.txt\)`\) to `GITHUB_PATH`/]]);
  });

  test('a literal line is not flagged', () => {
    expectFindings('on: pull_request_target\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "FOO=bar" >> $GITHUB_ENV\n', 'github-env', []);
  });

  test('workflows outsiders cannot trigger are not flagged', () => {
    expectFindings('on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "V=$(cat version.txt)" >> $GITHUB_ENV\n', 'github-env', []);
  });
});
