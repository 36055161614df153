import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze, analysisViews, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import {
  BUILT_IN_RULES,
  builtInRule,
  CONFIG_ERROR_RULE as FINDINGS_CONFIG_ERROR_RULE,
  INTERNAL_ERROR_RULE,
  SYNTAX_ERROR_RULE,
  UNUSED_IGNORE_RULE,
} from '../../server/src/findings';
import { CONFIG_ERROR_RULE } from '../../server/src/config/apply';
import { ruleMeta } from '../../server/src/cli/rule-meta';
import { sarifReport } from '../../server/src/cli/format-sarif';
import { findingHover } from '../../server/src/features/hovers/findings';
import { ONLINE_CHECKS } from '../../server/src/features/online';
import { attachSnapshot, emptySnapshot, type OnlineSnapshot } from '../../server/src/resolve/snapshot';
import { repoKey } from '../../server/src/resolve/types';
import { onlineRuleChecks, RULES } from '../../server/src/rules';
import type { Rule, RuleContext } from '../../server/src/rules/types';
import { available, unavailable, type WorkspaceView } from '../../server/src/views';
import { parseAs } from '../support/analysis';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const PINNED = [
  'on: push',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    steps:',
  `      - uses: actions/checkout@${SHA}`,
  '',
].join('\n');

function impostorSnapshot(): OnlineSnapshot {
  const snapshot = emptySnapshot(false);
  snapshot.memberships.set(`${repoKey('actions', 'checkout')}@${SHA}`, { status: 'impostor', checked: 3 });
  return snapshot;
}

const OPTIONS: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' };

/** A rule that records the context it was given. */
function probe(fields: Partial<Rule>, seen: RuleContext[]): Rule {
  return {
    id: 'probe',
    title: 'Probe',
    kinds: ['workflow'],
    severity: 'low',
    confidence: 'high',
    persona: 'regular',
    online: false,
    docs: { summary: '', why: '', fix: '' },
    check(context) {
      seen.push({ ...context });
    },
    ...fields,
  };
}

describe('built-in rules table', () => {
  test('lists every id the engine and the configuration report, once', () => {
    assert.deepEqual(
      BUILT_IN_RULES.map((rule) => rule.id).sort(),
      [CONFIG_ERROR_RULE, INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE, UNUSED_IGNORE_RULE].sort(),
    );
    assert.equal(FINDINGS_CONFIG_ERROR_RULE, CONFIG_ERROR_RULE);
    for (const rule of BUILT_IN_RULES) {
      assert.ok(rule.title && rule.summary && rule.help, rule.id);
      assert.equal(
        RULES.find((registered) => registered.id === rule.id),
        undefined,
        `${rule.id} is also a registry rule`,
      );
    }
  });

  test('is what the SARIF rule metadata says of them', () => {
    for (const rule of BUILT_IN_RULES) {
      const meta = ruleMeta(rule.id);
      assert.deepEqual([meta.title, meta.summary, meta.severity, meta.help], [rule.title, rule.summary, rule.severity, rule.help], rule.id);
    }
    const file = parseAs('on: [push\n');
    const findings = analyze(file, OPTIONS);
    assert.ok(findings.some((finding) => finding.ruleId === SYNTAX_ERROR_RULE));
    const report = sarifReport([{ path: 'x.yml', kind: 'workflow', findings, lines: file.lines }]) as {
      runs: { tool: { driver: { rules: { id: string; shortDescription: { text: string } }[] } } }[];
    };
    const described = report.runs[0].tool.driver.rules.find((rule) => rule.id === SYNTAX_ERROR_RULE);
    assert.equal(described?.shortDescription.text, builtInRule(SYNTAX_ERROR_RULE)!.title);
  });

  test('gives the engine its gradings and the hover its titles', () => {
    const file = parseAs('on: [push\n');
    const findings = analyze(file, OPTIONS);
    const syntax = findings.find((finding) => finding.ruleId === SYNTAX_ERROR_RULE)!;
    const row = builtInRule(SYNTAX_ERROR_RULE)!;
    assert.deepEqual([syntax.severity, syntax.confidence, syntax.persona], [row.severity, row.confidence, row.persona]);
    const hover = findingHover({ uri: file.uri, version: 0, file, findings }, syntax.span.start);
    assert.ok(
      hover.some((section) => section.markdown.startsWith(`**${row.title}**`)),
      JSON.stringify(hover),
    );
  });
});

describe('views in the rule context', () => {
  test('a rule marked online reports nothing without the online view and reports with it', () => {
    const impostor = RULES.find((rule) => rule.id === 'impostor-commit')!;
    assert.equal(impostor.online, true);
    const options = { ...OPTIONS, rules: [impostor] };
    assert.deepEqual(analyze(parseAs(PINNED), options), []);
    assert.deepEqual(analyze(parseAs(PINNED), { ...options, views: { online: unavailable('offline') } }), []);
    const withView = analyze(parseAs(PINNED), { ...options, views: { online: available(impostorSnapshot()) } });
    assert.deepEqual(
      withView.map((finding) => finding.ruleId),
      ['impostor-commit'],
    );
    // The snapshot a front end stores with the file is the default online view.
    const stored = parseAs(PINNED);
    attachSnapshot(stored, impostorSnapshot());
    assert.deepEqual(
      analyze(stored, options).map((finding) => finding.ruleId),
      ['impostor-commit'],
    );
    const offline = parseAs(PINNED);
    attachSnapshot(offline, emptySnapshot(true));
    assert.deepEqual(analyze(offline, options), []);
  });

  test('the engine does not run a rule marked online while the online view is absent', () => {
    const seen: RuleContext[] = [];
    analyze(parseAs(PINNED), { ...OPTIONS, rules: [probe({ online: true }, seen)] });
    assert.equal(seen.length, 0);
    analyze(parseAs(PINNED), { ...OPTIONS, rules: [probe({ online: true }, seen)], views: { online: available(emptySnapshot(false)) } });
    assert.equal(seen.length, 1);
  });

  test('the engine hands each rule the views it declares, and says the others are not declared', () => {
    const workspace: WorkspaceView = { root: '/repo', files: new Map() };
    const snapshot = emptySnapshot(false);
    const views = { online: available(snapshot), workspace: available(workspace) };
    const declared: RuleContext[] = [];
    const undeclared: RuleContext[] = [];
    analyze(parseAs(PINNED), {
      ...OPTIONS,
      views,
      rules: [probe({ id: 'declares', reads: ['workspace', 'online'] }, declared), probe({ id: 'declares-nothing' }, undeclared)],
    });
    assert.equal(declared.length, 1);
    assert.deepEqual(declared[0].workspace, { available: true, value: workspace });
    assert.deepEqual(declared[0].online, { available: true, value: snapshot });
    assert.deepEqual(declared[0].dependencies, { available: false, reason: 'not-declared' });
    assert.equal(undeclared.length, 1);
    for (const view of [
      undeclared[0].online,
      undeclared[0].workspace,
      undeclared[0].dependencies,
      undeclared[0].lock,
      undeclared[0].policy,
    ])
      assert.deepEqual(view, { available: false, reason: 'not-declared' });
  });

  test('views not given are absent with their reasons', () => {
    const views = analysisViews(parseAs(PINNED), OPTIONS);
    assert.deepEqual(views, {
      online: { available: false, reason: 'not-fetched' },
      workspace: { available: false, reason: 'not-indexed' },
      dependencies: { available: false, reason: 'not-fetched' },
      lock: { available: false, reason: 'not-indexed' },
      policy: { available: false, reason: 'not-fetched' },
    });
  });

  test('the offline notice names every rule marked online and every online lookup', () => {
    for (const rule of RULES.filter((candidate) => candidate.online)) assert.ok(ONLINE_CHECKS.includes(rule.id), rule.id);
    assert.deepEqual(onlineRuleChecks(), [
      'impostor-commit',
      'lockfile-unverified',
      'stale-action-refs',
      'ref-confusion',
      'the tag lookup of ref-version-mismatch',
      'the advisory database lookup of known-vulnerable-actions',
      'the repository settings lookup of repository-policy',
    ]);
    assert.ok(ONLINE_CHECKS.startsWith('pin quick fixes, pin-all, ') && ONLINE_CHECKS.endsWith(' and tag hovers'), ONLINE_CHECKS);
  });
});

describe('registry', () => {
  test('every rule is listed once, and a rule that reads the online view declares it', () => {
    assert.equal(new Set(RULES.map((rule) => rule.id)).size, RULES.length);
    for (const rule of RULES) {
      const source = readFileSync(join('server/src/rules', `${rule.id}.ts`), 'utf8');
      const readsOnline = /\bonline\b[,}]|online\.(available|value)|viewValue\(online\)/.test(source);
      assert.equal(readsOnline, rule.online || (rule.reads ?? []).includes('online'), rule.id);
    }
  });

  test('rules import no other rule', () => {
    const ruleFiles = new Set(
      readdirSync('server/src/rules')
        .filter((name) => name.endsWith('.ts'))
        .map((name) => name.slice(0, -3)),
    );
    for (const name of ruleFiles) {
      if (name === 'index') continue;
      const source = readFileSync(join('server/src/rules', `${name}.ts`), 'utf8');
      for (const match of source.matchAll(/from '\.\/([^'/]+)'/g))
        assert.ok(match[1] === 'types' || !ruleFiles.has(match[1]), `${name} imports ${match[1]}`);
    }
  });
});
