/**
 * The CLI's run function: arguments in, exit code out, with every effect behind `CliIo` so tests can
 * drive it in-process. Exit codes: 0 nothing at or above the threshold, 1 something was, 2 usage or
 * I/O error (findings of the files that could be read are still printed).
 */
import { DEFAULT_ANALYSIS_OPTIONS, type AnalysisOptions } from '../engine';
import { TOOL_NAME, VERSION } from '../version';
import { HELP_TEXT, parseArgs, type CliOptions } from './args';
import { discover, STDIN_PATH } from './discover';
import { formatJson } from './format-json';
import { formatText } from './format-text';
import { analyzeTarget, decode, readTarget, sortResults, type FileResult, type ReadResult } from './results';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_ERROR = 2;

export interface CliIo {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** All of standard input. */
  readStdin(): Promise<Uint8Array>;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    io.stderr.write(`${TOOL_NAME}: ${parsed.error}\nTry '${TOOL_NAME} --help' for more information.\n`);
    return EXIT_ERROR;
  }
  const options = parsed.options;
  if (options.help) {
    io.stdout.write(HELP_TEXT);
    return EXIT_OK;
  }
  if (options.version) {
    io.stdout.write(`${TOOL_NAME} ${VERSION}\n`);
    return EXIT_OK;
  }

  const { targets, errors } = discover(options.paths, io.cwd);
  const analysisOptions: AnalysisOptions = { ...DEFAULT_ANALYSIS_OPTIONS, persona: options.persona, minSeverity: options.minSeverity };
  const results: FileResult[] = [];
  for (const target of targets) {
    let read: ReadResult;
    if (target.path === STDIN_PATH) {
      try {
        read = { ok: true, text: decode(await io.readStdin()) };
      } catch (error) {
        read = { ok: false, error: `cannot read standard input: ${error instanceof Error ? error.message : String(error)}` };
      }
    } else {
      read = readTarget(target.path);
    }
    const result = analyzeTarget(target, read, analysisOptions);
    if ('error' in result) errors.push(result.error);
    else results.push(result);
  }
  sortResults(results);

  io.stdout.write(
    options.format === 'json'
      ? formatJson(results, { persona: options.persona, minSeverity: options.minSeverity, offline: options.offline })
      : formatText(results, { color: useColor(options, io) }),
  );
  for (const error of errors) io.stderr.write(`${TOOL_NAME}: error: ${error}\n`);
  if (targets.length === 0 && errors.length === 0) {
    io.stderr.write(`${TOOL_NAME}: no workflow, action or Dependabot files found in ${options.paths.length ? options.paths.join(', ') : 'the current folder'}\n`);
  }

  if (errors.length > 0) return EXIT_ERROR;
  return results.some((result) => result.findings.length > 0) ? EXIT_FINDINGS : EXIT_OK;
}

function useColor(options: CliOptions, io: CliIo): boolean {
  if (options.forceColor) return true;
  if (!options.color || (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '')) return false;
  return io.stdout.isTTY === true;
}

/** Runs with the real process; returns the exit code (the entry point sets it). */
export function main(argv: readonly string[]): Promise<number> {
  return run(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin,
  });
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
