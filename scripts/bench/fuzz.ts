/**
 * `npm run fuzz -- [--iterations N] [--seed S] [--huge-every K] [--time-limit MS] [corpus]`: the big fuzz run
 * (test/support/fuzz.ts). Failing mutants are written to .bench/fuzz-failures/ and the summary to
 * .bench/fuzz.json. Exits 1 when any mutant broke the oracle.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fuzz, seedFiles, type Seed } from '../../test/support/fuzz';
import { loadCorpus } from './corpus';

const ROOT = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const iterations = option('--iterations', 10_000);
const seed = option('--seed', 9);
const hugeEvery = option('--huge-every', 5000);
const timeLimitMs = option('--time-limit', 5000);
const verbose = args.includes('--verbose');
const folder = args.find((arg, i) => !arg.startsWith('-') && !args[i - 1]?.startsWith('--'));
const seeds: Seed[] = folder ? loadCorpus(resolve(folder)) : seedFiles(ROOT);
const failuresDir = join(ROOT, '.bench', 'fuzz-failures');
mkdirSync(failuresDir, { recursive: true });
console.log(`fuzz: ${iterations} iterations, seed ${seed}, ${seeds.length} seed files, a 10 MB document every ${hugeEvery || 'never'}`);
const started = performance.now();
let last = started;
const result = fuzz({
  iterations,
  seed,
  hugeEvery,
  timeLimitMs,
  seeds,
  onFailure: (failure) => {
    console.log(`FAIL #${failure.iteration} ${failure.seedPath} [${failure.mutators.join(', ')}]: ${failure.problem.slice(0, 400)}`);
    writeFileSync(join(failuresDir, `${seed}-${failure.iteration}.yml`), failure.text);
  },
  onProgress: (done) => {
    const now = performance.now();
    if (verbose || now - last > 10_000) {
      console.log(`  ${done} done, ${((now - started) / 1000).toFixed(0)} s`);
      last = now;
    }
  },
  onSlow: verbose ? (ms, info) => console.log(`  slow ${ms.toFixed(0)} ms: ${info}`) : undefined,
});
const seconds = (performance.now() - started) / 1000;
const summary = {
  date: new Date().toISOString(),
  iterations,
  seed,
  seeds: seeds.length,
  seconds,
  failures: result.failures.length,
  slowestMs: result.slowestMs,
  node: process.version,
};
mkdirSync(join(ROOT, '.bench'), { recursive: true });
writeFileSync(join(ROOT, '.bench', 'fuzz.json'), `${JSON.stringify(summary, null, 2)}\n`);
console.log(
  `fuzz: ${iterations} iterations in ${seconds.toFixed(0)} s, ${result.failures.length} failures, slowest document ${result.slowestMs.toFixed(0)} ms`,
);
process.exit(result.failures.length > 0 ? 1 : 0);
