// Bundles the TypeScript tests of one tier (test/<tier>/**/*.test.ts) with esbuild into out/test/<tier>
// and runs them with Node's built-in test runner. Usage: node scripts/run-tests.mjs unit|lsp [filter]
import * as esbuild from 'esbuild';
import { yamlAsEsm } from './esbuild-yaml.mjs';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const tier = process.argv[2];
const filter = process.argv[3];
if (!tier) {
  console.error('usage: node scripts/run-tests.mjs <tier> [filter]');
  process.exit(2);
}

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts') && (!filter || path.includes(filter))) found.push(path);
  }
  return found;
}

const sourceDir = join('test', tier);
// One folder per run, so concurrent runs (several engineers, or a watch loop) never delete each other's bundles.
const outDir = join('out', 'test', `${tier}-${process.pid}`);
const entryPoints = findTests(sourceDir);
if (entryPoints.length === 0) {
  console.error(`no tests found under ${sourceDir}`);
  process.exit(2);
}
rmSync(outDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints,
  outdir: outDir,
  outbase: sourceDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  external: ['vscode'],
  logLevel: 'warning',
  plugins: [yamlAsEsm],
});
const files = entryPoints.map((p) => join(outDir, relative(sourceDir, p)).replace(/\.ts$/, '.js'));
const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
});
rmSync(outDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
