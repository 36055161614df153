/**
 * Render everything, check everything: every hover the server can produce on a workflow built from the
 * knowledge tables (every trigger, every `github.*` property and an event field of each trigger, the other
 * contexts, every permission scope, every kind of `uses:`, the step keys) and every rule's finding hover and
 * message over the real corpus at the auditor persona. Each text is checked for doubled words, a sentence
 * that starts with a fragment of another, empty placeholders, `undefined` / `null` / `[object`, unbalanced
 * backticks and, for messages, a length budget. The hover texts of the built workflow and each rule's first
 * corpus hover are kept in a golden file, so a change of wording is reviewed:
 *
 *   UPDATE_GOLDEN=1 node scripts/run-tests.mjs unit words/rendering
 *
 * rewrites test/unit/words/hover-golden.md (review the diff, then commit it).
 */
import { markdownMessage } from '../../../server/src/features/hovers/markdown';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../../server/src/engine';
import type { Analysis } from '../../../server/src/document-cache';
import { HOVER_PROVIDERS, hover } from '../../../server/src/features/hover';
import { findingHover } from '../../../server/src/features/hovers/findings';
import { TRIGGERS } from '../../../server/src/knowledge/triggers';
import { GITHUB_PROPERTIES } from '../../../server/src/knowledge/contexts';
import { WEBHOOK_FIELDS } from '../../../server/src/knowledge/webhook-contexts.generated';
import { PERMISSION_SCOPES } from '../../../server/src/knowledge/permissions';
import { classifyPath, ParsedFile } from '../../../server/src/parse/document';
import { attachSnapshot, emptySnapshot, resolvableRemote, type OnlineSnapshot } from '../../../server/src/resolve/snapshot';
import { repoKey } from '../../../server/src/resolve/types';
import { RULES } from '../../../server/src/rules';

const root = process.cwd();
const GOLDEN = join(root, 'test', 'unit', 'words', 'hover-golden.md');
const CORPUS = join(root, '..', 'shared', 'corpus', 'real');
const AUDITOR: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' };
/**
 * A message is one or two sentences a person reads in a problems list: longer ones are cut by editors. The
 * budget counts the message's own words; a quoted name (a code span) counts at most QUOTE_BUDGET characters,
 * as a long image name or expression of the file is the file's, not the message's.
 */
const MESSAGE_BUDGET = 400;
const QUOTE_BUDGET = 40;
const messageLength = (message: string) => message.replace(/`[^`]*`/g, (quote) => quote.slice(0, QUOTE_BUDGET)).length;

/** What reads badly in a rendered text (markdown or plain); an empty list when nothing does. */
export function wordingProblems(text: string): string[] {
  const problems: string[] = [];
  const prose = text.replace(/```[\s\S]*?```/g, 'CODE');
  const ticks = (prose.match(/`/g) ?? []).length;
  if (ticks % 2 !== 0) problems.push('unbalanced backticks');
  // Words outside code spans and links.
  const words = prose
    .replace(/`[^`]*`/g, 'CODE')
    .replace(/\]\([^)]*\)/g, ']')
    .replace(/https?:\/\/[^\s)]+/g, 'URL');
  for (const pattern of [/\bundefined\b/, /\bnull\b/, /\[object\b/, /\bNaN\b/, /\$\{/]) {
    const match = pattern.exec(words);
    if (match) problems.push(`"${match[0]}" in the text`);
  }
  const doubled = /\b(?!CODE\b)([A-Za-z]{2,})\s+\1\b/i.exec(words);
  if (doubled) problems.push(`doubled word "${doubled[0]}"`);
  for (const sentence of words.split(/(?<=[.!?:])\s+|\n+/)) {
    const first = sentence
      .replace(/^[^A-Za-z]+/, '')
      .split(/\s+/)
      .slice(0, 3)
      .map((word) => word.toLowerCase().replace(/[^a-z]/g, ''));
    if (first.length === 3 && first[0] && first[0] !== 'code' && first[0] === first[2])
      problems.push(`sentence starts with a repeated word: "${sentence.slice(0, 40)}"`);
  }
  const fragment = /\b(with|by|of|for|from|to)\s+(like|runs|with)\b/i.exec(words);
  if (fragment) problems.push(`a fragment joined to a prefix: "${fragment[0]}"`);
  const empty = /``|\(\s*\)|\[\s*\]|\*\*\*\*|\s[,.;:](?=\s|$)|[,;:]\s*[.;]|\.\./.exec(words.replace(/\.\.\./g, '…'));
  if (empty) problems.push(`empty placeholder "${empty[0]}"`);
  if (/[^\s] {2,}[^\s]/.test(words.replace(/^ +/gm, ''))) problems.push('two spaces inside a line');
  return problems;
}

/** Every text of `texts` (label → text) that reads badly, as `label: problem`. */
function allProblems(texts: ReadonlyMap<string, string>): string[] {
  return [...texts].flatMap(([label, text]) => wordingProblems(text).map((problem) => `${label}: ${problem}`));
}

const fakeSha = (seed: string) => {
  let hex = '';
  for (let i = 0; hex.length < 40; i++) hex += ((seed.charCodeAt(i % seed.length) * 31 + i * 7) % 16).toString(16);
  return hex;
};

/** A workflow naming everything the hovers know: built from the knowledge tables, never listed by hand. */
function knowledgeWorkflow(): string {
  const triggers = Object.keys(TRIGGERS);
  const eventFields = triggers.flatMap((trigger) => {
    const fields = WEBHOOK_FIELDS[trigger];
    if (!fields) return [];
    return [fields.a, fields.s]
      .map((list) => list.split(' ')[0])
      .filter((field) => field && !field.includes('*'))
      .map((field) => `github.event.${field}`);
  });
  const contexts = [
    'github',
    ...Object.keys(GITHUB_PROPERTIES).map((property) => `github.${property}`),
    ...new Set(eventFields),
    'inputs.name',
    'env.NAME',
    'secrets.TOKEN',
    'vars.NAME',
    'matrix.os',
    'steps.meta.outputs.tag',
    'needs.setup.outputs.version',
    'runner.os',
    'job.status',
  ];
  const sha = fakeSha('checkout');
  return [
    'name: words',
    'on:',
    ...triggers.map((trigger) => `  ${trigger}:`),
    'permissions:',
    ...Object.entries(PERMISSION_SCOPES).map(([scope, info]) => `  ${scope}: ${info.levels === 'read' ? 'read' : 'write'}`),
    'jobs:',
    '  setup:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: echo',
    '  build:',
    '    needs: setup',
    '    runs-on: ubuntu-latest',
    '    permissions:',
    '      contents: read',
    '    strategy:',
    '      matrix:',
    '        os: [a]',
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/checkout@main',
    `      - uses: actions/checkout@${sha} # v4.2.2`,
    `      - uses: actions/checkout@${sha}`,
    '      - uses: ./local-action',
    '      - uses: $/local-action',
    '      - uses: docker://alpine:3.20',
    '      - id: meta',
    '        background: true',
    '        run: echo',
    '      - wait: meta',
    '      - wait-all:',
    '      - cancel: meta',
    '      - parallel:',
    '          - run: echo',
    ...contexts.map((context) => `      - run: echo "\${{ ${context} }}"`),
    '  reuse:',
    '    uses: octo/workflows/.github/workflows/build.yml@v1',
    '',
  ].join('\n');
}

/** Tags, branches and memberships for every `uses:` of the file: `v4` and `v4.2.2` on one commit, `main` a branch. */
function resolvedSnapshot(file: ParsedFile): OnlineSnapshot {
  const snapshot = emptySnapshot(false);
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (!uses) continue;
    const key = repoKey(uses.owner, uses.repo);
    // The pinned SHA of the workflow is the commit of the tags, so the SHA hovers name them.
    const commit = fakeSha('checkout');
    snapshot.repos.set(key, {
      ok: true,
      value: {
        repository: key,
        tags: [
          { name: 'v4', kind: 'tag', commit },
          { name: 'v4.2.2', kind: 'tag', commit },
          { name: 'v1', kind: 'tag', commit },
        ],
        branches: [{ name: 'main', kind: 'branch', commit: fakeSha(`${key}@main`) }],
        defaultBranch: 'main',
        fetchedAt: 0,
      },
    });
    if (uses.refKind === 'sha') snapshot.memberships.set(`${key}@${uses.ref}`, { status: 'reachable', via: 'main' });
  }
  return snapshot;
}

/** Every distinct hover of a document: asked at each offset where a word starts, labelled by the word's line. */
function everyHover(label: string, analysis: Analysis): Map<string, string> {
  const found = new Map<string, string>();
  const seen = new Set<string>();
  const text = analysis.file.text;
  for (let offset = 0; offset < text.length; offset++) {
    if (offset > 0 && /[\w$.@/-]/.test(text[offset - 1])) continue;
    if (!/[\w$.@/-]/.test(text[offset])) continue;
    const result = hover(analysis, offset);
    if (!result || typeof result.contents !== 'object' || !('value' in result.contents)) continue;
    const value = result.contents.value;
    if (seen.has(value)) continue;
    seen.add(value);
    const line = analysis.file.lines.range({ start: offset, end: offset }).start.line;
    found.set(`${label} · line ${line + 1}: ${text.split('\n')[line].trim()}`, value);
  }
  return found;
}

function analysisOf(uri: string, text: string, snapshot?: (file: ParsedFile) => OnlineSnapshot): Analysis {
  const kind = classifyPath(uri);
  const file = new ParsedFile(uri, kind === 'unknown' ? 'workflow' : kind, text);
  if (snapshot) attachSnapshot(file, snapshot(file));
  return { uri, version: 0, file, findings: analyze(file, AUDITOR) };
}

/** The corpus, analysed once at the auditor persona. */
function corpusAnalyses(): Analysis[] {
  const analyses: Analysis[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const rel = relative(CORPUS, path).replace(/\\/g, '/');
        if (classifyPath(rel) === 'unknown') continue;
        analyses.push(analysisOf(`file:///corpus/${rel}`, readFileSync(path, 'utf8')));
      }
    }
  };
  walk(CORPUS);
  return analyses;
}

function golden(sections: ReadonlyMap<string, string>): string {
  const body = [...sections].map(([label, text]) => `## ${label}\n\n${text.trim()}\n`).join('\n');
  return `# Hover texts\n\nGenerated by test/unit/words/rendering.test.ts; refresh with\n\`UPDATE_GOLDEN=1 node scripts/run-tests.mjs unit words/rendering\` and review the diff.\n\n${body}`;
}

describe('words: rendering', () => {
  const workflow = knowledgeWorkflow();
  const offline = analysisOf('file:///repo/.github/workflows/words.yml', workflow, () => emptySnapshot(true));
  const online = analysisOf('file:///repo/.github/workflows/words.yml', workflow, resolvedSnapshot);
  const unresolved = analysisOf('file:///repo/.github/workflows/words.yml', workflow);
  const hovers = new Map([
    ...everyHover('offline', offline),
    ...everyHover('resolved', online),
    ...everyHover('not yet resolved', unresolved),
  ]);
  const hasCorpus = existsSync(CORPUS);
  const corpus = hasCorpus ? corpusAnalyses() : [];
  const firstHoverByRule = new Map<string, string>();
  for (const analysis of corpus) {
    for (const finding of analysis.findings) {
      if (firstHoverByRule.has(finding.ruleId)) continue;
      const section = findingHover(analysis, finding.span.start).find((candidate) =>
        candidate.markdown.includes(markdownMessage(finding.message)),
      );
      if (section) firstHoverByRule.set(finding.ruleId, section.markdown);
    }
  }

  test('the built workflow reaches every hover provider and every knowledge entry', () => {
    assert.ok(HOVER_PROVIDERS.length > 0);
    const texts = [...hovers.values()].join('\n');
    for (const trigger of Object.keys(TRIGGERS)) assert.ok(texts.includes(`**\`${trigger}\`** — fired by`), `trigger ${trigger}`);
    for (const scope of Object.keys(PERMISSION_SCOPES)) assert.ok(texts.includes(`**\`${scope}\`** permission`), `scope ${scope}`);
    for (const property of Object.keys(GITHUB_PROPERTIES)) assert.ok(texts.includes(`**\`github.${property}\`**`), `github.${property}`);
    for (const kind of ['Offline mode', 'Resolving tags', 'is tagged', 'is a **branch**', 'Tag `v4`', 'background: true']) {
      assert.ok(texts.includes(kind), `a hover saying "${kind}"`);
    }
  });

  test('every hover of the built workflow reads well', () => {
    assert.deepEqual(allProblems(hovers), []);
  });

  test('every rule finding hover and every message over the corpus reads well, within the length budget', {
    skip: !hasCorpus && 'no corpus beside the checkout',
  }, () => {
    assert.ok(corpus.length > 100, `${corpus.length} corpus files`);
    assert.deepEqual(allProblems(firstHoverByRule), []);
    const problems = new Set<string>();
    for (const analysis of corpus) {
      for (const finding of analysis.findings) {
        for (const problem of wordingProblems(finding.message)) problems.add(`${finding.ruleId}: ${problem}: ${finding.message}`);
        const length = messageLength(finding.message);
        if (length > MESSAGE_BUDGET) problems.add(`${finding.ruleId}: ${length} characters (budget ${MESSAGE_BUDGET}): ${finding.message}`);
      }
    }
    assert.deepEqual([...problems], []);
  });

  test('every rule that fires on the corpus has its docs texts checked too', {
    skip: !hasCorpus && 'no corpus beside the checkout',
  }, () => {
    const texts = new Map(
      RULES.flatMap((rule) =>
        Object.entries(rule.docs).map(([key, value]) => [`${rule.id} docs.${key}`, String(value)] as [string, string]),
      ),
    );
    assert.deepEqual(allProblems(texts), []);
  });

  test('the hover golden file is current', () => {
    const sections = new Map(hovers);
    for (const [ruleId, markdown] of [...firstHoverByRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      sections.set(`finding · ${ruleId}`, markdown.replace(/file:\/\/\/corpus\/[^\s)`]*/g, 'FILE'));
    const expected = golden(sections);
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN, expected);
      return;
    }
    assert.ok(
      existsSync(GOLDEN),
      'test/unit/words/hover-golden.md is missing: run UPDATE_GOLDEN=1 node scripts/run-tests.mjs unit words/rendering',
    );
    const actual = readFileSync(GOLDEN, 'utf8');
    if (!hasCorpus) return; // The finding hovers come from the corpus: without it only the rest can be compared.
    assert.equal(
      actual,
      expected,
      'hover texts changed: run UPDATE_GOLDEN=1 node scripts/run-tests.mjs unit words/rendering and review the diff',
    );
  });
});
