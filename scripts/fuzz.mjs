// `npm run fuzz -- --iterations 100000 [--seed S] [--huge-every K] [--time-limit MS] [--verbose] [corpus]`:
// bundles scripts/bench/fuzz.ts (the fuzzer of test/support/fuzz.ts) and runs it; see that file.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const result = spawnSync(process.execPath, [join(here, 'bench', 'run.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, BENCH_ENTRY: 'fuzz' },
});
process.exit(result.status ?? 1);
