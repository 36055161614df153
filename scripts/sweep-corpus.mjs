// Runs the built CLI (dist/cli.js, so `npm run build` first) once over a corpus folder and prints the
// findings per rule and per repository (the first path segment, e.g. `astral-sh__uv`), the files
// analysed, any internal error and the time taken. A regression check for crashes and noise, not a test.
//
//   node scripts/sweep-corpus.mjs [corpus] [--persona regular|pedantic|auditor] [--show <repo|rule>]... [--markdown]
//
// --markdown prints Markdown instead (for docs/corpus-sweep.md): the totals, a per-rule summary, a
// repository × rule count table, and every regular-persona finding in the hardened repositories (HARDENED below).
// corpus defaults to ../shared/corpus/real relative to the repository root. The persona defaults to
// auditor (everything), with each rule's count broken down by the persona a finding belongs to.
// --show prints the findings whose repository or rule id contains the given text.
// Exits 1 when a file raised an internal error, the CLI failed (exit 2 or a crash), or a file of the
// corpus was not analysed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

let corpus = resolve(root, '..', 'shared', 'corpus', 'real');
let persona = 'auditor';
const show = [];
let markdown = false;
/** Repositories that follow Astral's rules: they should stay nearly silent; every finding there is listed. */
const HARDENED = ['astral-sh__uv', 'astral-sh__ruff', 'zizmorcore__zizmor'];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--persona') persona = args[++i];
  else if (arg === '--show') show.push(args[++i]);
  else if (arg === '--markdown') markdown = true;
  else if (arg === '-h' || arg === '--help') {
    console.log('usage: node scripts/sweep-corpus.mjs [corpus] [--persona regular|pedantic|auditor] [--show <repo|rule>]... [--markdown]');
    process.exit(0);
  } else if (arg.startsWith('-')) {
    console.error(`sweep: unknown option ${arg}`);
    process.exit(2);
  } else corpus = resolve(arg);
}
if (!existsSync(cli)) {
  console.error(`sweep: ${relative(process.cwd(), cli)} is missing; run \`npm run build\` first`);
  process.exit(2);
}
if (!existsSync(corpus)) {
  console.error(`sweep: no corpus at ${corpus}`);
  process.exit(2);
}

const started = process.hrtime.bigint();
const child = spawnSync(process.execPath, [cli, '--format', 'json', '--persona', persona, '--no-color', '.'], {
  cwd: corpus,
  encoding: 'utf8',
  maxBuffer: 1024 * 1024 * 1024,
});
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;

let failed = false;
if (child.error) {
  console.error(`sweep: could not run the CLI: ${child.error.message}`);
  process.exit(2);
}
if (child.status !== 0 && child.status !== 1) {
  console.error(`sweep: the CLI exited with ${child.status ?? child.signal}`);
  failed = true;
}
if (child.stderr.trim()) console.error(`CLI stderr:\n${child.stderr.trim()}\n`);

let report;
try {
  report = JSON.parse(child.stdout);
} catch (error) {
  console.error(`sweep: the CLI's output is not JSON (${error.message}); first bytes:\n${child.stdout.slice(0, 500)}`);
  process.exit(1);
}

const repoOf = (path) => path.split('/')[0];
const files = report.files;
const filesPerRepo = new Map();
for (const file of files) filesPerRepo.set(repoOf(file.path), (filesPerRepo.get(repoOf(file.path)) ?? 0) + 1);

// Every regular file of the corpus should have been analysed.
const onDisk = [];
(function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== '.git') walk(path);
    } else if (entry.isFile()) onDisk.push(relative(corpus, path).split('\\').join('/'));
  }
})(corpus);
const analysed = new Set(files.map((file) => file.path));
const missed = onDisk.filter((path) => !analysed.has(path));

const rules = new Map(); // rule -> { total, personas: Map, repos: Map }
const repos = new Map(); // repo -> Map(rule -> count)
for (const finding of report.findings) {
  const repo = repoOf(finding.path);
  let rule = rules.get(finding.ruleId);
  if (!rule) rules.set(finding.ruleId, (rule = { total: 0, personas: new Map(), severities: new Map(), repos: new Set() }));
  rule.total++;
  rule.personas.set(finding.persona, (rule.personas.get(finding.persona) ?? 0) + 1);
  rule.severities.set(finding.severity, (rule.severities.get(finding.severity) ?? 0) + 1);
  rule.repos.add(repo);
  if (!repos.has(repo)) repos.set(repo, new Map());
  repos.get(repo).set(finding.ruleId, (repos.get(repo).get(finding.ruleId) ?? 0) + 1);
}

const kinds = new Map();
for (const file of files) kinds.set(file.kind, (kinds.get(file.kind) ?? 0) + 1);
const fmtMap = (map) =>
  [...map]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');

const internal = report.findings.filter((finding) => finding.ruleId === 'internal-error');
const syntax = report.findings.filter((finding) => finding.ruleId === 'syntax-error');
if (markdown) {
  printMarkdown();
  process.exit(failed || internal.length > 0 || missed.length > 0 ? 1 : 0);
}

function printMarkdown() {
  const ruleIds = [...rules.keys()].sort();
  const repoIds = [...filesPerRepo.keys()].sort();
  const cell = (text) => String(text).replace(/\|/g, '\\|');
  console.log(`### Persona \`${report.options.persona}\`\n`);
  console.log(
    `${files.length} files analysed (${fmtMap(kinds)}) in ${filesPerRepo.size} repositories; ${onDisk.length} on disk. ${report.tool.name} ${report.tool.version}.\n`,
  );
  console.log(
    `**${report.summary.findings} findings**: ${['high', 'medium', 'low', 'informational'].map((s) => `${report.summary.bySeverity[s]} ${s}`).join(', ')}. Internal errors: ${internal.length}; syntax errors: ${syntax.length}; files not analysed: ${missed.length}.\n`,
  );
  console.log('| Rule | Findings | Repositories | By persona | By severity |');
  console.log('|---|---:|---:|---|---|');
  for (const id of ruleIds) {
    const rule = rules.get(id);
    console.log(`| \`${id}\` | ${rule.total} | ${rule.repos.size} | ${fmtMap(rule.personas)} | ${fmtMap(rule.severities)} |`);
  }
  console.log('');
  console.log(`Repository × rule (number of findings; blank = none; hardened repositories in bold):\n`);
  console.log(`| Repository | Files | Total | ${ruleIds.map((id) => `\`${id}\``).join(' | ')} |`);
  console.log(`|---|---:|---:|${ruleIds.map(() => '---:').join('|')}|`);
  for (const repo of repoIds) {
    const counts = repos.get(repo) ?? new Map();
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    const name = HARDENED.includes(repo) ? `**${repo}**` : repo;
    console.log(`| ${name} | ${filesPerRepo.get(repo)} | ${total} | ${ruleIds.map((id) => counts.get(id) ?? '').join(' | ')} |`);
  }
  console.log(`| **all** | ${files.length} | ${report.findings.length} | ${ruleIds.map((id) => rules.get(id).total).join(' | ')} |`);
  console.log('');
  // Listed one by one at the regular persona only (the pedantic/auditor ones are counted in the table).
  const hardened = report.findings.filter((finding) => HARDENED.includes(repoOf(finding.path)) && finding.persona === 'regular');
  console.log(`Regular-persona findings in the hardened repositories (${HARDENED.join(', ')}): ${hardened.length}\n`);
  if (hardened.length > 0) {
    console.log('| Location | Rule | Severity | Persona | Message |');
    console.log('|---|---|---|---|---|');
    for (const finding of hardened) {
      console.log(
        `| \`${finding.path}:${finding.line}\` | \`${finding.ruleId}\` | ${finding.severity} | ${finding.persona} | ${cell(finding.message)} |`,
      );
    }
    console.log('');
  }
  for (const finding of [...internal, ...syntax])
    console.log(`- ${finding.ruleId}: \`${finding.path}:${finding.line}:${finding.column}\` ${cell(finding.message)}`);
  for (const path of missed) console.log(`- not analysed: \`${path}\``);
}

console.log(`Corpus:   ${corpus}`);
console.log(`CLI:      ${report.tool.name} ${report.tool.version}, persona ${report.options.persona}, exit ${child.status}`);
console.log(`Files:    ${files.length} analysed (${fmtMap(kinds)}); ${onDisk.length} on disk; ${filesPerRepo.size} repositories`);
console.log(
  `Findings: ${report.summary.findings} (${['high', 'medium', 'low', 'informational'].map((s) => `${report.summary.bySeverity[s]} ${s}`).join(', ')})`,
);
console.log(
  `Time:     ${(elapsedMs / 1000).toFixed(2)} s (${(elapsedMs / Math.max(1, files.length)).toFixed(2)} ms per file, process start included)`,
);

console.log('\nPer rule:');
const ruleIds = [...rules.keys()].sort();
const width = Math.max(8, ...ruleIds.map((id) => id.length));
for (const id of ruleIds) {
  const rule = rules.get(id);
  console.log(
    `  ${id.padEnd(width)} ${String(rule.total).padStart(6)}  in ${String(rule.repos.size).padStart(2)} repos  [${fmtMap(rule.personas)}]  [${fmtMap(rule.severities)}]`,
  );
}

console.log('\nPer repository (files, then findings per rule):');
const repoWidth = Math.max(...[...filesPerRepo.keys()].map((repo) => repo.length));
for (const repo of [...filesPerRepo.keys()].sort()) {
  const counts = repos.get(repo);
  const detail = counts
    ? [...counts]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([rule, n]) => `${rule}=${n}`)
        .join(' ')
    : '-';
  console.log(`  ${repo.padEnd(repoWidth)} ${String(filesPerRepo.get(repo)).padStart(4)}  ${detail}`);
}

console.log(`\nInternal errors (exceptions): ${internal.length === 0 ? 'none' : internal.length}`);
for (const finding of internal) console.log(`  ${finding.path}:${finding.line}:${finding.column}: ${finding.message}`);
if (syntax.length > 0) {
  console.log(`Syntax errors: ${syntax.length}`);
  for (const finding of syntax) console.log(`  ${finding.path}:${finding.line}:${finding.column}: ${finding.message}`);
}
if (missed.length > 0) {
  console.log(`Files of the corpus not analysed: ${missed.length}`);
  for (const path of missed) console.log(`  ${path}`);
}

for (const needle of show) {
  const shown = report.findings.filter((finding) => repoOf(finding.path).includes(needle) || finding.ruleId.includes(needle));
  console.log(`\nFindings matching "${needle}": ${shown.length}`);
  for (const finding of shown) {
    console.log(
      `  ${finding.path}:${finding.line}:${finding.column}: ${finding.severity} ${finding.ruleId} [${finding.persona}] ${finding.message}`,
    );
  }
}

if (internal.length > 0 || missed.length > 0) failed = true;
process.exit(failed ? 1 : 0);
