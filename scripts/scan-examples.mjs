// The "main job" demo: scans the bundled examples with the built CLI and checks the outcome a user should
// expect — the vulnerable example has findings (exit 1), the hardened and locked ones have none (exit 0).
import { spawnSync } from 'node:child_process';

const examples = [
  { path: 'examples/vulnerable', expectedExit: 1 },
  { path: 'examples/hardened', expectedExit: 0 },
  { path: 'examples/locked', expectedExit: 0 },
];
let ok = true;
for (const { path, expectedExit } of examples) {
  console.log(`\n$ actions-warden ${path}`);
  const result = spawnSync(process.execPath, ['dist/cli.js', path], { stdio: 'inherit' });
  if (result.status !== expectedExit) {
    console.error(`expected exit ${expectedExit} for ${path}, got ${result.status}`);
    ok = false;
  }
}
process.exit(ok ? 0 : 1);
