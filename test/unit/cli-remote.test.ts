/**
 * Scanning repositories that are not on disk (`owner/repo[@ref]`, `--org`), against the fake GitHub on
 * loopback: repository paths in every format, one request per blob and none from a warm cache, the
 * repository's configuration, SARIF per repository, organisation pages, archived repositories and forks,
 * truncated trees, missing repositories, rate limits, and untrusted names and contents.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseRepoSpec } from '../../server/src/cli/remote';
import { runCli, tempDir } from '../support/cli';
import { FakeGitHub, sha } from '../support/fake-github';

/** One high finding (unpinned-uses, line 8 column 23) and nothing else. */
const UNPINNED = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
`;

/** No finding. */
const CLEAN = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: { contents: read }
    steps:
      - run: echo hi
`;

const ACTION = `name: x
description: y
runs:
  using: composite
  steps:
    - uses: actions/setup-node@v4
`;

const DEPENDABOT = `version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule: { interval: weekly }
`;

const LOCKED_WORKFLOW = readFileSync(join(__dirname, '../../../examples/locked/.github/workflows/ci.yml'), 'utf8');
const LOCKED_LOCK = readFileSync(join(__dirname, '../../../examples/locked/.github/workflows/actions.lock'), 'utf8');

describe('scanning repositories through the API', () => {
  let gh: FakeGitHub;
  let cwd: string;
  const rateLimited = { files: { '.github/workflows/ci.yml': UNPINNED }, restBehaviour: undefined as undefined | 'rate-limit-403' };
  before(async () => {
    gh = new FakeGitHub()
      .treeRepo('octo/app', {
        files: {
          '.github/workflows/ci.yml': UNPINNED,
          '.github/workflows/clean.yaml': CLEAN,
          '.github/workflows/notes.txt': 'not a workflow',
          '.github/dependabot.yml': DEPENDABOT,
          'tools/setup/action.yml': ACTION,
          'node_modules/dep/action.yml': ACTION,
          'README.md': '# app\n',
          'src/main.ts': 'export {};\n',
        },
      })
      .treeRepo('octo/configured', {
        files: {
          '.github/workflows/ci.yml': UNPINNED,
          '.github/actions-warden.yml': 'rules:\n  unpinned-uses:\n    ignore: [ci.yml]\n',
        },
      })
      .treeRepo('octo/lib', { files: { '.github/workflows/ci.yml': UNPINNED } })
      .treeRepo('octo/docs', { files: { '.github/workflows/ci.yml': CLEAN } })
      .treeRepo('octo/old', { files: { '.github/workflows/ci.yml': UNPINNED }, archived: true })
      .treeRepo('octo/forked', { files: { '.github/workflows/ci.yml': UNPINNED }, fork: true })
      .treeRepo('octo/huge', {
        files: {
          '.github/workflows/ci.yml': UNPINNED,
          'action.yml': ACTION,
          'a/b.txt': 'x',
          'deep/nested/action.yml': ACTION,
          'z/z.txt': 'z',
        },
        truncateAt: 3,
      })
      .treeRepo('octo/tampered', { files: { '.github/workflows/ci.yml': UNPINNED }, corrupt: ['.github/workflows/ci.yml'] })
      .treeRepo('octo/limited', rateLimited)
      .treeRepo('octo/links', {
        files: { '.github/workflows/ci.yml': CLEAN, '.github/workflows/link.yml': { text: '../../etc/passwd', mode: '120000' } },
      })
      .repo('actions/checkout', {
        history: ['co-1', 'co-2'],
        branches: { main: 'co-2' },
        tags: { 'v4.2.2': { commit: 'co-2' }, 'v4.2.1': { commit: 'co-1' } },
      })
      .treeRepo('octo/pinned', {
        files: {
          '.github/workflows/ci.yml': UNPINNED.replace('actions/checkout@v4', `actions/checkout@${sha('co-1')} # v4.2.2`),
        },
      })
      .treeRepo('octo/locked', {
        files: {
          '.github/workflows/ci.yml': LOCKED_WORKFLOW,
          '.github/workflows/extra.yml': LOCKED_WORKFLOW.replace('actions/setup-node@v6.1.0', 'actions/setup-node@v6.2.0'),
          '.github/workflows/actions.lock': LOCKED_LOCK,
        },
      })
      .treeRepo('evil/names', { files: { '.github/workflows/\u001b[31mred\u202e.yml': UNPINNED } })
      .ownerListing(
        'octo',
        [
          { name: 'octo/lib' },
          { name: 'octo/old', archived: true },
          { name: 'octo/forked', fork: true },
          { name: 'octo/docs' },
          { name: 'octo/app' },
        ],
        { pageSize: 2 },
      )
      .ownerListing('someone', [{ name: 'octo/docs' }], { user: true });
    await gh.start();
    cwd = tempDir('warden-remote-');
  });
  after(() => gh.stop());

  const env = (cache: string, extra: Record<string, string> = {}) => ({
    GITHUB_SERVER_URL: gh.serverUrl,
    GITHUB_API_URL: gh.apiUrl,
    XDG_CACHE_HOME: join(cache, 'xdg'),
    ...extra,
  });
  const scan = (args: string[], cache = tempDir('warden-remote-cache-'), extra: Record<string, string> = {}) =>
    runCli(['--cache-dir', cache, ...args], { cwd, env: env(cache, extra) });

  test("a repository's actions.lock is read at the same commit: locked tags are pinned, an unlisted workflow is not", async () => {
    const result = await scan(['octo/locked@v1', '--format', 'json']);
    const json = JSON.parse(result.stdout) as { files: { path: string }[]; findings: { path: string; ruleId: string }[] };
    const rulesOf = (suffix: string) => json.findings.filter((finding) => finding.path.endsWith(suffix)).map((finding) => finding.ruleId);
    assert.deepEqual(rulesOf('/ci.yml'), [], 'ci.yml is onboarded and every ref is locked');
    // extra.yml is not listed in the lock, so its tags keep today's unpinned-uses.
    assert.ok(rulesOf('/extra.yml').includes('unpinned-uses'), JSON.stringify(json.files.map((file) => file.path)));
    assert.deepEqual(rulesOf('/actions.lock'), [], 'the lock is analysed and clean');
    assert.ok(json.files.some((file) => file.path.endsWith('actions.lock')));
  });

  test('owner/repo@ref scans the files a folder scan would, shown with repository paths', async () => {
    gh.reset();
    const result = await scan(['octo/app@v1', '--no-color']);
    const short = sha('octo/app:head').slice(0, 7);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, new RegExp(`^octo/app@${short}:\\.github/workflows/ci\\.yml:8:\\d+: high unpinned-uses `, 'm'));
    const json = await scan(['octo/app@v1', '--format', 'json']);
    const files = JSON.parse(json.stdout).files as {
      path: string;
      kind: string;
      repository?: { path: string; commit: string; ref: string };
    }[];
    assert.deepEqual(
      files.map((file) => [file.repository?.path, file.kind]),
      [
        ['.github/dependabot.yml', 'dependabot'],
        ['.github/workflows/ci.yml', 'workflow'],
        ['.github/workflows/clean.yaml', 'workflow'],
        ['tools/setup/action.yml', 'action'],
      ],
    );
    assert.equal(files[0].path, `octo/app@${short}:.github/dependabot.yml`);
    assert.equal(files[0].repository?.commit, sha('octo/app:head'));
    assert.equal(files[0].repository?.ref, 'v1');
    // Nothing else was read: no README, no node_modules, no blob twice.
    const blobs = gh.requests.filter((request) => request.path.includes('/git/blobs/'));
    assert.equal(new Set(blobs.map((request) => request.path)).size, blobs.length / 2, 'one request per blob in each run');
    assert.equal(blobs.length, 8);
  });

  test('a second run with the same cache folder asks for no tree and no blob', async () => {
    const cache = tempDir('warden-remote-cache-');
    gh.reset();
    const first = await scan(['octo/app@v1', '--format', 'json'], cache);
    assert.equal(gh.count('/git/blobs/'), 4);
    assert.equal(gh.count('/git/trees/'), 1);
    gh.reset();
    const second = await scan(['octo/app@v1', '--format', 'json'], cache);
    assert.equal(gh.count('/git/blobs/'), 0);
    assert.equal(gh.count('/git/trees/'), 0);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.code, 1);
  });

  test('without a ref: the default branch, from GET /repos/{o}/{r}', async () => {
    gh.reset();
    const result = await scan(['octo/docs']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(gh.requests.filter((request) => request.path === '/api/repos/octo/docs').length, 1);
    assert.match(result.stdout, /1 file/);
  });

  test("the repository's own configuration file applies, as in a folder scan", async () => {
    const result = await scan(['octo/configured', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    assert.equal(report.findings.length, 0, result.stdout);
    const ignored = await scan(['octo/configured', '--format', 'json', '--no-config']);
    assert.equal(JSON.parse(ignored.stdout).findings[0].ruleId, 'unpinned-uses');
  });

  test('SARIF: repository paths as artifact URIs, the repository and commit in versionControlProvenance', async () => {
    const result = await scan(['octo/app@v1', '--format', 'sarif']);
    const sarif = JSON.parse(result.stdout);
    assert.equal(sarif.runs.length, 1);
    const [run] = sarif.runs;
    assert.deepEqual(run.versionControlProvenance, [
      { repositoryUri: `${gh.serverUrl}/octo/app`, revisionId: sha('octo/app:head'), branch: 'v1', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    const unpinned = run.results.find((result: { ruleId: string }) => result.ruleId === 'unpinned-uses');
    assert.equal(unpinned.locations[0].physicalLocation.artifactLocation.uri, '.github/workflows/ci.yml');
  });

  test('--org: pages followed by the Link header, archived repositories and forks skipped, one SARIF per repository', async () => {
    const out = join(tempDir('warden-sarif-'), 'reports');
    gh.reset();
    const result = await scan(['--org', 'octo', '--sarif-dir', out, '--format', 'json']);
    assert.equal(result.code, 1, result.stderr);
    assert.deepEqual(
      gh.requests
        .filter((request) => request.path === '/api/orgs/octo/repos')
        .map((request) => new URLSearchParams(request.query).get('page')),
      ['1', '2', '3'],
    );
    assert.match(result.stderr, /octo: 5 repositories listed, 3 to scan; skipped 1 archived, 1 fork/);
    assert.deepEqual(readdirSync(out).sort(), ['octo__app.sarif', 'octo__docs.sarif', 'octo__lib.sarif']);
    const lib = JSON.parse(readFileSync(join(out, 'octo__lib.sarif'), 'utf8'));
    assert.equal(lib.runs.length, 1);
    assert.equal(lib.runs[0].versionControlProvenance[0].repositoryUri, `${gh.serverUrl}/octo/lib`);
    assert.equal(lib.runs[0].results[0].ruleId, 'unpinned-uses');
    const docs = JSON.parse(readFileSync(join(out, 'octo__docs.sarif'), 'utf8'));
    assert.deepEqual(docs.runs[0].results, []);
    assert.equal(gh.count('/api/repos/octo/old'), 0);
    assert.equal(gh.count('/api/repos/octo/forked'), 0);

    const withForks = await scan(['--org', 'octo', '--include-forks', '--format', 'json']);
    assert.ok(JSON.parse(withForks.stdout).files.some((file: { path: string }) => file.path.startsWith('octo/forked@')));
  });

  test('--org falls back to the user listing when there is no such organisation', async () => {
    const result = await scan(['--org', 'someone', '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /someone \(a user\): 1 repository listed, 1 to scan/);
    assert.equal(JSON.parse(result.stdout).files[0].repository.url, `${gh.serverUrl}/octo/docs`);
  });

  test('a truncated tree: .github and the root are listed on their own, and the note says what may be missing', async () => {
    const result = await scan(['octo/huge', '--format', 'json']);
    const paths = JSON.parse(result.stdout).files.map((file: { repository: { path: string } }) => file.repository.path);
    assert.deepEqual(paths, ['.github/workflows/ci.yml', 'action.yml']);
    assert.match(
      result.stderr,
      /GitHub truncated the listing .* action\.yml files in other folders were looked for only among the 3 entries/,
    );
  });

  test('a repository that does not exist: exit 2, the others are still scanned', async () => {
    const result = await scan(['octo/missing', 'octo/docs', '--format', 'json']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /error: octo\/missing: octo\/missing was not found on 127\.0\.0\.1:\d+/);
    assert.equal(JSON.parse(result.stdout).files.length, 1);
  });

  test('a rate limit stops the scan and names the repositories not scanned', async () => {
    rateLimited.restBehaviour = 'rate-limit-403';
    try {
      gh.reset();
      const result = await scan(['octo/docs', 'octo/limited', 'octo/lib', 'octo/app']);
      assert.equal(result.code, 2);
      assert.match(result.stderr, /GitHub rate limit reached at .*; stopped: not scanned: octo\/limited, octo\/lib, octo\/app/);
      assert.equal(gh.count('/octo/lib'), 0);
      assert.equal(gh.count('/octo/app'), 0);
    } finally {
      rateLimited.restBehaviour = undefined;
    }
  });

  test('a blob whose content does not match its SHA is refused', async () => {
    const out = tempDir('warden-sarif-');
    const result = await scan(['octo/tampered', 'octo/lib', '--format', 'json', '--sarif-dir', out]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /does not match its SHA; it was not used/);
    assert.ok(JSON.parse(result.stdout).findings.every((finding: { path: string }) => finding.path.startsWith('octo/lib@')));
    // No SARIF file for a repository read in part: an empty run would close its alerts.
    assert.deepEqual(readdirSync(out), ['octo__lib.sarif']);
    assert.match(result.stderr, /no SARIF file for octo\/tampered@\w+: some of its files could not be read/);
  });

  test('symbolic links in the tree are not followed, and said so', async () => {
    const result = await scan(['octo/links']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /skipped 1 symbolic link .*: \.github\/workflows\/link\.yml/);
    assert.equal(gh.requests.filter((request) => request.path.includes('/octo/links/git/blobs/')).length, 1);
  });

  test('online checks run on the files of a repository as on a folder (--online)', async () => {
    const result = await scan(['octo/pinned', '--online', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    assert.equal(report.online, true);
    assert.ok(
      report.findings.some((finding: { ruleId: string }) => finding.ruleId === 'ref-version-mismatch'),
      result.stdout,
    );
    const offlineRules = await scan(['octo/pinned', '--format', 'json']);
    assert.equal(JSON.parse(offlineRules.stdout).online, false);
  });

  test('file names from the repository are escaped in the output', async () => {
    const result = await scan(['evil/names', '--no-color']);
    assert.equal(result.code, 1);
    assert.ok(!result.stdout.includes('\u001b') && !result.stdout.includes('\u202e'), result.stdout);
    assert.match(result.stdout, /red\\u202e\.yml:8:/);
  });

  test('the token goes to the configured API host with every request', async () => {
    gh.reset();
    await scan(['octo/lib@v1'], undefined, { GITHUB_TOKEN: 'ghp_remoteSECRET' });
    const api = gh.requests.filter((request) => request.path.startsWith('/api/'));
    assert.ok(api.length >= 2);
    assert.ok(api.every((request) => request.authorization === 'Bearer ghp_remoteSECRET'));
  });

  test('an argument that exists on disk is a path, never a repository', async () => {
    const root = tempDir('warden-remote-local-');
    mkdirSync(join(root, 'octo', 'app', '.github', 'workflows'), { recursive: true });
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(root, 'octo', 'app', '.github', 'workflows', 'ci.yml'), CLEAN);
    gh.reset();
    const result = await runCli(['octo/app'], { cwd: root, env: env(root) });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(gh.count(), 0);
    // Even a broken symbolic link counts as on disk.
    symlinkSync(join(root, 'nowhere'), join(root, 'octo', 'gone'));
    const broken = await runCli(['octo/gone'], { cwd: root, env: env(root) });
    assert.equal(gh.count(), 0);
    assert.equal(broken.code, 2);
    // A name under a folder that exists is a mistyped path, not a repository.
    const typo = await runCli(['octo/docs'], { cwd: root, env: env(root) });
    assert.equal(gh.count(), 0);
    assert.match(typo.stderr, /octo\/docs: no such file or folder/);
    // After --, a name is always a path (wrappers pass untrusted names there).
    const dashDash = await runCli(['--', 'octo-other/docs'], { cwd: root, env: env(root) });
    assert.equal(gh.count(), 0);
    assert.equal(dashDash.code, 2);
    assert.match(dashDash.stderr, /octo-other\/docs: no such file or folder/);
  });

  test('usage errors: a malformed repository name, --offline, --fix, --sarif-dir without a repository', async () => {
    const bad = await scan(['bad_owner/repo']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /'bad_owner\/repo' is neither a file or folder nor a repository/);
    const badRef = await scan(['octo/app@a..b']);
    assert.match(badRef.stderr, /is neither a file or folder nor a repository/);
    const offline = await scan(['octo/app', '--offline']);
    assert.equal(offline.code, 2);
    assert.match(offline.stderr, /needs the network, and --offline is set/);
    const fix = await scan(['octo/app', '--fix']);
    assert.equal(fix.code, 2);
    assert.match(fix.stderr, /--fix cannot be used with a repository scanned through the API/);
    const dir = await scan(['.', '--sarif-dir', 'out']);
    assert.equal(dir.code, 2);
    assert.match(dir.stderr, /--sarif-dir needs owner\/repo arguments or --org/);
    assert.equal(existsSync(join(cwd, 'out')), false);
    const org = await scan(['--org', '../etc']);
    assert.equal(org.code, 2);
    assert.match(org.stderr, /invalid value '\.\.\/etc' for --org/);
  });

  test('the same findings as a folder scan of the same files (the bundled examples), with repository paths', async () => {
    for (const example of ['vulnerable', 'hardened']) {
      const folder = join(__dirname, '..', '..', '..', 'examples', example);
      const files: Record<string, string> = {};
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else files[relative(folder, path).split('\\').join('/')] = readFileSync(path, 'utf8');
        }
      };
      walk(folder);
      const name = `examples/${example}`;
      gh.treeRepo(name, { files });
      const local = await runCli(['--persona', 'auditor', '--format', 'json', '.'], { cwd: folder, env: {} });
      const remote = await scan(['--persona', 'auditor', '--format', 'json', name]);
      assert.equal(remote.code, local.code, remote.stderr);
      const shape = (stdout: string, strip: (path: string) => string) =>
        (JSON.parse(stdout).findings as { path: string; ruleId: string; line: number; column: number; message: string }[]).map(
          (finding) => `${strip(finding.path)}:${finding.line}:${finding.column} ${finding.ruleId} ${finding.message}`,
        );
      const localFindings = shape(local.stdout, (path) => path);
      assert.ok(example === 'hardened' || localFindings.length > 0);
      assert.deepEqual(
        shape(remote.stdout, (path) => path.replace(/^examples\/\w+@[0-9a-f]{7}:/, '')),
        localFindings,
      );
    }
  });

  test('repository names follow GitHub rules', () => {
    assert.deepEqual(parseRepoSpec('astral-sh/uv@0.5.1'), { owner: 'astral-sh', repo: 'uv', ref: '0.5.1', given: 'astral-sh/uv@0.5.1' });
    assert.deepEqual(parseRepoSpec('a/b.c_d-e'), { owner: 'a', repo: 'b.c_d-e', given: 'a/b.c_d-e' });
    assert.equal(parseRepoSpec('a/..'), null);
    assert.equal(parseRepoSpec('a/.'), null);
    assert.equal(parseRepoSpec(`${'a'.repeat(40)}/b`), null);
    assert.equal(parseRepoSpec(`a/${'b'.repeat(101)}`), null);
    assert.equal(parseRepoSpec('a/b/c'), null);
    assert.equal(parseRepoSpec('a/b@'), null);
    assert.equal(parseRepoSpec('a/b@x y'), null);
    assert.ok(parseRepoSpec('a/b@feature/x'));
  });
});
