import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { dangerousTriggers } from '../../../server/src/rules/dangerous-triggers';
import { excessivePermissions } from '../../../server/src/rules/excessive-permissions';
import { pinningStyle, unpinnedUses } from '../../../server/src/rules/unpinned-uses';
import { applyEdits } from '../../../server/src/fixes/edits';
import { parseLockText } from '../../../server/src/lockfile/read';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../../server/src/engine';
import { ParsedFile } from '../../../server/src/parse/document';
import { attachSnapshot, emptySnapshot } from '../../../server/src/resolve/snapshot';
import { repoKey } from '../../../server/src/resolve/types';
import { available, unavailable } from '../../../server/src/views';
import { entry, lockText, workflowFindings } from '../../support/lockfile';
import type { Rule } from '../../../server/src/rules/types';
import { findingsOf, rangeText, summarize, toCRLF, yaml } from '../../support/analysis';
import { expectFindings } from '../../support/expect-findings';

const SHA = '11bbf7e8c1d4a2b3f6e5d4c3b2a1908f7e6d5c4b';
/** The rules under test: assertions about the whole set of findings run only these, so new rules don't break them. */
const CORE: readonly Rule[] = [dangerousTriggers, excessivePermissions, unpinnedUses];

/** Findings of one rule, as `[text covered, line]` pairs. */
function flagged(text: string, ruleId: string, options: Parameters<typeof findingsOf>[1] = {}): [string, number][] {
  return findingsOf(text, { ...options, ruleId }).map((f) => [rangeText(text, f.range), f.range.start.line]);
}

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
    assert.deepEqual(
      findings.map((f) => rangeText(text, f.range)),
      [SHA.slice(0, 7)],
    );
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
    assert.deepEqual(
      findings.map((f) => rangeText(text, f.range)),
      ['v1'],
    );
    assert.match(findings[0].message, /^reusable workflow `octo\/shared\/\.github\/workflows\/release\.yml`/);
  });

  test('subpath actions are named with their path', () => {
    const text = wf('      - uses: github/codeql-action/upload-sarif@v3\n');
    const [finding] = findingsOf(text, { ruleId: 'unpinned-uses' });
    assert.equal(rangeText(text, finding.range), 'v3');
    assert.match(finding.message, /`github\/codeql-action\/upload-sarif`/);
  });

  test('uses: values elsewhere (dependabot file, `with:` input) are not audited', () => {
    assert.deepEqual(
      flagged('version: 2\nupdates:\n  - uses: actions/checkout@v4\n', 'unpinned-uses', { path: '.github/dependabot.yml' }),
      [],
    );
    assert.deepEqual(flagged(wf('      - run: echo\n        with:\n          uses: actions/checkout@v4\n'), 'unpinned-uses'), []);
  });
});

describe('unpinned-uses: minimal workflows', () => {
  test('a version tag: the ref after `@`', () => {
    const text = 'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';
    expectFindings(text, 'unpinned-uses', [['6:31-6:33', /action `actions\/checkout` is pinned to tag `v4`/]]);
  });

  test('a branch name: the ref after `@`', () => {
    const text =
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@main\n';
    expectFindings(text, 'unpinned-uses', [
      ['6:39-6:43', /action `docker\/build-push-action` is pinned to `main`, a branch or tag that can move/],
    ]);
  });

  test('a full commit SHA is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@8f4b7f84864484a7bf31766abe9204da3cbe65b3\n',
      'unpinned-uses',
      [],
    );
  });

  test('a local action is not flagged', () => {
    expectFindings(
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/build\n',
      'unpinned-uses',
      [],
    );
  });
});

describe('unpinned-uses under actions.lock', () => {
  const lockWf = (steps: string) => `on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
  const LOCK_SHA = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
  const lock = lockText({ '.github/workflows/ci.yml': ['actions/checkout@v4.2.2', `actions/checkout@${LOCK_SHA}`] }, [
    entry('actions/checkout@v4.2.2', 'v4.2.2', LOCK_SHA),
    entry(`actions/checkout@${LOCK_SHA}`, 'v4.2.2', LOCK_SHA),
  ]);

  test('a tag the lock covers in an onboarded workflow is pinned', () => {
    assert.deepEqual(workflowFindings(lockWf('      - uses: actions/checkout@v4.2.2\n'), lock, 'unpinned-uses'), []);
  });

  test('an expression ref is still reported: a lock cannot cover it', () => {
    assert.equal(workflowFindings(lockWf('      - uses: actions/checkout@${{ inputs.ref }}\n'), lock, 'unpinned-uses').length, 1);
  });

  test('a bare SHA is informational, with a fix to the locked version of its comment', () => {
    const text = lockWf(`      - uses: actions/checkout@${LOCK_SHA} # v4.2.2\n`);
    const [finding] = workflowFindings(text, lock, 'unpinned-uses');
    assert.equal(finding.severity, 'informational');
    assert.equal(applyEdits(text, finding.fixes[0].edits), lockWf('      - uses: actions/checkout@v4.2.2\n'));
    const noTag = lockWf(`      - uses: actions/checkout@${LOCK_SHA} # v9.9.9\n`);
    assert.deepEqual(workflowFindings(noTag, lock, 'unpinned-uses')[0].fixes, []);
  });

  test('online, a bare SHA names the tag that points at its commit (the highest release), or says that none does', () => {
    const OTHER = 'cccccccccccccccccccccccccccccccccccccccc';
    const both = lockText({ '.github/workflows/ci.yml': [`actions/checkout@${LOCK_SHA}`, `actions/checkout@${OTHER}`] }, [
      entry(`actions/checkout@${LOCK_SHA}`, 'v4.2.2', LOCK_SHA),
      entry(`actions/checkout@${OTHER}`, 'main', OTHER),
    ]);
    const text = lockWf(`      - uses: actions/checkout@${LOCK_SHA}\n      - uses: actions/checkout@${OTHER}\n`);
    const tag = (name: string, commit = LOCK_SHA) => ({ name, kind: 'tag' as const, commit });
    const findings = (tags: ReturnType<typeof tag>[]) => {
      const file = new ParsedFile('file:///repo/.github/workflows/ci.yml', 'workflow', text);
      const snapshot = emptySnapshot(false);
      snapshot.repos.set(repoKey('actions', 'checkout'), {
        ok: true,
        value: { repository: 'actions/checkout', tags, branches: [], defaultBranch: 'main', fetchedAt: 0 },
      });
      attachSnapshot(file, snapshot);
      return analyze(file, {
        ...DEFAULT_ANALYSIS_OPTIONS,
        persona: 'auditor',
        rules: [unpinnedUses],
        views: { lock: available({ lock: parseLockText(both), workflowPath: '.github/workflows/ci.yml' }) },
      });
    };
    const [tagged, untagged] = findings([tag('v4'), tag('v5.0.0-rc.1'), tag('v4.2.2'), tag('v4.2.1', OTHER.replace(/c/g, 'd'))]);
    assert.match(tagged.message, /tag `v4\.2\.2` points at this commit: write it instead and lock it/);
    assert.deepEqual(tagged.fixes, [], 'the fix writes two files: the editor offers it as a command (lock-actions)');
    assert.match(untagged.message, /no tag of `actions\/checkout` points at this commit, so there is no version to write instead/);
    // Only a prerelease, or only a tag that is not a version: that is the tag.
    assert.match(findings([tag('v5.0.0-rc.1')])[0].message, /tag `v5\.0\.0-rc\.1` points/);
    assert.match(findings([tag('latest'), tag('v4')])[0].message, /tag `v4` points/);
  });

  test('pinning.style: the style is lockfile with a lock (auto), sha without, or as configured', () => {
    assert.equal(pinningStyle({}, available({ lock: parseLockText(lock), workflowPath: null })), 'lockfile');
    assert.equal(pinningStyle({}, unavailable('not-indexed')), 'sha');
    assert.equal(pinningStyle({ style: 'sha' }, available({ lock: parseLockText(lock), workflowPath: null })), 'sha');
    assert.equal(pinningStyle({ style: 'lockfile' }, unavailable('not-indexed')), 'lockfile');
  });
});
