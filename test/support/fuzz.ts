/**
 * The fuzzer shared by test/unit/fuzz.test.ts (a few thousand iterations, fixed seed) and
 * `npm run fuzz -- --iterations N` (scripts/fuzz.mjs): mutates real files and checks the oracle on each
 * mutant — no exception, no internal-error finding, bounded time, every range inside the document and
 * consistent with its span, fix edits inside the document and not overlapping, deterministic findings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyze, DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../../server/src/engine';
import { INTERNAL_ERROR_RULE, type Finding } from '../../server/src/findings';
import { documentLinks } from '../../server/src/features/document-links';
import { classifyPath, ParsedFile, type FileKind } from '../../server/src/parse/document';

export interface Seed {
  path: string;
  kind: Exclude<FileKind, 'unknown'>;
  text: string;
}

export const AUDITOR: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: 'auditor' };

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Corpus folders in order of preference: the shared corpus beside the clone, examples/, test fixtures. */
export function seedFiles(root: string, limit = Infinity): Seed[] {
  const seeds: Seed[] = [];
  const walk = (base: string, dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (seeds.length >= limit) return;
      const path = join(dir, name);
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (name !== 'node_modules') walk(base, path);
        continue;
      }
      const rel = relative(base, path).replace(/\\/g, '/');
      const kind = classifyPath(rel);
      if (kind === 'unknown' || stat.size > 1024 * 1024) continue;
      seeds.push({ path: rel, kind, text: readFileSync(path, 'utf8') });
    }
  };
  for (const folder of [resolve(root, '..', 'shared', 'corpus', 'real'), resolve(root, 'examples'), resolve(root, 'test', 'fixtures')]) {
    if (existsSync(folder)) walk(folder, folder);
    if (seeds.length > 0) break;
  }
  if (seeds.length === 0) {
    seeds.push({ path: '.github/workflows/builtin.yml', kind: 'workflow', text: BUILTIN_SEED });
  }
  return seeds;
}

const BUILTIN_SEED = [
  'name: ci',
  'on: [push, pull_request_target]',
  'permissions: write-all',
  'env: &env',
  '  A: ${{ github.event.issue.title }}',
  'jobs:',
  '  build:',
  '    runs-on: ubuntu-latest',
  '    env: *env',
  '    steps:',
  '      - uses: actions/checkout@v4',
  '        with: { ref: "${{ github.event.pull_request.head.sha }}" }',
  '      - run: |',
  '          echo "${{ github.event.pull_request.title }}"',
  '          curl -sSL https://example.com/install.sh | bash',
  '      - uses: docker://alpine:latest',
  '',
].join('\n');

const UNICODE = [
  'é',
  '日本',
  '🚀',
  '\u200b',
  '\u202e',
  '\ufeff',
  '\ud83d',
  '\udc00',
  '\u0000',
  '\t',
  '\r',
  '\r\n',
  '\u2028',
  '𝒳',
  'ß',
  '\u00a0',
];
const TOKENS = [
  ': ',
  '- ',
  '&a ',
  '*a',
  '<<: *a',
  '!!binary ',
  '!custom ',
  '? ',
  '|-\n',
  '>+\n',
  '${{ ',
  ' }}',
  '${{ github.event.issue.title }}',
  "'",
  '"',
  '#',
  '{',
  '}',
  '[',
  ']',
  ',',
  '%YAML 1.2\n---\n',
  '---\n',
  '...\n',
  'uses: ',
  'run: ',
  'steps:',
  'jobs:',
  'on:',
  'permissions: ',
  'secrets: inherit',
  'with:',
  'env:',
  'if: ',
  'null',
  '~',
  '3',
  'true',
  '0x1F',
  '.inf',
];

/**
 * Units whose long runs make backtracking patterns slow: blanks, the characters patterns repeat before a `$`
 * anchor (`/`, `@`, `?`, `#`, `.`, line breaks), fence and substitution openers that never close, escaped quotes.
 * test/unit/adversarial-inputs.test.ts pumps each to 200 KB; the `adversarialRun` mutator inserts them.
 */
export const ADVERSARIAL_UNITS: readonly string[] = [
  ' ',
  ' \t',
  '\n',
  '\r\n',
  '/',
  '@',
  '?',
  ' #',
  '.',
  '-',
  '_',
  ':',
  '%a',
  '${{ ',
  '${a',
  '$(',
  '`',
  '${env:',
  '$A',
  '"',
  '\\"',
  "'",
  '(',
  ']',
  '*a',
  'O',
  'é',
  '\u2028',
];

export type Mutator = (text: string, random: () => number) => string;

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)];
const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const lineSplit = (text: string) => text.split('\n');

export const MUTATORS: Record<string, Mutator> = {
  byteFlip(text, random) {
    if (!text) return String.fromCharCode(between(random, 0, 0xffff));
    const chars = text.split('');
    for (let n = between(random, 1, 8); n > 0; n--)
      chars[Math.floor(random() * chars.length)] = String.fromCharCode(
        random() < 0.7 ? between(random, 0, 127) : between(random, 0, 0xffff),
      );
    return chars.join('');
  },
  deleteLines(text, random) {
    const lines = lineSplit(text);
    const at = Math.floor(random() * lines.length);
    lines.splice(at, between(random, 1, 6));
    return lines.join('\n');
  },
  duplicateLines(text, random) {
    const lines = lineSplit(text);
    const at = Math.floor(random() * lines.length);
    const block = lines.slice(at, at + between(random, 1, 10));
    lines.splice(between(random, 0, lines.length), 0, ...block);
    return lines.join('\n');
  },
  shuffleLines(text, random) {
    const lines = lineSplit(text);
    for (let n = between(random, 1, 5); n > 0; n--) {
      const a = Math.floor(random() * lines.length);
      const b = Math.floor(random() * lines.length);
      [lines[a], lines[b]] = [lines[b], lines[a]];
    }
    return lines.join('\n');
  },
  indentShift(text, random) {
    const lines = lineSplit(text);
    const at = Math.floor(random() * lines.length);
    const count = between(random, 1, 8);
    for (let i = at; i < Math.min(lines.length, at + count); i++) {
      lines[i] = random() < 0.5 ? ' '.repeat(between(random, 1, 4)) + lines[i] : lines[i].replace(/^ {1,4}/, '');
    }
    return lines.join('\n');
  },
  randomUnicode(text, random) {
    let result = text;
    for (let n = between(random, 1, 6); n > 0; n--) {
      const at = Math.floor(random() * (result.length + 1));
      result = result.slice(0, at) + pick(UNICODE, random) + result.slice(at);
    }
    return result;
  },
  yamlTokens(text, random) {
    let result = text;
    for (let n = between(random, 1, 4); n > 0; n--) {
      const at = Math.floor(random() * (result.length + 1));
      result = result.slice(0, at) + pick(TOKENS, random) + result.slice(at);
    }
    return result;
  },
  wrongTypes(text, random) {
    // A key whose value becomes a scalar, a list or a flow map of the wrong type.
    const lines = lineSplit(text);
    const keyed = lines
      .map((line, i) => ({ line, i }))
      .filter(({ line }) => /^\s*(- )?[\w-]+:\s*$/.test(line) || /^\s*(- )?[\w-]+: \S/.test(line));
    if (keyed.length === 0) return text;
    const { line, i } = pick(keyed, random);
    const key = /^(\s*(?:- )?[\w-]+:)/.exec(line)![1];
    lines[i] =
      `${key} ${pick(['3', 'null', '[]', '{}', '[1, {a: b}]', '"text"', '*a', '&a {x: 1}', 'true', '{ uses: 3 }', '- x'], random)}`;
    return lines.join('\n');
  },
  truncate(text, random) {
    return text.slice(0, Math.floor(random() * text.length));
  },
  crlf(text) {
    return text.replace(/\r?\n/g, '\r\n');
  },
  nulBytes(text, random) {
    let result = text;
    for (let n = between(random, 1, 5); n > 0; n--) {
      const at = Math.floor(random() * (result.length + 1));
      result = `${result.slice(0, at)}\u0000${result.slice(at)}`;
    }
    return result;
  },
  aliasBomb(text, random) {
    const depth = between(random, 5, 12);
    const lines = ['x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i < depth; i++) lines.push(`x${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
    const bomb = lines.join('\n');
    return random() < 0.5 ? `${bomb}\n${text}` : `${text}\n${bomb}\nenv: *a${depth - 1}\n`;
  },
  deepNesting(text, random) {
    const depth = between(random, 200, 3000);
    if (random() < 0.5) return `${text}\ndeep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    const lines: string[] = [];
    for (let i = 0; i < Math.min(depth, 1500); i++) lines.push(`${' '.repeat(i)}k${i}:`);
    return `${text}\n${lines.join('\n')}\n`;
  },
  adversarialRun(text, random) {
    // A long run of one unit inside a random line (a run: script, a key, a uses: ref, an if:), sometimes followed
    // by a character that makes a pattern fail at the very end.
    const lines = lineSplit(text);
    const at = Math.floor(random() * lines.length);
    const line = lines[at] ?? '';
    const column = between(random, 0, line.length);
    const run = pick(ADVERSARIAL_UNITS, random).repeat(between(random, 2_000, 60_000));
    lines[at] = `${line.slice(0, column)}${run}${random() < 0.5 ? '!' : ''}${line.slice(column)}`;
    return lines.join('\n');
  },
  longLine(text, random) {
    return `${text}\n    # ${'x'.repeat(between(random, 10_000, 200_000))}\nname: ${'${{ a.b '.repeat(between(random, 100, 2000))}\n`;
  },
};

/** The 10 MB case: the file repeated (over the analysed limit) — kept out of the default mix. */
export const HUGE_MUTATOR: Mutator = (text) => text.repeat(Math.ceil((10 * 1024 * 1024) / Math.max(1, text.length)));

export interface FuzzFailure {
  iteration: number;
  seedPath: string;
  mutators: string[];
  problem: string;
  text: string;
}

const summarize = (findings: readonly Finding[]) =>
  findings
    .map(
      (f) =>
        `${f.ruleId}|${f.span.start}-${f.span.end}|${f.severity}|${f.persona}|${f.message}|${f.fixes.map((fix) => fix.edits.map((e) => `${e.span.start}-${e.span.end}:${e.newText}`).join(';')).join('/')}`,
    )
    .join('\n');

/** Checks the oracle on one text; returns the problems found (empty when it holds). */
export function checkOracle(text: string, kind: Exclude<FileKind, 'unknown'>, path: string, timeLimitMs: number): string[] {
  const problems: string[] = [];
  let findings: Finding[];
  let parsed: ParsedFile;
  const started = performance.now();
  try {
    parsed = new ParsedFile(`file:///fuzz/${path}`, kind, text);
    findings = analyze(parsed, AUDITOR);
  } catch (error) {
    return [
      `analyze threw: ${error instanceof Error ? (error.stack ?? error.message).split('\n').slice(0, 4).join(' | ') : String(error)}`,
    ];
  }
  const elapsed = performance.now() - started;
  if (elapsed > timeLimitMs) problems.push(`took ${elapsed.toFixed(0)} ms (limit ${timeLimitMs} ms)`);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const positionOk = (offset: number, position: { line: number; character: number }) =>
    position.line >= 0 && position.line < lineStarts.length && lineStarts[position.line] + position.character === offset;
  for (const finding of findings) {
    const where = `${finding.ruleId} ${finding.span.start}-${finding.span.end}`;
    if (finding.ruleId === INTERNAL_ERROR_RULE) problems.push(`internal-error: ${finding.message}`);
    const spans = [finding.span, ...finding.related.map((related) => related.span)];
    for (const span of spans) {
      if (
        !(
          Number.isInteger(span.start) &&
          Number.isInteger(span.end) &&
          span.start >= 0 &&
          span.start <= span.end &&
          span.end <= text.length
        )
      )
        problems.push(`${where}: span ${span.start}-${span.end} outside 0-${text.length}`);
    }
    if (!positionOk(finding.span.start, finding.range.start) || !positionOk(finding.span.end, finding.range.end)) {
      problems.push(`${where}: range ${JSON.stringify(finding.range)} does not match its span`);
    }
    for (const fix of finding.fixes) {
      const edits = [...fix.edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
      for (const [i, edit] of edits.entries()) {
        if (!(edit.span.start >= 0 && edit.span.start <= edit.span.end && edit.span.end <= text.length))
          problems.push(`${where}: fix "${fix.title}" edit ${edit.span.start}-${edit.span.end} outside the document`);
        if (i > 0 && edit.span.start < edits[i - 1].span.end) problems.push(`${where}: fix "${fix.title}" has overlapping edits`);
      }
    }
  }
  // Document links (the editor asks for them after every change): no exception, ranges inside the document,
  // targets only on the configured host.
  try {
    const offsetOf = (position: { line: number; character: number }) =>
      position.line >= 0 && position.line < lineStarts.length ? lineStarts[position.line] + position.character : -1;
    for (const link of documentLinks(parsed, { serverUrl: 'https://github.com', isFile: () => false })) {
      const start = offsetOf(link.range.start);
      const end = offsetOf(link.range.end);
      if (!(start >= 0 && start <= end && end <= text.length))
        problems.push(`document link ${JSON.stringify(link.range)} outside the document`);
      if (!link.target?.startsWith('https://github.com/')) problems.push(`document link to ${link.target}`);
    }
  } catch (error) {
    problems.push(`documentLinks threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  // Deterministic: a fresh parse and analysis gives the same findings.
  try {
    const again = analyze(new ParsedFile(`file:///fuzz/${path}`, kind, text), AUDITOR);
    if (summarize(again) !== summarize(findings)) problems.push('findings differ between two analyses of the same text');
  } catch (error) {
    problems.push(`second analyze threw: ${String(error)}`);
  }
  return problems;
}

export interface FuzzOptions {
  iterations: number;
  seed: number;
  /** Include a few 10 MB documents (every `hugeEvery` iterations; 0 = never). */
  hugeEvery: number;
  timeLimitMs: number;
  seeds: Seed[];
  onFailure?: (failure: FuzzFailure) => void;
  onProgress?: (done: number) => void;
  /** Called for a mutant slower than 500 ms (both analyses), with what it was. */
  onSlow?: (ms: number, info: string) => void;
}

export function fuzz(options: FuzzOptions): { iterations: number; failures: FuzzFailure[]; slowestMs: number } {
  const random = rng(options.seed);
  const names = Object.keys(MUTATORS);
  const failures: FuzzFailure[] = [];
  let slowestMs = 0;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const seed = options.seeds[Math.floor(random() * options.seeds.length)];
    const applied: string[] = [];
    let text = seed.text;
    if (options.hugeEvery > 0 && iteration % options.hugeEvery === options.hugeEvery - 1) {
      text = HUGE_MUTATOR(text, random);
      applied.push('huge');
    } else {
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        const name = pick(names, random);
        text = MUTATORS[name](text, random);
        applied.push(name);
      }
    }
    // Most mutants keep the seed's kind; some are read as another kind (a workflow as action.yml...).
    const kind = random() < 0.85 ? seed.kind : pick(['workflow', 'action', 'dependabot'] as const, random);
    const started = performance.now();
    const problems = checkOracle(text, kind, seed.path, options.timeLimitMs);
    const took = (performance.now() - started) / 2;
    slowestMs = Math.max(slowestMs, took);
    if (took > 250) options.onSlow?.(took, `#${iteration} ${seed.path} [${applied.join(', ')}] ${text.length} chars`);
    if (problems.length > 0) {
      const failure = { iteration, seedPath: seed.path, mutators: applied, problem: problems.slice(0, 3).join('; '), text };
      failures.push(failure);
      options.onFailure?.(failure);
    }
    if (options.onProgress && iteration % 1000 === 999) options.onProgress(iteration + 1);
  }
  return { iterations: options.iterations, failures, slowestMs };
}
