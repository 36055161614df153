/**
 * The GitHub Action (action.yml + action/run.js + the committed bundle action/dist/cli.js): the bundle is
 * what the sources build, byte for byte; the metadata passes our own audit at the auditor persona, pins its
 * `uses:` and expands no input in a script; and the audit step, run as the runner would run it, keeps the
 * caller's inputs from becoming options, keeps the token home unless `online` is true, and keeps text from
 * the audited repository from issuing workflow commands in the log.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { runCli, tree, writeTree } from '../support/cli';
import { standardFakeGitHub, type FakeGitHub } from '../support/fake-github';

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server', 'src', 'cli.ts'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

const ROOT = findRepoRoot();
const RUN_JS = join(ROOT, 'action', 'run.js');

/** One high finding: unpinned-uses. */
const UNPINNED = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

interface StepRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: string;
}

/** Runs the audit step as the runner does: `node action/run.js` with the inputs as AW_* variables. */
function runStep(cwd: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): Promise<StepRun> {
  const temp = mkdtempSync(join(tmpdir(), 'warden-action-step-'));
  const outputFile = join(temp, 'github-output');
  writeFileSync(outputFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: temp,
    RUNNER_TEMP: temp,
    GITHUB_OUTPUT: outputFile,
    XDG_CACHE_HOME: join(temp, 'cache'),
    // Where the runner says GitHub is; every test that may go online points this at a loopback fake.
    GITHUB_SERVER_URL: 'http://127.0.0.1:9',
    GITHUB_API_URL: 'http://127.0.0.1:9/api',
    ...extraEnv,
  };
  for (const [name, value] of Object.entries(inputs)) env[`AW_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  return new Promise((resolve) => {
    execFile(process.execPath, [RUN_JS], { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const outputs = readFileSync(outputFile, 'utf8');
      rmSync(temp, { recursive: true, force: true });
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, outputs });
    });
  });
}

/** Lines the runner would take for workflow commands (it trims leading white space), outside stop-commands blocks. */
function activeCommands(log: string): string[] {
  const active: string[] = [];
  let resumeToken: string | undefined;
  for (const raw of log.split('\n')) {
    const line = raw.trimStart();
    if (resumeToken !== undefined) {
      if (line === `::${resumeToken}::`) resumeToken = undefined;
      continue;
    }
    const stop = /^::stop-commands::(.+)$/.exec(line);
    if (stop) resumeToken = stop[1];
    else if (line.startsWith('::')) active.push(line);
  }
  return active;
}

describe('action bundle', () => {
  test('action/dist/cli.js is byte for byte what scripts/build-action.mjs builds from the sources', () => {
    const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-action.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(check.status, 0, `${check.stderr}${check.stdout}`);
  });

  test('the check notices a bundle that differs by one byte', () => {
    const temp = mkdtempSync(join(tmpdir(), 'warden-action-bundle-'));
    try {
      const stale = join(temp, 'cli.js');
      const committed = readFileSync(join(ROOT, 'action', 'dist', 'cli.js'));
      writeFileSync(stale, Buffer.concat([committed, Buffer.from('\n')]));
      const check = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-action.mjs'), '--check', stale], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      assert.equal(check.status, 1);
      assert.match(check.stderr, /npm run build:action/);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  test('the bundle is neither minified nor tied to the checkout it was built in', () => {
    const text = readFileSync(join(ROOT, 'action', 'dist', 'cli.js'), 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env node\n"use strict";\n'));
    assert.match(text, /^\/\/ server\/src\/cli\/run\.ts$/m, 'module comments of an unminified bundle');
    assert.doesNotMatch(text, /sourceMappingURL/);
    const modules = [...text.matchAll(/^\/\/ (\S+\.(?:ts|js|json))$/gm)].map((match) => match[1]);
    assert.ok(modules.length > 50);
    for (const module of modules)
      assert.match(module, /^(server|shared|node_modules)\/|^package\.json$/, `module path ${module} is relative to the repository`);
  });
});

describe('action.yml', () => {
  const text = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const action = parse(text) as {
    inputs: Record<string, { description?: string; default?: string }>;
    runs: { using: string; steps: { id?: string; uses?: string; run?: string; env?: Record<string, string> }[] };
  };

  test('passes our own audit at the auditor persona, with our workflows', async () => {
    const result = await runCli(['--persona', 'auditor', 'action.yml', '.github/workflows'], { cwd: ROOT });
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^No findings in \d+ files\n$/);
  });

  test('composite; every uses: pinned to a commit with its version in a comment; no expression in a script', () => {
    assert.equal(action.runs.using, 'composite');
    const uses = action.runs.steps.filter((step) => step.uses !== undefined);
    assert.ok(uses.length > 0);
    for (const step of uses) {
      const line = text.split('\n').find((candidate) => candidate.includes(`uses: ${step.uses}`));
      assert.match(line ?? '', /uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/, `${step.uses} is pinned with a version comment`);
    }
    for (const step of action.runs.steps) {
      if (step.run !== undefined) assert.doesNotMatch(step.run, /\$\{\{/, 'inputs reach scripts only through env');
    }
  });

  test('every input reaches the audit step through one AW_ variable', () => {
    const audit = action.runs.steps.find((step) => step.id === 'audit');
    assert.ok(audit?.env);
    for (const [name, spec] of Object.entries(action.inputs)) {
      assert.ok(spec.description, `${name} is documented`);
      if (name === 'sarif-category') continue; // used by the upload step's `with:`
      assert.equal(audit.env[`AW_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`, name);
    }
  });
});

describe('action audit step (action/run.js)', () => {
  let legit: FakeGitHub;
  let attacker: FakeGitHub;
  before(async () => {
    legit = await standardFakeGitHub().start();
    attacker = await standardFakeGitHub().start();
  });
  after(async () => {
    await legit.stop();
    await attacker.stop();
  });
  const ghEnv = () => ({ GITHUB_SERVER_URL: legit.serverUrl, GITHUB_API_URL: legit.apiUrl });

  test('sarif: the report is written under RUNNER_TEMP, the outputs name it, the log gets annotations', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    const temp = mkdtempSync(join(tmpdir(), 'warden-action-sarif-'));
    try {
      const step = await runStep(root, { paths: '.', format: 'sarif', online: 'false', 'upload-sarif': 'true' }, { RUNNER_TEMP: temp });
      assert.equal(step.code, 0, step.stdout + step.stderr);
      const sarifFile = join(temp, 'actions-warden.sarif');
      assert.equal(step.outputs, `sarif-file=${sarifFile}\nexit-code=1\n`);
      const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { version: string; runs: { results: { ruleId: string }[] }[] };
      assert.equal(sarif.version, '2.1.0');
      assert.deepEqual(
        sarif.runs[0].results.map((result) => result.ruleId),
        ['unpinned-uses'],
      );
      assert.match(step.stdout, /^::error file=\.github\/workflows\/ci\.yml,line=9,.*title=unpinned-uses \(high\)::/m);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });

  test('a path input that looks like an option stays a path (it is audited, it configures nothing)', async () => {
    // Without `--` before the paths, this input would be `--config`, pointing the CLI at a file that disables the rule.
    const root = tree({
      '--config=quiet/action.yml': 'name: x\ndescription: y\nruns:\n  using: composite\n  steps:\n    - uses: actions/checkout@v4\n',
      'quiet/action.yml': 'rules:\n  unpinned-uses:\n    disable: true\n',
    });
    const step = await runStep(root, { paths: '--config=quiet/action.yml', format: 'json', online: 'false' });
    assert.equal(step.code, 0, step.stdout);
    assert.match(step.outputs, /^exit-code=1$/m);
    assert.match(step.stdout, /"path": "--config=quiet\/action\.yml"[\s\S]*"ruleId": "unpinned-uses"/);
  });

  test('a path input cannot send the token to another host', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    legit.reset();
    attacker.reset();
    const paths = `.\n--github-server-url=${attacker.serverUrl}\n--github-api-url=${attacker.apiUrl}`;
    const step = await runStep(root, { paths, online: 'true', token: 'ghp_inputTOKEN', format: 'text' }, ghEnv());
    assert.equal(step.code, 2, 'the two lines are missing paths, not options');
    assert.match(step.stdout, /--github-server-url=http:\/\/127\.0\.0\.1:\d+: no such file/);
    assert.equal(attacker.requests.length, 0);
  });

  test('offline by default: a token in the caller’s environment does not take the CLI online', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    legit.reset();
    const step = await runStep(
      root,
      { paths: '.', format: 'github', online: 'false', token: 'ghp_inputTOKEN' },
      { ...ghEnv(), GH_TOKEN: 'ghp_jobENV', GITHUB_TOKEN: 'ghp_jobENV' },
    );
    assert.equal(step.code, 0, step.stdout);
    assert.match(step.outputs, /^exit-code=1$/m);
    assert.equal(legit.requests.length, 0, 'no request at all');
  });

  test('online: true sends the token input, and only it, to the runner’s GitHub hosts', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    legit.reset();
    const step = await runStep(
      root,
      { paths: '.', format: 'github', online: 'true', token: 'ghp_inputTOKEN' },
      { ...ghEnv(), GH_TOKEN: 'ghp_jobENV' },
    );
    assert.equal(step.code, 0, step.stdout);
    assert.ok(legit.requests.length > 0, 'resolution happened');
    for (const request of legit.requests) {
      const credential = request.authorization ?? '';
      const decoded = credential.startsWith('Basic ') ? Buffer.from(credential.slice(6), 'base64').toString() : credential;
      assert.match(decoded, /ghp_inputTOKEN/, request.path);
      assert.doesNotMatch(decoded, /ghp_jobENV/);
    }
  });

  test('text from the audited repository issues no workflow command in the log', async () => {
    // A folder named like a workflow command: text output starts each finding with its path.
    const root = tree({ '::warning::injected/.github/workflows/ci.yml': UNPINNED });
    for (const format of ['text', 'json', 'github', 'sarif']) {
      const step = await runStep(root, { paths: '.', format, online: 'false' });
      assert.equal(step.code, 0, `${format}: ${step.stdout}`);
      assert.ok(step.stdout.includes('injected'), `${format}: the finding is shown`);
      for (const command of activeCommands(step.stdout)) {
        assert.match(
          command,
          /^::(error|warning|notice) file=%3A%3Awarning%3A%3Ainjected\/\.github\/workflows\/ci\.yml,/,
          `${format}: ${command}`,
        );
      }
    }
    // The CLI's error messages repeat paths too.
    const step = await runStep(root, { paths: '::add-mask::missing', online: 'false' });
    assert.equal(step.code, 2);
    assert.ok(step.stdout.includes('::add-mask::missing'));
    assert.deepEqual(
      activeCommands(step.stdout).filter((line) => !line.startsWith('::error title=Actions Warden::')),
      [],
    );
  });

  test('invalid inputs stop the step without echoing them', async () => {
    const root = tree({ '.github/workflows/ci.yml': UNPINNED });
    const cases: Record<string, string>[] = [
      { persona: 'regular\n::add-mask::x' },
      { format: 'xml' },
      { online: 'yes' },
      { 'min-severity': 'critical' },
      { paths: '.github\u001b[2J' },
      { config: 'a\rb' },
    ];
    for (const inputs of cases) {
      const step = await runStep(root, inputs);
      assert.equal(step.code, 2, JSON.stringify(inputs));
      assert.equal(step.outputs, '');
      assert.match(step.stdout, /^::error title=Actions Warden::input [a-z-]+ (must be|contains)/);
      assert.doesNotMatch(step.stdout, /add-mask|xml|yes|critical|\u001b/);
    }
  });
});

test('docs/ci.md shows the action pinned by commit, and that workflow passes our own audit', async () => {
  const markdown = readFileSync(join(ROOT, 'docs', 'ci.md'), 'utf8');
  const block = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)]
    .map((match) => match[1])
    .find((yaml) => yaml.includes('actions-warden/actions-warden@'));
  assert.ok(block, 'a workflow using the action');
  assert.match(block, /uses: actions-warden\/actions-warden@<commit-sha> # v\d+\.\d+\.\d+\n/);
  const root = tree({});
  writeTree(root, { '.github/workflows/actions-warden.yml': block.replace('<commit-sha>', '0123456789abcdef0123456789abcdef01234567') });
  for (const persona of ['regular', 'auditor']) {
    const result = await runCli(['--no-config', '--offline', '--persona', persona], { cwd: root });
    assert.equal(result.stdout, 'No findings in 1 file\n', persona);
  }
});
