import { describe, test } from 'node:test';
import { expectFindings } from '../../support/expect-findings';

describe('bot-conditions: minimal workflows', () => {
  test('github.actor == \'dependabot[bot]\' under pull_request_target: the comparison', () => {
    const text = 'on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.actor == \'dependabot[bot]\'\n    steps:\n      - run: gh pr merge --auto\n';
    expectFindings(text, 'bot-conditions', [['5:8-5:41', /`github.actor` is checked against `dependabot\[bot\]`: on `pull_request_target`/]]);
  });

  test('endsWith(github.triggering_actor, \'[bot]\') inside ${{ }}: the call', () => {
    const text = 'on: pull_request\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: ${{ endsWith(github.triggering_actor, \'[bot]\') }}\n    steps:\n      - run: gh pr merge --auto\n';
    expectFindings(text, 'bot-conditions', [['5:12-5:54', /`github.triggering_actor` is checked against `\[bot\]`: on `pull_request`/]]);
  });

  test('the pull request author is not flagged', () => {
    expectFindings('on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.event.pull_request.user.login == \'dependabot[bot]\'\n    steps:\n      - run: gh pr merge --auto\n', 'bot-conditions', []);
  });

  test('a negated test excludes bots and is not flagged', () => {
    expectFindings('on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.actor != \'dependabot[bot]\'\n    steps:\n      - run: gh pr merge --auto\n', 'bot-conditions', []);
  });
});
