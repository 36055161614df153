// Lists every regular expression in server/src, shared/src and client/src (literals and `RegExp(...)` constructions) and pumps each
// literal with long runs of the characters it mentions (and a few common ones) to catch super-linear
// backtracking. A pattern is reported when a 5,000-character input takes more than `--threshold` ms (default
// 4) and four times the input takes clearly more than four times as long. Dynamic `RegExp(...)` calls are
// listed for manual review (their pattern is not known here). Usage: node scripts/regex-audit.mjs [--list]
import ts from 'typescript';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = new URL('..', import.meta.url).pathname;
const LIST = process.argv.includes('--list');
const thresholdAt = process.argv.indexOf('--threshold');
const THRESHOLD_MS = thresholdAt === -1 ? 4 : Number(process.argv[thresholdAt + 1]);

function sources(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sources(path));
    else if (name.endsWith('.ts')) found.push(path);
  }
  return found;
}

const literals = [];
const dynamic = [];
for (const path of ['server', 'shared', 'client'].flatMap((folder) => sources(join(ROOT, folder, 'src')))) {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const where = (node) => `${relative(ROOT, path)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) literals.push({ where: where(node), source: node.getText() });
    if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
      dynamic.push({ where: where(node), source: node.getText().slice(0, 160) });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

if (LIST) {
  for (const item of literals) console.log(`${item.where}\t${item.source}`);
  for (const item of dynamic) console.log(`${item.where}\tDYNAMIC ${item.source}`);
  process.exit(0);
}

const COMMON = [
  ' ',
  '\t',
  '\n',
  '\r',
  'a',
  'A',
  'Z',
  '0',
  '_',
  '-',
  '.',
  '/',
  ':',
  '$',
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  '"',
  "'",
  '\\',
  '=',
  '#',
  '@',
  ',',
  '*',
  '+',
  '?',
  '|',
  '!',
  '<',
  '>',
  '&',
  ';',
  '%',
  '`',
  '~',
  'é',
];

/** The characters a pattern mentions (escapes resolved roughly), plus representatives of its classes. */
function charsOf(source) {
  const chars = new Set();
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\' && i + 1 < source.length) {
      const next = source[++i];
      const classes = {
        s: [' ', '\n', '\t'],
        S: ['a', '-'],
        d: ['1'],
        D: ['a'],
        w: ['a', '_', '1'],
        W: [' ', '-'],
        b: [],
        B: [],
        n: ['\n'],
        r: ['\r'],
        t: ['\t'],
      };
      for (const c of classes[next] ?? [next]) chars.add(c);
    } else chars.add(ch);
  }
  return [...chars];
}

/** Literal runs of a pattern (to build prefixes that reach its later parts). */
function literalRuns(body) {
  const runs = [];
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '\\' && /[^A-Za-z0-9]/.test(body[i + 1] ?? '')) current += body[++i];
    else if (ch === '\\') {
      // A class or assertion (`\s`, `\b`, `\d`): ends the run.
      if (current) runs.push(current);
      current = '';
      i++;
    } else if (/[A-Za-z0-9 :=_\-"'#@,/]/.test(ch)) current += ch;
    else {
      if (current) runs.push(current);
      current = '';
    }
  }
  if (current) runs.push(current);
  return runs;
}

function time(regex, input) {
  regex.lastIndex = 0;
  const started = performance.now();
  if (regex.global) input.replace(regex, '');
  else regex.exec(input);
  return performance.now() - started;
}

const flagged = [];
for (const item of literals) {
  const close = item.source.lastIndexOf('/');
  const body = item.source.slice(1, close);
  const flags = item.source.slice(close + 1);
  let regex;
  try {
    regex = new RegExp(body, flags);
  } catch {
    continue;
  }
  const own = charsOf(body);
  const units = new Set([...COMMON, ...own]);
  for (const a of own) for (const b of own) units.add(a + b);
  for (const a of own) for (const b of [' ', 'a', '\n']) units.add(a + b);
  const runs = literalRuns(body);
  for (const run of runs) for (const tail of ['', ' ', 'a', '\n']) units.add(run + tail);
  const prefixes = new Set(['']);
  for (let k = 1; k <= runs.length; k++) prefixes.add(runs.slice(0, k).join(''));
  for (const run of runs) prefixes.add(run);
  const slow = [];
  for (const unit of units) {
    for (const prefix of prefixes) {
      for (const suffix of ['', '\u0000', '\n!']) {
        const input = prefix + unit.repeat(Math.ceil(5_000 / unit.length)) + suffix;
        const ms = time(regex, input);
        if (ms > THRESHOLD_MS) slow.push({ ms, unit, prefix, suffix });
      }
    }
  }
  // Re-measure the slowest candidates (a garbage collection can make one run slow) at 5k and 20k.
  slow.sort((a, b) => b.ms - a.ms);
  for (const candidate of slow.slice(0, 5)) {
    const small = time(regex, candidate.prefix + candidate.unit.repeat(Math.ceil(5_000 / candidate.unit.length)) + candidate.suffix);
    const big = time(regex, candidate.prefix + candidate.unit.repeat(Math.ceil(20_000 / candidate.unit.length)) + candidate.suffix);
    if (small > THRESHOLD_MS && big > small * 6) {
      flagged.push(item);
      console.log(
        `SUPER-LINEAR ${item.where}  ${item.source}\n    ${JSON.stringify(candidate.prefix)} + ${JSON.stringify(candidate.unit)} x N + ${JSON.stringify(candidate.suffix)}: 5k ${small.toFixed(0)} ms, 20k ${big.toFixed(0)} ms`,
      );
      break;
    }
  }
}

console.log(
  `${literals.length} literals checked, ${flagged.length} super-linear; ${dynamic.length} dynamic RegExp constructions to review:`,
);
for (const item of dynamic) console.log(`  ${item.where}  ${item.source}`);
process.exit(flagged.length > 0 ? 1 : 0);
