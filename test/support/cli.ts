/** Helpers for tests of the CLI and of configuration discovery: temporary trees and an in-process CLI run. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { run, type CliIo } from '../../server/src/cli/run';

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A new empty temporary folder, removed after the test file's tests. */
export function tempDir(prefix = 'warden-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Writes files (path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** A temporary folder holding `files`. */
export function tree(files: Record<string, string | Uint8Array>, prefix?: string): string {
  const root = tempDir(prefix);
  writeTree(root, files);
  return root;
}

export interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function runCli(
  argv: string[],
  options: { cwd: string; stdin?: string; env?: Record<string, string>; tty?: boolean },
): Promise<Captured> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    cwd: options.cwd,
    env: options.env ?? {},
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    readStdin: async () => new TextEncoder().encode(options.stdin ?? ''),
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
