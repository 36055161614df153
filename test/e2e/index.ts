/**
 * The `extensionTestsPath` module both runners load (@vscode/test-electron and code-server): runs the Mocha
 * suite inside the real extension host and settles when it ends (rejecting when a test failed).
 * When AW_E2E_RESULTS names a file, a JSON summary of every test is written there for the runner to print.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestResult {
  title: string;
  /** A figure a test reports (`this.test.note = …`), e.g. the activation time; also appended to the title. */
  note?: string;
  state: 'passed' | 'failed' | 'pending';
  ms?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', timeout: 90_000, color: false, reporter: 'spec' });
  mocha.addFile(path.join(__dirname, 'extension.test.js'));
  const results: TestResult[] = [];
  const started = Date.now();
  const write = (failures: number) => {
    const file = process.env.AW_E2E_RESULTS;
    if (!file) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify({ failures, seconds: (Date.now() - started) / 1000, vscode: process.env.VSCODE_VERSION, results }, null, 2),
    );
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write(failures);
        if (failures > 0) reject(new Error(`${failures} end-to-end test(s) failed`));
        else resolve();
      });
      runner.on('pass', (test) => {
        const note = (test as Mocha.Runnable & { note?: string }).note;
        results.push({
          title: note ? `${test.fullTitle()} — ${note}` : test.fullTitle(),
          state: 'passed',
          ms: test.duration,
          ...(note ? { note } : {}),
        });
      });
      runner.on('fail', (test, error: Error) =>
        results.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? error.message }),
      );
      runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'pending' }));
    } catch (error) {
      write(1);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
