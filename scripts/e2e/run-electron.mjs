// `npm run test:e2e:electron`: the same suite (out/e2e) under @vscode/test-electron, for machines that can
// download VS Code desktop (update.code.visualstudio.com). Offline machines use `npm run test:e2e` (code-server).
// Env: VSCODE_VERSION (default 1.100.3, the VS Code inside code-server 4.100.3; 'stable' for the latest).
// Needs a display on Linux: run under xvfb-run when there is none.
import { cpSync, mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const temp = mkdtempSync(join(tmpdir(), 'aw-e2e-electron-'));
const workspace = join(temp, 'ws');
cpSync(join(root, 'test/e2e/fixtures/workspace'), workspace, { recursive: true });
const artifacts = join(root, 'artifacts/e2e/electron');
mkdirSync(artifacts, { recursive: true });

try {
  await runTests({
    version: process.env.VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(root, 'out/e2e/index.js'),
    extensionTestsEnv: { AW_E2E_RESULTS: join(artifacts, 'suite-results.json') },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${join(temp, 'user-data')}`,
    ],
  });
  console.log(`e2e (test-electron) passed; results in ${join(artifacts, 'suite-results.json')}`);
} catch (error) {
  console.error(`e2e (test-electron) failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
