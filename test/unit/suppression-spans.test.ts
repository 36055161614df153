/**
 * The suppression span of a finding (server/src/suppressions/spans.ts): an ignore comment counts anywhere
 * in the step, job, Dependabot update or top-level block the finding is in, as zizmor's do. One test per
 * shape of comment found in real repositories, each from a minimal example of our own, the places where
 * a comment must not count, and the ignore fix for findings inside a block scalar (comment on its header).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dangerousTriggers } from '../../server/src/rules/dangerous-triggers';
import { dependabotCooldown } from '../../server/src/rules/dependabot-cooldown';
import { templateInjection } from '../../server/src/rules/template-injection';
import { unpinnedUses } from '../../server/src/rules/unpinned-uses';
import type { Rule } from '../../server/src/rules/types';
import { applyEdits } from '../../server/src/fixes/edits';
import { ignoreFix, ignoreFixes } from '../../server/src/suppressions/ignore-fix';
import { analyzeText, findingsOf, rangeText, toCRLF, yaml } from '../support/analysis';

const RULES: readonly Rule[] = [dangerousTriggers, templateInjection, unpinnedUses, dependabotCooldown];

/** `[rule, text covered]` of every finding of the core rules (and unused-ignore), in order. */
function found(text: string, path?: string): [string, string][] {
  return findingsOf(text, { rules: RULES, path })
    .filter((finding) => finding.ruleId !== 'unused-ignore')
    .map((finding) => [finding.ruleId, rangeText(text, finding.range)]);
}

const INJECTED = yaml`
  on: pull_request
  permissions: {}
  jobs:
    build:
      runs-on: ubuntu-latest
      steps:
        - name: Greet
          run: |
            echo "\${{ github.event.pull_request.title }}"
        - name: Other
          run: echo "\${{ github.head_ref }}"
`;

describe('suppression spans: shapes found in real repositories', () => {
  test('baseline: both injections are reported', () => {
    assert.deepEqual(found(INJECTED), [
      ['template-injection', 'github.event.pull_request.title'],
      ['template-injection', 'github.head_ref'],
    ]);
  });

  test('`run: | # zizmor: ignore[...]` header line suppresses a finding in the script', () => {
    const text = INJECTED.replace('run: |', 'run: | # zizmor: ignore[template-injection] trusted');
    assert.deepEqual(found(text), [['template-injection', 'github.head_ref']]);
  });

  test("the step's `- name:` line", () => {
    const text = INJECTED.replace('- name: Greet', '- name: Greet  # zizmor: ignore[template-injection]');
    assert.deepEqual(found(text), [['template-injection', 'github.head_ref']]);
  });

  test('a comment line of its own between the keys of the step', () => {
    const text = INJECTED.replace('        run: |', '        # zizmor: ignore[template-injection] -- reviewed\n        run: |');
    assert.deepEqual(found(text), [['template-injection', 'github.head_ref']]);
  });

  test('`on: # zizmor: ignore[dangerous-triggers]` and a comment line inside the `on:` block', () => {
    const base = 'on:\n  issues:\n  pull_request_target:\n    types: [opened]\npermissions: {}\njobs: {}\n';
    assert.deepEqual(found(base), [['dangerous-triggers', 'pull_request_target']]);
    assert.deepEqual(found(base.replace('on:\n', 'on: # zizmor: ignore[dangerous-triggers] -- no checkout\n')), []);
    assert.deepEqual(
      found(base.replace('  pull_request_target', '  # zizmor: ignore[dangerous-triggers]\n  # why: no checkout\n  pull_request_target')),
      [],
    );
    assert.deepEqual(found(base.replace('  pull_request_target:', '  pull_request_target: # zizmor: ignore[dangerous-triggers]')), []);
  });

  test('a flow `on:` list with the comment on its line', () => {
    assert.deepEqual(found("'on': [pull_request_target] # zizmor: ignore[dangerous-triggers]\npermissions: {}\njobs: {}\n"), []);
  });

  test('a step of a composite action: its `- name:` line', () => {
    const action = yaml`
      name: x
      description: x
      inputs:
        version: { description: v }
      runs:
        using: composite
        steps:
          - name: setup  # zizmor: ignore[template-injection]
            shell: bash
            run: |
              pip install "tool==\${{ inputs.version }}"
          - shell: bash
            run: echo "\${{ inputs.version }}"
    `;
    const findings = findingsOf(action, { rules: RULES, path: 'action.yml' });
    // Only the second step's expansion is left.
    assert.deepEqual(
      findings.map((finding) => [finding.ruleId, finding.range.start.line]),
      [['template-injection', action.split('\n').findIndex((line) => line.includes('echo "${{ inputs.version'))]],
    );
  });

  test('a Dependabot update entry: a comment on any of its lines', () => {
    const dependabot = 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: { interval: daily }\n';
    assert.deepEqual(
      found(dependabot, '.github/dependabot.yml').map(([rule]) => rule),
      ['dependabot-cooldown'],
    );
    const ignored = dependabot.replace('directory: /', 'directory: / # zizmor: ignore[dependabot-cooldown]');
    assert.deepEqual(found(ignored, '.github/dependabot.yml'), []);
  });
});

describe('suppression spans: where a comment does not count', () => {
  test('another step of the same job', () => {
    const text = INJECTED.replace('- name: Other', '- name: Other # zizmor: ignore[template-injection]');
    assert.deepEqual(found(text), [['template-injection', 'github.event.pull_request.title']]);
  });

  test('the line before a step (outside its `- `) and a comment line after its last value', () => {
    const before = INJECTED.replace('      - name: Greet', '      # zizmor: ignore[template-injection]\n      - name: Greet');
    assert.equal(found(before).length, 2);
    const after = INJECTED.replace('      - name: Other', '        # zizmor: ignore[template-injection]\n      - name: Other');
    // The comment sits after the last line of the first step's script: not in that step.
    assert.equal(found(after).length, 2);
  });

  test('a shell comment inside the script', () => {
    const text = INJECTED.replace('          echo "${{', '          # zizmor: ignore[template-injection]\n          echo "${{');
    assert.equal(found(text).length, 2);
  });

  test('`jobs:` is not one block: a comment on it or in one job does not reach a trigger or another job', () => {
    const text = yaml`
      on: pull_request_target
      permissions: {}
      jobs: # zizmor: ignore[dangerous-triggers,unpinned-uses]
        a: # zizmor: ignore[unpinned-uses]
          runs-on: x
          steps: [{ run: echo }]
        b:
          runs-on: x
          steps:
            - uses: actions/checkout@v4
    `;
    assert.deepEqual(found(text), [
      ['dangerous-triggers', 'pull_request_target'],
      ['unpinned-uses', 'v4'],
    ]);
  });

  test("a comment on a job's line counts for the job's own findings, not for those of its steps", () => {
    const text = yaml`
      on: push
      permissions: {}
      jobs:
        call: # zizmor: ignore[unpinned-uses] -- our own reusable workflow
          uses: my-org/shared/.github/workflows/ci.yml@main
        b: # zizmor: ignore[unpinned-uses]
          runs-on: x
          steps:
            - uses: actions/checkout@v4
    `;
    assert.deepEqual(found(text), [['unpinned-uses', 'v4']]);
  });

  test('a comment in another top-level block', () => {
    const text = 'on: pull_request_target\npermissions: {} # zizmor: ignore[dangerous-triggers]\njobs: {}\n';
    assert.deepEqual(found(text), [['dangerous-triggers', 'pull_request_target']]);
  });
});

describe('suppression spans and unused-ignore', () => {
  const pedantic = (text: string) =>
    findingsOf(text, { rules: RULES, persona: 'pedantic', ruleId: 'unused-ignore' }).map((finding) => rangeText(text, finding.range));

  test('a `warden:` comment that suppresses a finding elsewhere in its step is used', () => {
    const text = INJECTED.replace('- name: Greet', '- name: Greet # warden: ignore[template-injection]');
    assert.deepEqual(found(text), [['template-injection', 'github.head_ref']]);
    assert.deepEqual(pedantic(text), []);
  });

  test('a `warden:` comment in a step where its rule found nothing is unused', () => {
    const text = INJECTED.replace('- name: Greet', '- name: Greet # warden: ignore[unpinned-uses]');
    assert.deepEqual(pedantic(text), ['# warden: ignore[unpinned-uses]']);
    assert.match(findingsOf(text, { rules: RULES, ruleId: 'unused-ignore' })[0].message, /in the step, job or block of this line/);
  });
});

describe('the ignore fix inside a block scalar', () => {
  const fixOf = (text: string, needle: string) => {
    const { file, findings } = analyzeText(text, { rules: RULES });
    const finding = findings.find((each) => rangeText(text, each.range) === needle);
    assert.ok(finding, needle);
    return { single: ignoreFix(file, finding), batch: ignoreFixes(file, findings)[findings.indexOf(finding)] };
  };

  test('goes on the `run: |` header line, keeps every other byte, and then suppresses the finding', () => {
    const { single, batch } = fixOf(INJECTED, 'github.event.pull_request.title');
    assert.deepEqual(batch, single);
    const fixed = applyEdits(INJECTED, single!.edits);
    assert.equal(fixed, INJECTED.replace('run: |', 'run: | # warden: ignore[template-injection] reason'));
    assert.deepEqual(found(fixed), [['template-injection', 'github.head_ref']]);
  });

  test('merges into an ignore comment already on the header line, with CRLF line ends', () => {
    const text = toCRLF(INJECTED.replace('run: |', 'run: |  # zizmor: ignore[github-env] why'));
    const { single } = fixOf(text, 'github.event.pull_request.title');
    const fixed = applyEdits(text, single!.edits);
    assert.equal(fixed, text.replace('ignore[github-env]', 'ignore[github-env,template-injection]'));
    assert.deepEqual(found(fixed), [['template-injection', 'github.head_ref']]);
  });

  test('after another comment on the header line; a folded `>-` script too', () => {
    const commented = INJECTED.replace('run: |', 'run: | # prints the title');
    const fixed = applyEdits(commented, fixOf(commented, 'github.event.pull_request.title').single!.edits);
    assert.ok(fixed.includes('run: | # prints the title # warden: ignore[template-injection] reason\n'));
    assert.deepEqual(found(fixed), [['template-injection', 'github.head_ref']]);
    const folded = INJECTED.replace('run: |', 'run: >-');
    const foldedFixed = applyEdits(folded, fixOf(folded, 'github.event.pull_request.title').single!.edits);
    assert.deepEqual(found(foldedFixed), [['template-injection', 'github.head_ref']]);
  });
});
