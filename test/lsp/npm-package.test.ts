/**
 * The npm package as users get it: `npm pack` of the repository, installed globally into a temporary
 * prefix with `--offline` (so it must need no dependency), then both bins run from that prefix, outside the
 * repository (so nothing can come from its node_modules): `actions-warden` over a vulnerable workflow and
 * `actions-warden-language-server --stdio` answering `initialize`. Packs the current dist/ (run `npm run
 * build` first) with --ignore-scripts, so the test never rebuilds the bundles other tests are using.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';

const ROOT = join(__dirname, '..', '..', '..');
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** Exactly what runs, and what every npm package carries. */
const EXPECTED_FILES = ['LICENSE', 'README.md', 'dist/cli.js', 'dist/server.js', 'package.json', 'schemas/actions-warden.schema.json'];

const VULNERABLE_WORKFLOW = `on: pull_request
permissions: {}
jobs:
  test:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

let work: string;
/** Environment of every child: no npm configuration of the user's, no registry reachable but a closed loopback port. */
let env: NodeJS.ProcessEnv;

function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  // Under `npm test`, npm_execpath is the npm that runs us; otherwise the one on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, prefix] =
    npmCli && /\.[cm]?js$/.test(npmCli) ? [process.execPath, [npmCli]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  const common = [
    '--offline',
    '--no-audit',
    '--no-fund',
    '--no-update-notifier',
    '--cache',
    join(work, 'cache'),
    '--userconfig',
    join(work, 'npmrc'),
    '--registry',
    'http://127.0.0.1:9/',
  ];
  return spawnSync(command, [...prefix, ...args, ...common], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
    shell: process.platform === 'win32',
  });
}

function binPath(prefix: string, name: string): string {
  return process.platform === 'win32' ? join(prefix, `${name}.cmd`) : join(prefix, 'bin', name);
}

describe('npm package', { skip: process.platform === 'win32' ? 'bins are shell scripts under bin/ only on POSIX' : false }, () => {
  let prefix: string;
  let installedDir: string;

  before(() => {
    for (const bundle of ['dist/cli.js', 'dist/server.js']) {
      if (!existsSync(join(ROOT, bundle))) throw new Error(`${bundle} is missing: run npm run build first`);
    }
    work = mkdtempSync(join(tmpdir(), 'warden-npm-'));
    writeFileSync(join(work, 'npmrc'), '');
    mkdirSync(join(work, 'home'));
    env = {
      PATH: [dirname(process.execPath), ...(process.env.PATH ?? '').split(delimiter)].join(delimiter),
      HOME: join(work, 'home'),
      XDG_CACHE_HOME: join(work, 'xdg-cache'),
      ...(process.env.SystemRoot ? { SystemRoot: process.env.SystemRoot } : {}),
    };
    prefix = join(work, 'prefix');
    installedDir = join(prefix, 'lib', 'node_modules', PACKAGE.name);
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('bundles require nothing but Node built-ins', () => {
    const builtins = new Set(builtinModules);
    for (const bundle of ['dist/cli.js', 'dist/server.js']) {
      const text = readFileSync(join(ROOT, bundle), 'utf8');
      assert.ok(text.startsWith('#!/usr/bin/env node\n'), `${bundle} starts with a shebang (it is a bin)`);
      const required = new Set([...text.matchAll(/\brequire\("([^"]+)"\)/g)].map((match) => match[1]));
      assert.ok(required.size > 0, `${bundle} requires something`);
      for (const name of required)
        assert.ok(name.startsWith('node:') || builtins.has(name), `${bundle} requires ${name}, which is not a Node built-in`);
    }
  });

  test('packs exactly what runs, installs offline with no dependency, and both bins work from the install', async () => {
    const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT);
    assert.equal(packed.status, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    assert.deepEqual(info.files.map((file) => file.path).sort(), EXPECTED_FILES);

    const installed = npm(['install', '--global', '--prefix', prefix, join(work, info.filename)], work);
    assert.equal(installed.status, 0, `offline install of the tarball: ${installed.stderr}`);
    const manifest = JSON.parse(readFileSync(join(installedDir, 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.private, undefined, 'publishable');
    assert.equal(manifest.dependencies, undefined, 'the bundles need no dependency');
    assert.deepEqual(manifest.bin, { 'actions-warden': './dist/cli.js', 'actions-warden-language-server': './dist/server.js' });
    assert.ok(!existsSync(join(installedDir, 'node_modules')), 'nothing installed beside the package');

    const version = spawnSync(binPath(prefix, 'actions-warden'), ['--version'], { env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), `actions-warden ${PACKAGE.version}`);

    const project = join(work, 'project');
    mkdirSync(join(project, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(project, '.github', 'workflows', 'ci.yml'), VULNERABLE_WORKFLOW);
    const scan = spawnSync(binPath(prefix, 'actions-warden'), ['--no-config', '--offline', '--format', 'json'], {
      cwd: project,
      env,
      encoding: 'utf8',
    });
    assert.equal(scan.status, 1, scan.stderr);
    const report = JSON.parse(scan.stdout) as { findings: { ruleId: string; path: string }[] };
    assert.deepEqual(
      report.findings.map((finding) => `${finding.path} ${finding.ruleId}`),
      ['.github/workflows/ci.yml unpinned-uses'],
    );

    const answer = await initializeOverStdio(binPath(prefix, 'actions-warden-language-server'), project);
    assert.equal(answer.id, 1);
    assert.equal(answer.result?.serverInfo?.name, 'actions-warden');
    assert.ok(answer.result?.capabilities?.codeActionProvider, 'announces code actions');
    assert.ok(answer.result?.capabilities?.hoverProvider, 'announces hovers');
  });
});

interface InitializeAnswer {
  id?: number;
  result?: { capabilities?: Record<string, unknown>; serverInfo?: { name?: string } };
}

/** Starts `bin --stdio`, sends `initialize`, returns its answer, then `shutdown` + `exit`. */
function initializeOverStdio(bin: string, cwd: string): Promise<InitializeAnswer> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--stdio'], { cwd, env, stdio: 'pipe' });
    let stderr = '';
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no answer to initialize within 15 s; stderr: ${stderr}`));
    }, 15_000);
    const send = (message: object) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }), 'utf8');
      child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      child.stdin.write(body);
    };
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const headerEnd = buffer.indexOf('\r\n\r\n');
        if (headerEnd === -1) return;
        const length = /Content-Length: (\d+)/i.exec(buffer.subarray(0, headerEnd).toString('ascii'))?.[1];
        if (length === undefined) return reject(new Error('a message without Content-Length'));
        const end = headerEnd + 4 + Number(length);
        if (buffer.length < end) return;
        const message = JSON.parse(buffer.subarray(headerEnd + 4, end).toString('utf8')) as InitializeAnswer & { method?: string };
        buffer = buffer.subarray(end);
        if (message.id === 1 && message.method === undefined) {
          clearTimeout(timer);
          send({ id: 2, method: 'shutdown' });
          send({ method: 'exit' });
          child.on('exit', () => resolve(message));
        }
      }
    });
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
  });
}
