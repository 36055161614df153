// Measures the least-privilege inference against the permissions people declared: for every job of
// every workflow in the corpus whose token permissions are declared (a job block, or a workflow block it
// inherits), compares the inferred block with the declared one and prints how often it is equal,
// narrower, wider or both, listing the differing jobs. Offline; no network.
//
// Usage: node scripts/bench-permissions.mjs [corpus-dir] [--repo substring] [--all] [--json]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => {
  const at = args.indexOf(name);
  return at === -1 ? null : args[at + 1];
};
const corpus = resolve(
  args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--repo') ?? join(root, '..', 'shared', 'corpus', 'real'),
);
const repoFilter = option('--repo');
const HARDENED = ['astral-sh__uv', 'astral-sh__ruff', 'zizmorcore__zizmor'];

// Bundle the TypeScript engine pieces we need into one ESM file.
const outFile = join(root, 'out', 'bench', 'permissions.cjs');
mkdirSync(dirname(outFile), { recursive: true });
await esbuild.build({
  stdin: {
    contents: `
      export { ParsedFile, classifyPath } from './server/src/parse/document';
      export { inferWorkflowPermissions, declaredScopes, effectivePermissions } from './server/src/permissions/infer';
    `,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: outFile,
  logLevel: 'warning',
});
const engine = createRequire(import.meta.url)(outFile);

function walk(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...walk(path));
    else if (engine.classifyPath(path) === 'workflow') found.push(path);
  }
  return found;
}

const repos = readdirSync(corpus).filter(
  (name) => statSync(join(corpus, name)).isDirectory() && (!repoFilter || name.includes(repoFilter)),
);
const counts = { jobs: 0, declared: 0, equal: 0, narrower: 0, wider: 0, both: 0, withUnknowns: 0, equalKnown: 0 };
const perRepo = new Map();
const cases = [];

const format = (map) =>
  map.size === 0
    ? '{}'
    : [...map]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([scope, level]) => `${scope}: ${level}`)
        .join(', ');

for (const repo of repos) {
  const repoRoot = join(corpus, repo);
  const resolveLocal = (path) => {
    const clean = path.replace(/^\.\//, '').replace(/\/$/, '');
    for (const candidate of [clean, `${clean}/action.yml`, `${clean}/action.yaml`]) {
      const full = join(repoRoot, candidate);
      if (existsSync(full) && statSync(full).isFile()) {
        const kind = engine.classifyPath(full);
        return new engine.ParsedFile(pathToFileURL(full).href, kind === 'unknown' ? 'action' : kind, readFileSync(full, 'utf8'));
      }
    }
    return null;
  };
  const stats = perRepo.get(repo) ?? { declared: 0, equal: 0, narrower: 0, wider: 0, both: 0, withUnknowns: 0 };
  perRepo.set(repo, stats);
  for (const path of walk(repoRoot)) {
    const file = new engine.ParsedFile(pathToFileURL(path).href, 'workflow', readFileSync(path, 'utf8'));
    const workflow = file.workflow;
    if (!workflow) continue;
    const inferred = engine.inferWorkflowPermissions(workflow, { resolve: resolveLocal });
    workflow.jobs.forEach((job, index) => {
      counts.jobs++;
      const { source, entry } = engine.effectivePermissions(workflow, job);
      if (!entry) return;
      counts.declared++;
      stats.declared++;
      const declared = engine.declaredScopes(entry);
      const result = inferred[index];
      const got = new Map(result.scopes.map((scope) => [scope.scope, scope.level]));
      const rank = (level) => (level === 'write' ? 2 : level === 'read' ? 1 : 0);
      const scopes = new Set([...declared.keys(), ...got.keys()]);
      let narrower = false;
      let wider = false;
      const diffs = [];
      for (const scope of scopes) {
        const d = rank(declared.get(scope));
        // A scope a step may use depending on setup (CodSpeed OIDC), or the alternative scope of an issue-API call, matches when declared.
        const g = result.tolerated.has(scope) && !got.has(scope) ? d : rank(got.get(scope));
        if (g < d) narrower = true;
        if (g > d) wider = true;
        if (g !== d) {
          const why = result.scopes.find((s) => s.scope === scope)?.uses.map((use) => use.what);
          diffs.push(
            `${scope}: declared ${declared.get(scope) ?? 'none'}, inferred ${got.get(scope) ?? 'none'}${why ? ` (${[...new Set(why)].slice(0, 3).join('; ')})` : ''}`,
          );
        }
      }
      const unknown = result.unknowns.length > 0;
      if (unknown) {
        counts.withUnknowns++;
        stats.withUnknowns++;
      }
      const verdict = narrower && wider ? 'both' : narrower ? 'narrower' : wider ? 'wider' : 'equal';
      counts[verdict]++;
      stats[verdict]++;
      if (verdict === 'equal' && !unknown) counts.equalKnown++;
      if (verdict !== 'equal') {
        cases.push({
          repo,
          file: relative(repoRoot, path),
          job: job.id,
          source,
          verdict,
          declared: format(declared),
          inferred: format(got),
          diffs,
          unknowns: result.unknowns.map((u) => u.reason),
        });
      }
    });
  }
}

if (flag('--json')) {
  console.log(JSON.stringify({ counts, perRepo: Object.fromEntries(perRepo), cases }, null, 2));
  process.exit(0);
}

const pct = (n) => `${((100 * n) / Math.max(1, counts.declared)).toFixed(1)}%`;
console.log(`Corpus: ${corpus}`);
console.log(`Jobs: ${counts.jobs}; with declared permissions (own or inherited block): ${counts.declared}`);
console.log(`  equal:    ${counts.equal} (${pct(counts.equal)})  [${counts.equalKnown} with nothing unknown]`);
console.log(`  narrower: ${counts.narrower} (${pct(counts.narrower)})  inferred grants less than declared`);
console.log(`  wider:    ${counts.wider} (${pct(counts.wider)})  inferred grants more than declared`);
console.log(`  both:     ${counts.both} (${pct(counts.both)})`);
console.log(`  jobs with an unknown: ${counts.withUnknowns} (${pct(counts.withUnknowns)})`);
console.log('');
console.log('Hardened repositories:');
for (const repo of HARDENED) {
  const s = perRepo.get(repo);
  if (s)
    console.log(
      `  ${repo}: declared ${s.declared}, equal ${s.equal}, narrower ${s.narrower}, wider ${s.wider}, both ${s.both}, with unknowns ${s.withUnknowns}`,
    );
}
console.log('');
const shown = flag('--all') ? cases : cases.filter((c) => HARDENED.includes(c.repo) || c.verdict !== 'narrower');
console.log(
  `Differing jobs${flag('--all') ? '' : ' (all of the hardened repositories; elsewhere wider/both only; --all for every case)'}:`,
);
for (const c of shown) {
  console.log(`- [${c.verdict}] ${c.repo}/${c.file} job ${c.job} (${c.source} block)`);
  for (const diff of c.diffs) console.log(`    ${diff}`);
  for (const reason of c.unknowns.slice(0, 3)) console.log(`    unknown: ${reason}`);
}
