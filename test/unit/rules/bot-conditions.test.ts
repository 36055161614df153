import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { analysisOptions, applyFix, findingsOf, parseAs, spanText, toCRLF } from '../../support/analysis';
import { analyze } from '../../../server/src/engine';
import { botConditions } from '../../../server/src/rules/bot-conditions';
import { expectFindings } from '../../support/expect-findings';
import type { Rule } from '../../../server/src/rules/types';

const E = (path: string) => '${{ ' + path + ' }}';

function run(rule: Rule, text: string, path?: string, persona: 'auditor' | 'regular' = 'auditor') {
  return findingsOf(text, { ruleId: rule.id, path, rules: [rule], persona });
}

const wf = (on: string, steps: string, jobExtra = '') =>
  `on: ${on}\njobs:\n  work:\n    runs-on: ubuntu-latest\n${jobExtra}    steps:\n${steps}`;

function fixAndRecheck(text: string): string {
  const before = run(botConditions, text);
  assert.ok(before.length > 0);
  const fix = before[0].fixes[0];
  assert.ok(fix, 'expected a fix');
  assert.equal(fix.safety, 'safe');
  const fixed = applyFix(text, fix);
  const file = parseAs(fixed);
  assert.equal(file.problems.length, 0, fixed);
  assert.equal(analyze(file, analysisOptions({ rules: [botConditions] })).length, before.length - 1, fixed);
  return fixed;
}

describe('bot-conditions', () => {
  it('github.actor == dependabot[bot] on pull_request_target: high/high, fixed to the pull request author', () => {
    const text = wf('pull_request_target', '      - run: echo ok\n', "    if: github.actor == 'dependabot[bot]'\n");
    const found = run(botConditions, text);
    assert.equal(found.length, 1);
    assert.equal(spanText(text, found[0].span), "github.actor == 'dependabot[bot]'");
    assert.equal(found[0].severity, 'high');
    assert.equal(found[0].confidence, 'high');
    const fixed = fixAndRecheck(text);
    assert.equal(fixed, text.replace('github.actor', 'github.event.pull_request.user.login'));
  });

  it('under && the confidence drops; under || it stays; ids and endsWith count', () => {
    const cond = (c: string, on = 'pull_request') => run(botConditions, wf(on, `      - if: ${c}\n        run: echo ok\n`));
    assert.equal(cond(`${E("github.event_name == 'pull_request' && github.actor == 'dependabot[bot]'")}`)[0].confidence, 'medium');
    assert.equal(cond(E("'renovate[bot]' == github.triggering_actor || github.event_name == 'push'"))[0].confidence, 'high');
    const ids = cond('github.actor_id == 49699333');
    assert.equal(ids.length, 1);
    assert.equal(
      applyFix(wf('pull_request', `      - if: github.actor_id == 49699333\n        run: echo ok\n`), ids[0].fixes[0]).includes(
        'github.event.pull_request.user.id == 49699333',
      ),
      true,
    );
    assert.equal(cond("endsWith(github.actor, '[bot]')").length, 1);
    assert.equal(cond('contains(fromJSON(\'["dependabot[bot]", "renovate[bot]"]\'), github.actor)').length, 1);
  });

  it('negatives: exclusions, the author field, humans', () => {
    const cond = (c: string) => run(botConditions, wf('pull_request_target', `      - if: ${c}\n        run: echo ok\n`));
    assert.equal(cond("github.actor != 'dependabot[bot]'").length, 0);
    assert.equal(cond("!(github.actor == 'dependabot[bot]')").length, 0);
    assert.equal(cond("github.event.pull_request.user.login == 'dependabot[bot]'").length, 0);
    assert.equal(cond("github.actor == 'octocat'").length, 0);
    assert.equal(cond('github.actor_id == 12345').length, 0);
    // Not an if: (a message) is not a condition.
    assert.equal(
      run(botConditions, wf('pull_request_target', `      - run: echo "${E("github.actor == 'dependabot[bot]'")}"\n`)).length,
      0,
    );
  });

  it('several triggers: no fix; push only: low and pedantic', () => {
    const multi = run(botConditions, wf('[pull_request, push]', "      - if: github.actor == 'dependabot[bot]'\n        run: echo ok\n"));
    assert.equal(multi.length, 1);
    assert.equal(multi[0].fixes.length, 0);
    const push = run(botConditions, wf('push', "      - if: github.actor == 'dependabot[bot]'\n        run: echo ok\n"));
    assert.equal(push[0].severity, 'low');
    assert.equal(push[0].persona, 'pedantic');
  });

  it('the fix keeps CRLF line endings and quoting', () => {
    const text = toCRLF(wf('pull_request_target', `      - if: "${E("github.actor == 'dependabot[bot]'")}"\n        run: echo ok\n`));
    const fixed = fixAndRecheck(text);
    assert.equal(fixed, text.replace('github.actor', 'github.event.pull_request.user.login'));
  });

  it('never throws on malformed input', () => {
    for (const text of [
      wf('pull_request_target', '      - if: [1]\n        run: x\n'),
      wf('pull_request_target', '      - if: ${{ github.actor == }}\n        run: x\n'),
      'on: pull_request\njobs:\n  a:\n    if: 3\n',
    ]) {
      assert.doesNotThrow(() => run(botConditions, text));
    }
  });
});

describe('bot-conditions: minimal workflows', () => {
  test("github.actor == 'dependabot[bot]' under pull_request_target: the comparison", () => {
    const text =
      "on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.actor == 'dependabot[bot]'\n    steps:\n      - run: gh pr merge --auto\n";
    expectFindings(text, 'bot-conditions', [
      ['5:8-5:41', /`github.actor` is checked against `dependabot\[bot\]`: on `pull_request_target`/],
    ]);
  });

  test("endsWith(github.triggering_actor, '[bot]') inside ${{ }}: the call", () => {
    const text =
      "on: pull_request\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: ${{ endsWith(github.triggering_actor, '[bot]') }}\n    steps:\n      - run: gh pr merge --auto\n";
    expectFindings(text, 'bot-conditions', [['5:12-5:54', /`github.triggering_actor` is checked against `\[bot\]`: on `pull_request`/]]);
  });

  test('the pull request author is not flagged', () => {
    expectFindings(
      "on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.event.pull_request.user.login == 'dependabot[bot]'\n    steps:\n      - run: gh pr merge --auto\n",
      'bot-conditions',
      [],
    );
  });

  test('a negated test excludes bots and is not flagged', () => {
    expectFindings(
      "on: pull_request_target\npermissions: {}\njobs:\n  automerge:\n    runs-on: ubuntu-latest\n    if: github.actor != 'dependabot[bot]'\n    steps:\n      - run: gh pr merge --auto\n",
      'bot-conditions',
      [],
    );
  });

  test('an actor check next to a required author or same-repository test is not the spoofable pattern', () => {
    const job = (on: string, condition: string) =>
      `on: ${on}\npermissions: {}\njobs:\n  update:\n    runs-on: ubuntu-latest\n    if: ${condition}\n    steps:\n      - run: gh pr merge --auto\n`;
    const clean = [
      job('pull_request_target', "github.actor == 'dependabot[bot]' && github.event.pull_request.user.login == 'dependabot[bot]'"),
      job('pull_request', "github.actor == 'dependabot[bot]' && github.repository == github.event.pull_request.head.repo.full_name"),
      job(
        'pull_request_target',
        "(github.actor == 'renovate[bot]' && github.event.pull_request.user.id == 29139614) && github.event_name != 'push'",
      ),
      job('pull_request_target', "github.actor == 'dependabot[bot]' && !github.event.pull_request.head.repo.fork"),
      // A gate every fork passes already: the bot check only adds same-repository runs.
      job(
        'workflow_run',
        "github.event.workflow_run.conclusion == 'success' && (github.event.workflow_run.head_repository.full_name != github.repository || github.actor == 'dependabot[bot]')",
      ),
      job('pull_request_target', "github.event.pull_request.head.repo.fork || github.actor == 'dependabot[bot]'"),
    ];
    for (const text of clean) expectFindings(text, 'bot-conditions', []);
    // Still reported: the other test is optional (`||`), negated, or a fork test required with `&&`.
    const flagged = [
      job('pull_request_target', "github.actor == 'dependabot[bot]' || github.event.pull_request.user.login == 'dependabot[bot]'"),
      job('pull_request_target', "github.actor == 'dependabot[bot]' && github.event.pull_request.user.login != 'dependabot[bot]'"),
      job('pull_request_target', "github.actor == 'dependabot[bot]' && github.event.pull_request.head.repo.full_name != github.repository"),
      job('pull_request_target', "github.event.pull_request.head.repo.full_name == github.repository || github.actor == 'dependabot[bot]'"),
    ];
    for (const text of flagged) assert.equal(run(botConditions, text).length, 1, text);
  });
});
