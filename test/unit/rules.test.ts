import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../server/src/engine';
import { ignoreComments } from '../../server/src/suppressions/inline-ignores';
import { RULES, ruleById } from '../../server/src/rules';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../server/src/rules/excessive-permissions';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import type { Rule } from '../../server/src/rules/types';
import type { Finding } from '../../server/src/findings';
import { analysisOptions, analyzeText, findingsOf, lineOf, parseAs, rangeText, summarize, toCRLF, yaml } from '../helpers';

const SHA = '11bbf7e8c1d4a2b3f6e5d4c3b2a1908f7e6d5c4b';
/** The rules under test: assertions about the whole set of findings run only these, so new rules don't break them. */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

/** Findings of one rule, as `[text covered, line]` pairs. */
function flagged(text: string, ruleId: string, options: Parameters<typeof findingsOf>[1] = {}): [string, number][] {
  return findingsOf(text, { ...options, ruleId }).map((f) => [rangeText(text, f.range), f.range.start.line]);
}

describe('registry', () => {
  test('rule ids are unique, zizmor-compatible and documented', () => {
    const ids = RULES.map((rule) => rule.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['unpinned-uses', 'dangerous-triggers', 'excessive-permissions']) {
      const rule = ruleById(id);
      assert.ok(rule, id);
      assert.ok(rule.docs.summary.length > 20 && rule.docs.why.length > 20 && rule.docs.fix.length > 20);
    }
    assert.equal(ruleById('nope'), undefined);
  });
});

describe('unpinned-uses', () => {
  const wf = (steps: string) => `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;

  test('a version tag flags exactly the ref', () => {
    const text = wf('      - uses: actions/checkout@v4\n');
    const findings = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(rangeText(text, finding.range), 'v4');
    assert.deepEqual(finding.range.start, { line: 6, character: '      - uses: actions/checkout@'.length });
    assert.equal(finding.severity, 'high');
    assert.equal(finding.confidence, 'high');
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /`actions\/checkout`/);
    assert.match(finding.message, /`v4`/);
  });

  test('full semver, branch, release/v1 and prerelease refs are all flagged', () => {
    const text = wf(
      [
        '      - uses: actions/setup-node@v4.2.2',
        '      - uses: octo/tool@main',
        '      - uses: octo/tool@release/v1',
        '      - uses: octo/tool@v1.2.3-beta.1',
        '',
      ].join('\n'),
    );
    assert.deepEqual(flagged(text, 'unpinned-uses'), [
      ['v4.2.2', 6],
      ['main', 7],
      ['release/v1', 8],
      ['v1.2.3-beta.1', 9],
    ]);
    const messages = findingsOf(text, { ruleId: 'unpinned-uses' }).map((f) => f.message);
    assert.match(messages[1], /branch or tag/);
  });

  test('a full SHA is not flagged; an abbreviated SHA is', () => {
    const text = wf(`      - uses: actions/checkout@${SHA} # v4.2.2\n      - uses: actions/cache@${SHA.slice(0, 7)}\n`);
    const findings = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.deepEqual(findings.map((f) => rangeText(text, f.range)), [SHA.slice(0, 7)]);
    assert.match(findings[0].message, /abbreviated SHA/);
  });

  test('./local, $/same-repo and docker:// are not flagged by this rule', () => {
    const text = wf(
      [
        '      - uses: ./.github/actions/setup',
        '      - uses: ./.github/workflows/x.yml',
        '      - uses: $/.github/actions/setup',
        '      - uses: docker://alpine:3',
        '',
      ].join('\n'),
    );
    assert.deepEqual(flagged(text, 'unpinned-uses'), []);
  });

  test('a missing ref flags the whole value', () => {
    const text = wf('      - uses: actions/checkout\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(rangeText(text, finding.range), 'actions/checkout');
    assert.match(finding.message, /has no ref/);
  });

  test('an expression ref is flagged with medium confidence', () => {
    const text = wf('      - uses: octo/tool@${{ inputs.ref }}\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(rangeText(text, finding.range), '${{ inputs.ref }}');
    assert.equal(finding.confidence, 'medium');
  });

  test('quoted values: the range is the ref inside the quotes', () => {
    const text = wf(`      - uses: "actions/checkout@v4"\n      - uses: 'actions/cache@v3'\n      - uses: "actions/cache@${SHA}"\n`);
    assert.deepEqual(flagged(text, 'unpinned-uses'), [
      ['v4', 6],
      ['v3', 7],
    ]);
  });

  test('a folded scalar whose source differs from its value flags the whole token', () => {
    const text = wf('      - uses: >-\n          actions/checkout@v4\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.ok(rangeText(text, finding.range).includes('actions/checkout@v4'));
    assert.equal(finding.range.start.line, 6);
  });

  test('emoji and CJK before the value on the same line: the range is still exact', () => {
    const text = wf('      - { name: "🚀 部署 ✨", uses: actions/checkout@v4, with: { 名前: "値" } }\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(rangeText(text, finding.range), 'v4');
    const line = text.split('\n')[6];
    const prefix = line.slice(0, line.indexOf('@v4') + 1);
    // LSP columns count UTF-16 code units: 🚀 is two of them, each CJK character one.
    assert.equal(finding.range.start.character, prefix.length);
    // Counting code points or UTF-8 bytes instead would give other columns on this line.
    assert.notEqual([...prefix].length, prefix.length);
    assert.notEqual(Buffer.byteLength(prefix, 'utf8'), prefix.length);
  });

  test('CRLF: same token, same positions', () => {
    const lf = wf('      - uses: actions/checkout@v4\n      - uses: "octo/x@main"\n');
    const crlf = toCRLF(lf);
    assert.deepEqual(flagged(crlf, 'unpinned-uses'), [
      ['v4', 6],
      ['main', 7],
    ]);
    assert.deepEqual(summarize(findingsOf(crlf)), summarize(findingsOf(lf)));
  });

  test('composite action.yml: inner uses are flagged', () => {
    const text = yaml`
      name: My action
      runs:
        using: composite
        steps:
          - uses: actions/setup-python@v5
          - uses: ./local
          - uses: actions/cache@${SHA}
          - run: echo hi
            shell: bash
    `;
    for (const path of ['action.yml', '.github/actions/setup/action.yaml']) {
      const findings = findingsOf(text, { path, rules: CORE });
      assert.deepEqual(
        findings.map((f) => [f.ruleId, rangeText(text, f.range)]),
        [['unpinned-uses', 'v5']],
        path,
      );
    }
  });

  test('a reusable workflow call at job level is flagged as a reusable workflow', () => {
    const text = yaml`
      on: push
      permissions: {}
      jobs:
        release:
          uses: octo/shared/.github/workflows/release.yml@v1
          secrets: inherit
        local:
          uses: ./.github/workflows/local.yml
    `;
    const findings = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.deepEqual(findings.map((f) => rangeText(text, f.range)), ['v1']);
    assert.match(findings[0].message, /^reusable workflow `octo\/shared\/\.github\/workflows\/release\.yml`/);
  });

  test('subpath actions are named with their path', () => {
    const text = wf('      - uses: github/codeql-action/upload-sarif@v3\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(rangeText(text, finding.range), 'v3');
    assert.match(finding.message, /`github\/codeql-action\/upload-sarif`/);
  });

  test('uses: values elsewhere (dependabot file, `with:` input) are not audited', () => {
    assert.deepEqual(flagged('version: 2\nupdates:\n  - uses: actions/checkout@v4\n', 'unpinned-uses', { path: '.github/dependabot.yml' }), []);
    assert.deepEqual(flagged(wf('      - run: echo\n        with:\n          uses: actions/checkout@v4\n'), 'unpinned-uses'), []);
  });
});

describe('dangerous-triggers', () => {
  const jobs = 'permissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n';

  test('string spelling', () => {
    const text = `on: pull_request_target\n${jobs}`;
    const findings = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.equal(findings.length, 1);
    assert.equal(rangeText(text, findings[0].range), 'pull_request_target');
    assert.deepEqual(findings[0].range.start, { line: 0, character: 4 });
    assert.equal(findings[0].severity, 'high');
    assert.equal(findings[0].confidence, 'medium');
    assert.equal(findings[0].persona, 'regular');
    assert.match(findings[0].message, /its job inherits/);
  });

  test('flow list and block list spellings', () => {
    const flow = `on: [push, pull_request_target]\n${jobs}`;
    assert.deepEqual(flagged(flow, 'dangerous-triggers'), [['pull_request_target', 0]]);
    const block = `on:\n  - push\n  - pull_request_target\n  - workflow_run\n${jobs}`;
    assert.deepEqual(flagged(block, 'dangerous-triggers'), [
      ['pull_request_target', 2],
      ['workflow_run', 3],
    ]);
  });

  test('block map and flow map spellings', () => {
    const map = `on:\n  pull_request_target:\n    types: [opened, synchronize]\n  workflow_run:\n    workflows: [CI]\n${jobs}`;
    assert.deepEqual(flagged(map, 'dangerous-triggers'), [
      ['pull_request_target', 1],
      ['workflow_run', 3],
    ]);
    const flowMap = `on: {pull_request_target: {}}\n${jobs}`;
    assert.deepEqual(flagged(flowMap, 'dangerous-triggers'), [['pull_request_target', 0]]);
  });

  test('a quoted trigger flags the token with its quotes', () => {
    const text = `on: "pull_request_target"\n${jobs}`;
    assert.deepEqual(flagged(text, 'dangerous-triggers'), [['"pull_request_target"', 0]]);
  });

  test('emoji and CJK earlier on the line', () => {
    const text = `on: ["🚀", 部署, pull_request_target]\n${jobs}`;
    const [finding] = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.equal(rangeText(text, finding.range), 'pull_request_target');
    assert.equal(finding.range.start.character, text.indexOf('pull_request_target'));
  });

  test('the message counts the jobs and names the trigger', () => {
    const text = `on: workflow_run\njobs:\n  a: {runs-on: x, steps: [{run: a}]}\n  b: {runs-on: x, steps: [{run: b}]}\n`;
    const [finding] = findingsOf(text, { ruleId: 'dangerous-triggers' });
    assert.match(finding.message, /^`workflow_run`/);
    assert.match(finding.message, /its 2 jobs inherit/);
  });

  test('safe triggers and the name appearing as a value are not flagged', () => {
    for (const on of ['push', '[pull_request, push]', '{pull_request: {types: [opened]}}', '{push: {branches: [pull_request_target]}}', 'workflow_dispatch']) {
      assert.deepEqual(flagged(`on: ${on}\n${jobs}`, 'dangerous-triggers'), [], on);
    }
  });

  test('only workflows are audited', () => {
    const text = `on: pull_request_target\nruns:\n  using: composite\n  steps: []\n`;
    assert.deepEqual(flagged(text, 'dangerous-triggers', { path: 'action.yml' }), []);
  });
});

describe('excessive-permissions', () => {
  const twoJobs = 'jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make test}]\n';

  test('no permissions anywhere flags the `jobs` key, names the jobs and relates them', () => {
    const text = `on: push\n${twoJobs}`;
    const findings = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.equal(rangeText(text, finding.range), 'jobs');
    assert.equal(finding.severity, 'medium');
    assert.equal(finding.persona, 'regular');
    assert.match(finding.message, /`build`, `test`/);
    assert.deepEqual(finding.related.map((r) => rangeText(text, r.range)), ['build', 'test']);
    assert.equal(finding.fixes.filter((f) => f.isPreferred).length, 1, 'one preferred fix');
    const empty = finding.fixes.find((f) => f.title.startsWith('Add `permissions: {}`'))!;
    assert.equal(empty.safety, 'unsafe', 'removing permissions from jobs that relied on the default changes behaviour');
  });

  test('only the jobs without their own permissions are named', () => {
    const text = `on: push\njobs:\n  a:\n    permissions: {contents: read}\n    steps: [{run: x}]\n  b:\n    steps: [{run: y}]\n`;
    const [finding] = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.match(finding.message, /in job `b`:/);
    assert.doesNotMatch(finding.message, /`a`/);
    assert.deepEqual(finding.related.map((r) => rangeText(text, r.range)), ['b']);
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
    assert.match(findingsOf(single, { ruleId: 'excessive-permissions' })[0].message, /in job `only`: it runs with whatever the calling workflow grants/);
    // With another trigger it is regular again.
    const mixed = `on: [workflow_call, workflow_dispatch]\n${twoJobs}`;
    assert.deepEqual(flagged(mixed, 'excessive-permissions', { persona: 'regular' }), [['jobs', 1]]);
  });

  test('all jobs declaring permissions: only a pedantic finding with a safe fix', () => {
    const text = 'on: push\njobs:\n  a:\n    permissions: {contents: read}\n    steps: [{run: x}]\n  b:\n    permissions: {}\n    steps: [{run: y}]\n';
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
    const text = 'on: push\npermissions: {}\njobs:\n  a:\n    permissions: write-all\n    steps: [{run: x}]\n  b:\n    permissions: "read-all"\n    steps: [{run: y}]\n';
    const findings = findingsOf(text, { ruleId: 'excessive-permissions' });
    assert.deepEqual(findings.map((f) => [rangeText(text, f.range), f.severity]), [
      ['write-all', 'high'],
      ['"read-all"', 'medium'],
    ]);
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
    const text = toCRLF('on: push\npermissions:\n    contents: write\n    id-token: write\njobs:\n    a:\n        steps: [{run: x}]\n    b:\n        steps: [{run: y}]\n');
    assert.deepEqual(flagged(text, 'excessive-permissions'), [
      ['contents', 2],
      ['id-token', 3],
    ]);
  });
});

describe('inline ignores', () => {
  const base = (comment: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/checkout@v4 ${comment}\n      - uses: actions/cache@v3\n`;

  test('`# warden: ignore[unpinned-uses]` on the line suppresses that finding only', () => {
    const text = base('# warden: ignore[unpinned-uses]');
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v3', 7]]);
  });

  test('`# zizmor: ignore[unpinned-uses]` is honoured too, with a reason after it', () => {
    const text = base('# zizmor: ignore[unpinned-uses] reviewed in #123');
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v3', 7]]);
  });

  test('several rules in one comment; other rules are not suppressed', () => {
    assert.deepEqual(flagged(base('# warden: ignore[dangerous-triggers, unpinned-uses]'), 'unpinned-uses'), [['v3', 7]]);
    assert.deepEqual(flagged(base('# warden: ignore[template-injection]'), 'unpinned-uses'), [
      ['v4', 6],
      ['v3', 7],
    ]);
  });

  test('a comment on the line above does not suppress', () => {
    const text = `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      # warden: ignore[unpinned-uses]\n      - uses: actions/checkout@v4\n`;
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v4', 6]]);
  });

  test('suppresses dangerous-triggers and excessive-permissions on their lines', () => {
    const text = 'on: pull_request_target # zizmor: ignore[dangerous-triggers]\njobs: # warden: ignore[excessive-permissions]\n  a:\n    steps: [{run: x}]\n';
    assert.deepEqual(findingsOf(text, { rules: CORE }), []);
  });

  test('inside a `run: |` block scalar the marker is shell text and does not suppress', () => {
    const text = yaml`
      on: push
      permissions: {}
      jobs:
        a:
          steps:
            - uses: actions/checkout@v4
              run: |
                echo "# warden: ignore[unpinned-uses]"
                # zizmor: ignore[unpinned-uses]
    `;
    const file = parseAs(text);
    assert.deepEqual(ignoreComments(file), []);
    assert.deepEqual(flagged(text, 'unpinned-uses'), [['v4', 5]]);
  });

  test('a marker in a block scalar on a line the finding covers does not suppress', () => {
    // The folded value makes the finding span its lines; the text after `@v4` is part of the scalar.
    const text = 'on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - uses: |-\n          actions/checkout@v4 # warden: ignore[unpinned-uses]\n';
    const findings = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(findings.length, 1);
    assert.ok(findings[0].range.end.line >= lineOf(text, 'ignore['));
  });

  test('a marker inside a quoted string on the same line does not suppress; a real comment after it does', () => {
    const quoted = `on: push\npermissions: {}\njobs:\n  a:\n    steps:\n      - {uses: actions/checkout@v4, run: "x # warden: ignore[unpinned-uses]"}\n`;
    assert.deepEqual(flagged(quoted, 'unpinned-uses'), [['v4', 5]]);
    const real = quoted.replace('"}\n', '"} # warden: ignore[unpinned-uses]\n');
    assert.deepEqual(flagged(real, 'unpinned-uses'), []);
  });
});

describe('engine: filtering, ordering, robustness', () => {
  const text = yaml`
    on: pull_request_target
    jobs:
      a:
        runs-on: ubuntu-latest
        steps:
          - uses: actions/checkout@v4
      b:
        permissions: read-all
        steps:
          - uses: actions/cache@${SHA}
  `;

  test('persona filtering: regular ⊂ pedantic ⊂ auditor', () => {
    const workflowCall = 'on: workflow_call\njobs:\n  a:\n    steps: [{uses: a/b@v1}]\n';
    const regular = findingsOf(workflowCall, { persona: 'regular', rules: CORE });
    const pedantic = findingsOf(workflowCall, { persona: 'pedantic', rules: CORE });
    const auditor = findingsOf(workflowCall, { persona: 'auditor', rules: CORE });
    assert.deepEqual(regular.map((f) => f.ruleId), ['unpinned-uses']);
    assert.deepEqual(pedantic.map((f) => f.ruleId).sort(), ['excessive-permissions', 'unpinned-uses']);
    assert.deepEqual(summarize(auditor), summarize(pedantic));
  });

  test('minSeverity hides lower severities', () => {
    assert.deepEqual(findingsOf(text, { minSeverity: 'high', rules: CORE }).map((f) => f.ruleId), ['dangerous-triggers', 'unpinned-uses']);
    const medium = findingsOf(text, { minSeverity: 'medium', rules: CORE }).map((f) => f.ruleId);
    assert.ok(medium.includes('excessive-permissions'));
    assert.ok(findingsOf(text, { minSeverity: 'high' }).every((f) => f.severity === 'high'));
  });

  test('minConfidence hides lower confidences', () => {
    const high = findingsOf(text, { minConfidence: 'high', rules: CORE });
    assert.ok(!high.some((f) => f.ruleId === 'dangerous-triggers'), 'dangerous-triggers has medium confidence');
    assert.ok(high.some((f) => f.ruleId === 'unpinned-uses'));
  });

  test('disabled rules do not run', () => {
    const ids = findingsOf(text, { disabledRules: ['unpinned-uses', 'dangerous-triggers'], rules: CORE }).map((f) => f.ruleId);
    assert.deepEqual([...new Set(ids)], ['excessive-permissions']);
  });

  test('syntax errors are shown whatever the filters', () => {
    const broken = 'on: push\njobs:\n\ta: 1\n';
    const findings = findingsOf(broken, { persona: 'regular', minSeverity: 'high', minConfidence: 'high', disabledRules: RULES.map((r) => r.id) });
    assert.deepEqual(findings.map((f) => f.ruleId), ['syntax-error']);
  });

  test('findings are sorted by position and deterministic, whatever the rule order', () => {
    const first = findingsOf(text);
    assert.ok(first.length >= 4);
    assert.deepEqual(findingsOf(text, { rules: CORE }), findingsOf(text, { rules: [...CORE].reverse() }));
    for (let i = 1; i < first.length; i++) {
      assert.ok(first[i - 1].span.start <= first[i].span.start, 'sorted by start');
    }
    assert.deepEqual(findingsOf(text), first);
    assert.deepEqual(findingsOf(text, { rules: [...RULES].reverse() }), first);
  });

  test('a rule that throws becomes an internal-error finding and the others still report', () => {
    const broken: Rule = {
      id: 'boom',
      title: 'Boom',
      kinds: ['workflow'],
      severity: 'high',
      confidence: 'high',
      persona: 'regular',
      online: false,
      docs: { summary: '', why: '', fix: '' },
      check() {
        throw new Error('kaput');
      },
    };
    const findings = findingsOf(text, { rules: [broken, ...RULES] });
    const internal = findings.filter((f) => f.ruleId === 'internal-error');
    assert.equal(internal.length, 1);
    assert.match(internal[0].message, /boom.*kaput/);
    assert.ok(findings.some((f) => f.ruleId === 'unpinned-uses'));
  });

  test('unknown files give no findings; each kind runs only its rules', () => {
    const { file } = analyzeText(text, { path: 'notes.yml', kind: 'unknown' });
    assert.deepEqual(analyze(file, analysisOptions()), []);
    const asAction = findingsOf(text, { path: 'action.yml' }).map((f) => f.ruleId);
    assert.ok(!asAction.includes('dangerous-triggers') && !asAction.includes('excessive-permissions'));
  });

  test('every finding range maps back to its span', () => {
    const crlf = toCRLF(`name: "ワークフロー 🚀"\n${text}`);
    for (const finding of findingsOf(crlf) as Finding[]) {
      assert.equal(rangeText(crlf, finding.range), crlf.slice(finding.span.start, finding.span.end));
    }
  });
});

describe('rule documentation', () => {
  // Tests run from the repository root (npm scripts and scripts/run-tests.mjs).
  const docs = join(process.cwd(), 'docs', 'rules');
  const cells = (row: string) =>
    row
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.replace(/[¹²³⁴⁵]/g, '').trim());

  test('the index lists every registered rule with its default severity, confidence and persona', () => {
    const index = readFileSync(join(docs, 'README.md'), 'utf8');
    const rows = new Map<string, string[]>();
    for (const line of index.split('\n')) {
      const match = /^\| \[?`([a-z0-9-]+)`/.exec(line);
      if (match) rows.set(match[1], cells(line));
    }
    for (const rule of RULES) {
      const row = rows.get(rule.id);
      assert.ok(row, `docs/rules/README.md has no row for \`${rule.id}\`: add one (id, title, applies to, severity, confidence, persona, fix)`);
      assert.deepEqual(row.slice(3, 6), [rule.severity, rule.confidence, rule.persona], `defaults of ${rule.id} in docs/rules/README.md`);
    }
    for (const [, target] of index.matchAll(/\]\(([a-z0-9-]+\.md)\)/g)) {
      assert.ok(existsSync(join(docs, target)), `docs/rules/README.md links to missing ${target}`);
    }
  });

  test('the foundation pages exist, explain suppression and compare with zizmor', () => {
    for (const id of ['unpinned-uses', 'dangerous-triggers', 'excessive-permissions', 'syntax-error', 'internal-error']) {
      const page = readFileSync(join(docs, `${id}.md`), 'utf8');
      assert.match(page, new RegExp(`^# \`${id}\``), id);
      assert.ok(page.includes(`# warden: ignore[${id}]`), `${id}: warden marker`);
      assert.ok(page.includes(`# zizmor: ignore[${id}]`), `${id}: zizmor marker`);
      assert.match(page, /## Compatibility with zizmor/);
    }
    for (const rule of [unpinnedUses, dangerousTriggers]) {
      const page = readFileSync(join(docs, `${rule.id}.md`), 'utf8');
      assert.match(page, new RegExp(`\\| Severity \\| ${rule.severity} \\|`), `${rule.id} severity`);
      assert.match(page, new RegExp(`\\| Persona \\| ${rule.persona} \\|`), `${rule.id} persona`);
      assert.match(page, new RegExp(`\\| Confidence \\| ${rule.confidence}\\b`), `${rule.id} confidence`);
    }
  });
});
