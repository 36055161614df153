// The audit step of the GitHub Action (action.yml): turns the action's inputs into arguments of the bundled
// CLI (action/dist/cli.js), runs it with the runner's Node.js and writes the step outputs.
//
// Inputs arrive only as environment variables (AW_*), never spliced into a script. Each becomes one argument:
// choices are checked against their allowed values here, options are written `--name=value`, and the paths come
// after `--`, so no input can add an option of its own (a path `--github-server-url=https:/host/x` stays a path).
// The token reaches the CLI only when `online` is true. What the CLI prints comes from the audited repository
// (file names, messages), so it is printed between `::stop-commands::` markers and cannot issue workflow
// commands; only the `github` format, whose annotations the CLI escapes, is printed as is.
'use strict';

const { spawnSync } = require('node:child_process');
const { randomUUID } = require('node:crypto');
const { appendFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CHOICES = {
  persona: ['regular', 'pedantic', 'auditor'],
  'min-severity': ['informational', 'low', 'medium', 'high'],
  'min-confidence': ['low', 'medium', 'high'],
  format: ['sarif', 'github', 'text', 'json'],
};
const BOOLEANS = ['online', 'upload-sarif', 'fail-on-findings'];

/** The `AW_…` variable of an input (`min-severity` → `AW_MIN_SEVERITY`), trimmed. */
function input(name) {
  return (process.env[`AW_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
}

/** Stops the step with an error annotation. Messages are fixed text: they never repeat an input's value. */
function fail(message) {
  process.stdout.write(`::error title=Actions Warden::${message}\n`);
  process.exit(2);
}

function hasControlCharacter(text) {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Prints text that may come from the audited repository so that the runner executes no workflow command in it. */
function printInert(text) {
  if (text === '') return;
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n${text}${text.endsWith('\n') ? '' : '\n'}::${token}::\n`);
}

function setOutput(name, value) {
  const file = process.env.GITHUB_OUTPUT;
  if (!file) return;
  if (hasControlCharacter(value)) fail(`the value of the output ${name} contains a control character`);
  appendFileSync(file, `${name}=${value}\n`);
}

function parseInputs() {
  const options = [];
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const value = input(name);
    if (value === '') continue;
    if (!allowed.includes(value)) fail(`input ${name} must be one of: ${allowed.join(', ')}`);
    if (name !== 'format') options.push(`--${name}=${value}`);
  }
  const flags = {};
  for (const name of BOOLEANS) {
    const value = input(name);
    if (value !== 'true' && value !== 'false' && value !== '') fail(`input ${name} must be true or false`);
    flags[name] = value === 'true';
  }
  const config = input('config');
  if (config !== '') {
    if (hasControlCharacter(config)) fail('input config contains a control character');
    options.push(`--config=${config}`);
  }
  options.push(flags.online ? '--online' : '--offline');
  const paths = [];
  for (const line of (process.env.AW_PATHS ?? '').split('\n')) {
    const path = line.trim();
    if (path === '') continue;
    if (hasControlCharacter(path)) fail('input paths contains a control character');
    paths.push(path);
  }
  if (paths.length === 0) paths.push('.');
  return { format: input('format') || 'sarif', options, paths, flags };
}

function main() {
  const { format, options, paths, flags } = parseInputs();
  const cli = join(__dirname, 'dist', 'cli.js');
  const env = { ...process.env, NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('AW_')) delete env[name];
  delete env.GITHUB_TOKEN;
  delete env.GH_TOKEN;
  if (flags.online && input('token') !== '') env.GITHUB_TOKEN = input('token');

  const runCli = (outputFormat) =>
    spawnSync(process.execPath, [cli, `--format=${outputFormat}`, ...options, '--', ...paths], {
      env,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  const result = runCli(format);
  if (result.error) fail('could not start the CLI with this Node.js');
  printInert(result.stderr);
  const code = result.status;
  if (code !== 0 && code !== 1) fail(`the CLI stopped with exit code ${code === null ? 'none' : code} (usage or I/O error: see the log above)`);

  if (format === 'sarif') {
    const sarifFile = join(process.env.RUNNER_TEMP || tmpdir(), 'actions-warden.sarif');
    writeFileSync(sarifFile, result.stdout);
    // The same findings as annotations, for the log and the pull request.
    const annotations = runCli('github');
    if (annotations.status === code) process.stdout.write(annotations.stdout);
    setOutput('sarif-file', sarifFile);
  } else if (format === 'github') {
    process.stdout.write(result.stdout);
  } else {
    printInert(result.stdout);
  }
  setOutput('exit-code', String(code));
}

main();
