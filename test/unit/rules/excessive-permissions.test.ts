import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dangerousTriggers } from '../../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../../server/src/rules/excessive-permissions';
import { unpinnedUses } from '../../../server/src/rules/unpinned-uses';
import type { Rule } from '../../../server/src/rules/types';
import { applyFix, findingsOf, parseWorkflow, rangeText, toCRLF } from '../../support/analysis';
import { MOVE_WRITES_TITLE } from '../../../server/src/fixes/permissions';
import { expectFindings } from '../../support/expect-findings';

const SHA = '11bbf7e8c1d4a2b3f6e5d4c3b2a1908f7e6d5c4b';
/** The rules under test: assertions about the whole set of findings run only these, so new rules don't break them. */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

/** Findings of one rule, as `[text covered, line]` pairs. */
function flagged(text: string, ruleId: string, options: Parameters<typeof findingsOf>[1] = {}): [string, number][] {
  return findingsOf(text, { ...options, ruleId }).map((f) => [rangeText(text, f.range), f.range.start.line]);
}

const RULE = { ruleId: 'excessive-permissions' } as const;
const MOVE = MOVE_WRITES_TITLE;

const DONE_WHEN = `name: CI
on:
  pull_request:
  push:
    branches: [main]
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
  comment:
    runs-on: ubuntu-latest
    steps:
      - run: gh pr comment "$PR" --body "thanks"
        env:
          GH_TOKEN: \${{ github.token }}
          PR: \${{ github.event.pull_request.number }}
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: results.sarif
  pages:
    runs-on: ubuntu-latest
    environment: github-pages
    steps:
      - uses: actions/deploy-pages@v4
  publish:
    runs-on: ubuntu-latest
    environment: pypi
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
`;

function declared(text: string, job: string): Record<string, string> {
  const view = parseWorkflow(text).workflow!.job(job)!.child('permissions');
  return Object.fromEntries(view.entries.map((e) => [e.key, view.string(e.key)!.value]));
}

describe('excessive-permissions', () => {
  const twoJobs =
    'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make test}]\n';

  test('no permissions anywhere flags the `jobs` key, names the jobs and relates them', () => {
    const text = `on: push\n${twoJobs}`;
    const findings = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(rangeText(text, finding.range), 'jobs');
    assert.equal(finding.severity, 'medium');
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /`build`, `test`/);
    assert.deepEqual(
      finding.related.map((r) => rangeText(text, r.range)),
      ['build', 'test'],
    );
    assert.equal(finding.fixes.filter((f) => f.isPreferred).length, 1, 'one preferred fix');
    const empty = finding.fixes.find((f) => f.title.startsWith('Add `permissions: {}`'))!;
    assert.equal(empty.safety, 'unsafe', 'removing permissions from jobs that relied on the default changes behaviour');
  });

  test('only the jobs without their own permissions are named', () => {
    const text = `on: push\njobs:\n  a:\n    permissions: {contents: read}\n    steps: [{run: x}]\n  b:\n    steps: [{run: y}]\n`;
    const [finding] = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.match(finding.message, /in job `b`:/);
    assert.doesNotMatch(finding.message, /`a`/);
    assert.deepEqual(
      finding.related.map((r) => rangeText(text, r.range)),
      ['b'],
    );
  });

  test('a job calling a reusable workflow without permissions counts as a job without permissions', () => {
    const text = `on: push\njobs:\n  call:\n    uses: o/r/.github/workflows/x.yml@${SHA}\n`;
    const [finding] = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /`call`/);
    assert.equal(finding.fixes.find((f) => f.title.startsWith('Add `permissions: {}`'))!.safety, 'unsafe');
  });

  test('workflow_call-only workflow: missing permissions is pedantic', () => {
    const text = `on: workflow_call\n${twoJobs}`;
    assert.deepEqual(flagged(text, 'excessive-permissions', { persona: 'regular' }), []);
    const [finding] = findingsOf(text, { ruleId: 'excessive-permissions', persona: 'pedantic' });
    assert.equal(rangeText(text, finding.range), 'jobs');
    assert.equal(finding.persona, 'pedantic');
    assert.equal(finding.severity, 'low');
    assert.match(finding.message, /calling workflow/);
    const single = 'on: workflow_call\njobs:\n  only:\n    steps: [{run: x}]\n';
    assert.match(
      findingsOf(single, { ruleId: 'excessive-permissions' })[0].message,
      /in job `only`: it runs with whatever the calling workflow grants/,
    );
    // With another trigger it is regular again.
    const mixed = `on: [workflow_call, workflow_dispatch]\n${twoJobs}`;
    assert.deepEqual(flagged(mixed, 'excessive-permissions', { persona: 'regular' }), [['jobs', 1]]);
  });

  test('all jobs declaring permissions: only a pedantic finding with a safe fix', () => {
    const text =
      'on: push\njobs:\n  a:\n    permissions: {contents: read}\n    steps: [{run: x}]\n  b:\n    permissions: {}\n    steps: [{run: y}]\n';
    assert.deepEqual(findingsOf(text, { persona: 'regular', rules: CORE }), []);
    const findings = findingsOf(text, { persona: 'pedantic', rules: CORE });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(finding.ruleId, 'excessive-permissions');
    assert.equal(rangeText(text, finding.range), 'jobs');
    assert.equal(finding.severity, 'low');
    assert.equal(finding.confidence, 'high');
    assert.equal(finding.fixes.find((f) => f.title.startsWith('Add `permissions: {}`'))!.safety, 'safe');
  });

  test('write-all and read-all at workflow level flag the value', () => {
    const write = `on: push\npermissions: write-all\n${twoJobs}`;
    const [w] = findingsOf(write, { ruleId: 'excessive-permissions' });
    assert.equal(rangeText(write, w.range), 'write-all');
    assert.equal(w.severity, 'high');
    assert.equal(w.confidence, 'high');
    assert.match(w.message, /the workflow/);
    const read = `on: push\npermissions: read-all\n${twoJobs}`;
    const [r] = findingsOf(read, { ruleId: 'excessive-permissions' });
    assert.equal(rangeText(read, r.range), 'read-all');
    assert.equal(r.severity, 'medium');
    assert.equal(findingsOf(read, { ruleId: 'excessive-permissions' }).length, 1);
  });

  test('write-all and read-all at job level flag the value and name the job', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    permissions: write-all\n    steps: [{run: x}]\n  b:\n    permissions: "read-all"\n    steps: [{run: y}]\n';
    const findings = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.deepEqual(
      findings.map((f) => [rangeText(text, f.range), f.severity]),
      [
        ['write-all', 'high'],
        ['"read-all"', 'medium'],
      ],
    );
    assert.match(findings[0].message, /job `a`/);
    assert.match(findings[1].message, /job `b`/);
  });

  test('write-all at both levels: two findings', () => {
    const text = 'on: push\npermissions: write-all\njobs:\n  a:\n    permissions: write-all\n    steps: [{run: x}]\n';
    assert.deepEqual(flagged(text, 'excessive-permissions'), [
      ['write-all', 1],
      ['write-all', 4],
    ]);
  });

  test('workflow-level write-all that no job inherits is pedantic and low, with a safe `{}` fix', () => {
    const text =
      'on: push\npermissions: write-all # legacy\njobs:\n  a:\n    permissions: {}\n    steps: [{run: x}]\n  b:\n    permissions:\n      contents: read\n    steps: [{run: y}]\n';
    assert.deepEqual(findingsOf(text, { ...RULE, persona: 'regular' }), []);
    const [finding, ...rest] = findingsOf(text, { ...RULE, persona: 'pedantic' });
    assert.equal(rest.length, 0);
    assert.equal(rangeText(text, finding.range), 'write-all');
    assert.equal(finding.severity, 'low');
    assert.match(finding.message, /inherited by no job/);
    assert.equal(finding.fixes[0].safety, 'safe');
    assert.equal(applyFix(text, finding.fixes[0]), text.replace('write-all # legacy', '{} # legacy'));
  });

  test('workflow-level write-all that one job inherits stays high at the regular persona', () => {
    const text = 'on: push\npermissions: write-all\njobs:\n  a:\n    permissions: {}\n    steps: [{run: x}]\n  b:\n    steps: [{run: y}]\n';
    const [finding] = findingsOf(text, { ...RULE, persona: 'regular' });
    assert.equal(finding.severity, 'high');
    assert.equal(rangeText(text, finding.range), 'write-all');
  });

  test('workflow-level `contents: write` with two jobs is regular and flags the scope key', () => {
    const text = `on: push\npermissions:\n  contents: write\n  issues: read\n${twoJobs}`;
    const findings = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(rangeText(text, finding.range), 'contents');
    assert.equal(finding.persona, 'regular');
    assert.equal(finding.severity, 'high');
    assert.match(finding.message, /all 2 jobs/);
  });

  test('workflow-level write with a single job is pedantic', () => {
    const text = 'on: push\npermissions:\n  statuses: write\njobs:\n  a:\n    steps: [{run: x}]\n';
    assert.deepEqual(flagged(text, 'excessive-permissions', { persona: 'regular' }), []);
    const [finding] = findingsOf(text, { ruleId: 'excessive-permissions', persona: 'pedantic' });
    assert.equal(rangeText(text, finding.range), 'statuses');
    assert.equal(finding.severity, 'low');
  });

  test('workflow-level write that every job overrides reaches no job: pedantic', () => {
    const text = 'on: push\npermissions:\n  contents: write\njobs:\n  a:\n    permissions: {contents: read}\n  b:\n    permissions: {}\n';
    assert.deepEqual(flagged(text, 'excessive-permissions', { persona: 'regular' }), []);
    assert.deepEqual(flagged(text, 'excessive-permissions', { persona: 'pedantic' }), [['contents', 2]]);
  });

  test('least-privilege workflows are clean', () => {
    for (const top of ['permissions: {}', 'permissions:\n  contents: read', 'permissions: {contents: read, pull-requests: read}']) {
      assert.deepEqual(findingsOf(`on: push\n${top}\n${twoJobs}`, { ruleId: 'excessive-permissions' }), [], top);
    }
    // Job-level explicit write scopes are not a regular finding (whether a job needs a write depends on what it does).
    const job = 'on: push\npermissions: {}\njobs:\n  a:\n    permissions:\n      contents: write\n    steps: [{run: git push}]\n';
    assert.deepEqual(flagged(job, 'excessive-permissions', { persona: 'regular' }), []);
  });

  test('a workflow without jobs is not flagged', () => {
    assert.deepEqual(flagged('on: push\n', 'excessive-permissions'), []);
    assert.deepEqual(flagged('on: push\njobs: {}\n', 'excessive-permissions'), []);
  });

  test('4-space indentation and CRLF keep the ranges exact', () => {
    const text = toCRLF(
      'on: push\npermissions:\n    contents: write\n    id-token: write\njobs:\n    a:\n        steps: [{run: x}]\n    b:\n        steps: [{run: y}]\n',
    );
    assert.deepEqual(flagged(text, 'excessive-permissions'), [
      ['contents', 2],
      ['id-token', 3],
    ]);
  });
});

describe('least privilege: the done-when workflow', () => {
  test('one preferred quick fix writes `permissions: {}` and exactly the needed per-job blocks', () => {
    const [finding] = findingsOf(DONE_WHEN, RULE);
    const preferred = finding.fixes.filter((fix) => fix.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].title, 'Add least-privilege permissions');
    const after = applyFix(DONE_WHEN, preferred[0]);
    assert.deepEqual(parseWorkflow(after).problems, []);
    assert.match(after, /\npermissions: \{\}\njobs:\n/);
    assert.deepEqual(declared(after, 'build'), { contents: 'read' });
    assert.deepEqual(declared(after, 'comment'), { 'pull-requests': 'write' });
    assert.deepEqual(declared(after, 'scan'), { 'security-events': 'write' });
    assert.deepEqual(declared(after, 'pages'), { 'id-token': 'write', pages: 'write' });
    assert.deepEqual(declared(after, 'publish'), { 'id-token': 'write' });
    assert.ok(after.includes('      pull-requests: write  # gh pr comment\n'));
    assert.ok(after.includes('      contents: read  # actions/checkout\n'));
    // The finding is gone and nothing else changed: removing the inserted lines gives the original back.
    assert.deepEqual(findingsOf(after, RULE), []);
    const inserted = after.split('\n').filter((line) => !DONE_WHEN.split('\n').includes(line));
    assert.ok(
      inserted.every((line) => /permissions|: (read|write)  # /.test(line)),
      inserted.join('\n'),
    );
    assert.equal(
      after
        .split('\n')
        .filter((line) => !inserted.includes(line))
        .join('\n'),
      DONE_WHEN,
    );
    // Idempotent: nothing left to fix.
    assert.equal(findingsOf(after, { ruleId: 'excessive-permissions', persona: 'auditor' }).flatMap((f) => f.fixes).length, 0);
  });

  test('CRLF and 4-space indentation are kept', () => {
    const text = toCRLF(DONE_WHEN);
    const [finding] = findingsOf(text, RULE);
    const after = applyFix(text, finding.fixes.find((fix) => fix.isPreferred)!);
    assert.equal(/(?<!\r)\n/.test(after), false);
    assert.ok(after.includes('\r\n    permissions:\r\n      pull-requests: write  # gh pr comment\r\n'));
    assert.deepEqual(findingsOf(after, RULE), []);
    const four = 'on: push\njobs:\n    a:\n        runs-on: x\n        steps:\n            -   uses: actions/checkout@v4\n';
    const fixed = applyFix(four, findingsOf(four, RULE)[0].fixes.find((fix) => fix.isPreferred)!);
    assert.equal(
      fixed,
      'on: push\npermissions: {}\njobs:\n    a:\n        runs-on: x\n        permissions:\n            contents: read  # actions/checkout\n        steps:\n            -   uses: actions/checkout@v4\n',
    );
  });
});

describe('excessive-permissions: the complete picture', () => {
  test('move workflow-level writes into the jobs that use them', () => {
    const text = `on: push
permissions:
  contents: read  # everyone reads
  pull-requests: write
jobs:
  build:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
  label:
    runs-on: x
    steps:
      - uses: actions/labeler@v5
`;
    const [finding] = findingsOf(text, RULE);
    assert.equal(rangeText(text, finding.range), 'pull-requests');
    assert.match(finding.message, /used by `label`/);
    const move = finding.fixes.find((fix) => fix.title.startsWith('Move'))!;
    assert.ok(move.isPreferred);
    const after = applyFix(text, move);
    assert.ok(after.includes('permissions:\n  contents: read  # everyone reads\njobs:'));
    assert.deepEqual(declared(after, 'label'), { contents: 'read', 'pull-requests': 'write' });
    assert.equal(parseWorkflow(after).workflow!.job('build')!.permissions, undefined);
    assert.deepEqual(findingsOf(after, RULE), []);
  });

  test('write-all at job level: the job-level fix writes the minimal block', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions: write-all\n    steps:\n      - uses: actions/checkout@v4\n';
    const [finding] = findingsOf(text, RULE);
    const fix = finding.fixes[0];
    assert.equal(fix.title, 'Add minimal permissions to this job');
    const after = applyFix(text, fix);
    assert.deepEqual(declared(after, 'a'), { contents: 'read' });
    assert.deepEqual(findingsOf(after, RULE), []);
  });

  test('pedantic: a job-level write scope nothing uses', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write  # why not\n      issues: write\n    steps:\n      - uses: actions/checkout@v4\n';
    assert.deepEqual(findingsOf(text, { ...RULE, persona: 'regular' }), []);
    const findings = findingsOf(text, { ...RULE, persona: 'pedantic' });
    assert.deepEqual(
      findings.map((f) => [rangeText(text, f.range), f.confidence]),
      [
        ['contents', 'medium'],
        ['issues', 'medium'],
      ],
    );
    assert.match(findings[0].message, /only `contents: read`/);
    const reduced = applyFix(text, findings[0].fixes[0]);
    assert.ok(reduced.includes('      contents: read  # why not\n'));
    const removed = applyFix(text, findings[1].fixes[0]);
    assert.ok(!removed.includes('issues'));
    assert.equal(findingsOf(removed, { ...RULE, persona: 'pedantic' }).length, 1);
    // Unknown steps keep it quiet.
    assert.deepEqual(findingsOf(text.replace('actions/checkout@v4', 'someone/thing@v1'), { ...RULE, persona: 'pedantic' }), []);
  });

  test('an unknown step makes the least-privilege fix non-preferred with a verify comment', () => {
    const text = 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n      - uses: someone/thing@v1\n';
    const [finding] = findingsOf(text, RULE);
    const fix = finding.fixes.find((f) => f.title.startsWith('Add least-privilege'))!;
    assert.equal(fix.isPreferred, false);
    const after = applyFix(text, fix);
    assert.match(after, /contents: read  # actions\/checkout\n      # verify: `someone\/thing` is not in the permissions table/);
    assert.deepEqual(parseWorkflow(after).problems, []);
  });
});

/**
 * Regressions from the corpus fix-safety run: every excessive-permissions fix must leave YAML that parses
 * and add no finding of another rule (a fix that glued the next key onto a comment dropped `environment:`
 * and surfaced secrets-outside-env; moved scopes without a comment surfaced undocumented-permissions).
 */
describe('excessive-permissions fixes: valid YAML, nothing new', () => {
  const ruleCounts = (text: string) => {
    const counts = new Map<string, number>();
    for (const finding of findingsOf(text)) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
    return counts;
  };
  /** Applies every fix of every excessive-permissions finding; returns the results by fix title. */
  function checkAllFixes(text: string): Map<string, string> {
    const before = ruleCounts(text);
    const results = new Map<string, string>();
    for (const finding of findingsOf(text, RULE)) {
      for (const fix of finding.fixes) {
        const after = applyFix(text, fix);
        const where = `"${fix.title}" on ${finding.message.slice(0, 60)}`;
        assert.deepEqual(
          parseWorkflow(after).problems.map((p) => p.message),
          [],
          `${where} does not parse:\n${after}`,
        );
        for (const [rule, count] of ruleCounts(after)) {
          if (rule !== RULE.ruleId) assert.ok(count <= (before.get(rule) ?? 0), `${where} adds a ${rule} finding:\n${after}`);
        }
        results.set(fix.title, after);
      }
    }
    return results;
  }

  test('replacing a job block does not swallow the next key (biome, electron, huggingface)', () => {
    const text = `on: push
permissions: {}
jobs:
  publish:
    name: Publish
    runs-on: ubuntu-latest
    permissions:  # publishing
      contents: write # Push merge branch
      pull-requests: write
    environment:
      name: pypi
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
      - run: echo \${{ secrets.SLACK_BOT_TOKEN }}
`;
    const results = checkAllFixes(text);
    const minimal = results.get('Add minimal permissions to this job')!;
    assert.match(
      minimal,
      /\n {4}permissions: {2}# publishing\n {6}contents: read {2}# actions\/checkout\n {4}environment:\n {6}name: pypi\n/,
    );
    const crlf = checkAllFixes(toCRLF(text)).get('Add minimal permissions to this job')!;
    assert.equal(crlf, toCRLF(minimal));
  });

  test('emptying a block keeps the next key and the key line comment (deno npm_publish, astro merge)', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  publish:\n    runs-on: x\n    permissions: # OIDC\n      id-token: write\n\n    timeout-minutes: 15\n    steps:\n      - run: echo hi\n';
    const results = checkAllFixes(text);
    const removed = results.get('Remove `id-token: write` (`permissions: {}`)')!;
    assert.equal(
      removed,
      'on: push\npermissions: {}\njobs:\n  publish:\n    runs-on: x\n    permissions: {}  # OIDC\n\n    timeout-minutes: 15\n    steps:\n      - run: echo hi\n',
    );
    assert.equal(checkAllFixes(toCRLF(text)).get('Remove `id-token: write` (`permissions: {}`)'), toCRLF(removed));
  });

  test('moving workflow-level writes keeps the next top-level key, with CRLF (deno ci, prometheus stale)', () => {
    const text =
      'on: push\npermissions:\n  issues: write\n  pull-requests: write\nconcurrency:\n  group: x\n  cancel-in-progress: true\njobs:\n  stale:\n    runs-on: x\n    steps:\n      - uses: actions/stale@v9\n        with:\n          repo-token: ${{ secrets.GITHUB_TOKEN }}\n';
    for (const input of [text, toCRLF(text)]) {
      const move = checkAllFixes(input).get(MOVE)!;
      const eol = input.includes('\r\n') ? '\r\n' : '\n';
      assert.ok(move.includes(`permissions: {}${eol}concurrency:${eol}`), move);
      assert.ok(
        move.includes(
          `    permissions:${eol}      issues: write  # actions/stale${eol}      pull-requests: write  # actions/stale${eol}    steps:`,
        ),
        move,
      );
    }
  });

  test('moved scopes carry a comment, also in jobs the inference cannot fully read (cli codeql, terraform)', () => {
    const text = `on: push
permissions:
  actions: read  # codeql reads workflow runs
  contents: read
  security-events: write
  statuses: write
jobs:
  scan:
    runs-on: x
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/analyze@v3
  other:
    runs-on: x
    steps:
      - uses: someone/unknown@v1
`;
    const move = checkAllFixes(text).get(MOVE);
    assert.ok(move, 'the move fix is offered');
    assert.match(
      move,
      /actions: read {2}# codeql reads workflow runs\n {6}contents: read {2}# actions\/checkout\n {6}security-events: write {2}# github\/codeql-action\/analyze\n/,
    );
    assert.match(move, /statuses: write {2}# was granted at workflow level; verify\n/);
    assert.deepEqual(findingsOf(move, { ruleId: 'undocumented-permissions' }), []);
  });

  test('a job written as an alias of another gets no insertion of its own (it would land in the anchored job)', () => {
    const text = 'on: push\njobs:\n  a: &job\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n  b: *job\n';
    const results = checkAllFixes(text);
    assert.equal(
      results.get('Add least-privilege permissions'),
      'on: push\npermissions: {}\njobs:\n  a: &job\n    runs-on: x\n    permissions:\n      contents: read  # actions/checkout\n    steps:\n      - uses: actions/checkout@v4\n  b: *job\n',
    );
    assert.ok(![...results.keys()].some((title) => title.includes('job `b`')));
  });
});

describe('excessive-permissions: minimal workflows', () => {
  test('no permissions anywhere: the `jobs` key, naming the job', () => {
    const text = 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    expectFindings(text, 'excessive-permissions', [['1:0-1:4', /No `permissions:` at workflow level or in job `build`/]]);
  });

  test('workflow-level write-all: the value', () => {
    const text = 'on: push\npermissions: write-all\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    expectFindings(text, 'excessive-permissions', [
      ['1:13-1:22', /`permissions: write-all` gives the workflow a token that can write to every scope/],
    ]);
  });

  test('`permissions: {}` is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n',
      'excessive-permissions',
      [],
    );
  });

  test('`contents: read` for a checkout is not flagged', () => {
    expectFindings(
      'on: push\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
      'excessive-permissions',
      [],
    );
  });
});

describe('excessive-permissions: what GitHub rejects in a permissions block', () => {
  const block = (permissions: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    permissions:\n${permissions}    steps:\n      - run: make\n`;
  const invalid = (text: string) =>
    findingsOf(text, { ruleId: 'excessive-permissions' }).filter((finding) => finding.message.includes('GitHub rejects'));

  test('an unknown scope is an error with a did-you-mean fix, on the key', () => {
    const text = block('      pull_requests: write\n      bogus-scope: read\n');
    const found = invalid(text);
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['pull_requests', 'bogus-scope'],
    );
    assert.match(found[0].message, /`pull_requests` is not a permission scope; did you mean `pull-requests`\?/);
    assert.equal(found[0].severity, 'high');
    assert.equal(applyFix(text, found[0].fixes[0]), text.replace('pull_requests:', 'pull-requests:'));
    assert.doesNotMatch(found[1].message, /did you mean/);
  });

  test('a level the scope does not accept is an error, on the value', () => {
    const text = block(
      '      id-token: read\n      models: write\n      contents: admin\n      vulnerability-alerts: write\n      issues:\n',
    );
    const found = invalid(text);
    assert.deepEqual(
      found.map((finding) => rangeText(text, finding.range)),
      ['read', 'write', 'admin', 'write', 'issues'],
    );
    assert.match(found[0].message, /`id-token` takes `write` or `none`, not `read`/);
    assert.match(found[2].message, /`contents` takes `read`, `write` or `none`, not `admin`/);
  });

  test('a shorthand other than read-all / write-all is an error', () => {
    const text = 'on: push\npermissions: read\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps:\n      - run: make\n';
    assert.match(invalid(text)[0]?.message ?? '', /takes `read-all`, `write-all` or a mapping of scopes, not `read`/);
  });

  test('the scopes GitHub added are known, at the levels the schema gives them', () => {
    const text = block(
      '      copilot-requests: write\n      drives: read\n      vulnerability-alerts: read\n      models: read\n      id-token: write\n      artifact-metadata: none\n',
    );
    assert.deepEqual(invalid(text), []);
    assert.deepEqual(invalid(block('      copilot-requests: read\n')).length, 1);
  });
});
