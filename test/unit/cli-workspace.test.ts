import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, tempDir, writeTree } from '../support/cli';

// A comment-driven bot, in the shape of a real one: an `issue_comment` workflow calls a reusable workflow of
// the same repository, which checks out the pull request head (found from the API by a script step) and
// installs it. Alone, the reusable workflow has no privileged trigger.
const BOT = `on:
  issue_comment:
    types: [created]
permissions:
  contents: write
jobs:
  style:
    uses: ./.github/workflows/style-action.yml
    with:
      extras: "[dev]"
    secrets:
      app_key: \${{ secrets.APP_KEY }}
`;
const STYLE_ACTION = `on:
  workflow_call:
    inputs:
      extras: { type: string, required: true }
    secrets:
      app_key: { required: true }
jobs:
  run:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - id: pr
        uses: actions/github-script@v7
        with:
          script: core.setOutput('headSha', 'x')
      - uses: actions/checkout@v4
        with:
          ref: \${{ steps.pr.outputs.headSha }}
          persist-credentials: false
      - env:
          EXTRAS: \${{ inputs.extras }}
        run: pip install .$EXTRAS
`;

interface JsonFinding {
  path: string;
  ruleId: string;
  line: number;
  message: string;
  related: { path?: string; line: number; message: string }[];
}

describe('CLI cross-file analysis', () => {
  test('a folder scan reports the reusable workflow through its issue_comment caller, in both files', async () => {
    const root = tempDir('warden-ws-');
    writeTree(root, { 'repo/.github/workflows/bot.yml': BOT, 'repo/.github/workflows/style-action.yml': STYLE_ACTION });
    const json = await runCli(['--format', 'json', 'repo'], { cwd: root });
    const findings = (JSON.parse(json.stdout).findings as JsonFinding[]).filter((finding) => finding.ruleId === 'untrusted-checkout');
    const called = findings.find((finding) => finding.path === 'repo/.github/workflows/style-action.yml');
    const caller = findings.find((finding) => finding.path === 'repo/.github/workflows/bot.yml');
    assert.ok(called, json.stdout);
    assert.equal(called.line, 23);
    assert.match(called.message, /runs `pip install \.\$EXTRAS`.*called under `issue_comment` by `\.github\/workflows\/bot\.yml`/);
    assert.deepEqual(
      called.related.filter((related) => related.path !== undefined).map((related) => [related.path, related.line]),
      [['repo/.github/workflows/bot.yml', 8]],
    );
    assert.ok(caller);
    assert.equal(caller.line, 8);
    assert.equal(caller.related[0].path, 'repo/.github/workflows/style-action.yml');

    const text = await runCli(['--no-code-frame', 'repo'], { cwd: root });
    assert.match(text.stdout, /\n {2}via repo\/\.github\/workflows\/bot\.yml:8:11: called here by job `style` under `issue_comment`\n/);

    const sarif = JSON.parse((await runCli(['--format', 'sarif', 'repo'], { cwd: root })).stdout);
    const result = sarif.runs[0].results.find(
      (entry: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) =>
        entry.ruleId === 'untrusted-checkout' && entry.locations[0].physicalLocation.artifactLocation.uri.endsWith('style-action.yml'),
    );
    assert.ok(result);
    assert.ok(
      result.relatedLocations.some(
        (related: { physicalLocation: { artifactLocation: { uri: string } } }) =>
          related.physicalLocation.artifactLocation.uri === 'repo/.github/workflows/bot.yml',
      ),
    );
  });

  test('the reusable workflow scanned alone, or beside a caller of another repository, is not reported', async () => {
    const root = tempDir('warden-ws-');
    writeTree(root, {
      'a/.github/workflows/style-action.yml': STYLE_ACTION,
      // Same path in another repository: its caller calls its own copy, not a's.
      'b/.github/workflows/bot.yml': BOT,
    });
    const json = await runCli(['--format', 'json', '.'], { cwd: root });
    const findings = (JSON.parse(json.stdout).findings as JsonFinding[]).filter((finding) => finding.ruleId === 'untrusted-checkout');
    assert.deepEqual(findings, []);
    const alone = await runCli(['--format', 'json', 'a/.github/workflows/style-action.yml'], { cwd: root });
    assert.deepEqual(
      (JSON.parse(alone.stdout).findings as JsonFinding[]).filter((finding) => finding.ruleId === 'untrusted-checkout'),
      [],
    );
  });
});

describe('CLI cross-file analysis of a repository scanned through the API', () => {
  test('the files of the repository are its workspace: the same findings as the folder scan, with repository paths', async () => {
    const { FakeGitHub, sha } = await import('../support/fake-github');
    const gh = new FakeGitHub().treeRepo('octo/bot', {
      files: { '.github/workflows/bot.yml': BOT, '.github/workflows/style-action.yml': STYLE_ACTION },
    });
    await gh.start();
    try {
      const cwd = tempDir('warden-ws-remote-');
      const cache = tempDir('warden-ws-cache-');
      const env = { GITHUB_SERVER_URL: gh.serverUrl, GITHUB_API_URL: gh.apiUrl, XDG_CACHE_HOME: `${cache}/xdg` };
      const result = await runCli(['--cache-dir', cache, '--format', 'json', 'octo/bot@main'], { cwd, env });
      const label = `octo/bot@${sha('octo/bot:head').slice(0, 7)}`;
      const findings = (JSON.parse(result.stdout).findings as JsonFinding[]).filter((finding) => finding.ruleId === 'untrusted-checkout');
      assert.deepEqual(
        findings.map((finding) => [finding.path, finding.line, finding.related.find((related) => related.path)?.path]),
        [
          [`${label}:.github/workflows/bot.yml`, 8, `${label}:.github/workflows/style-action.yml`],
          [`${label}:.github/workflows/style-action.yml`, 23, `${label}:.github/workflows/bot.yml`],
        ],
        result.stderr,
      );
    } finally {
      await gh.stop();
    }
  });
});

describe('self-repository in the CLI: the `./` → `$/` rewrite only where the repository holds the action', () => {
  const WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0
        with:
          persist-credentials: false
      - uses: ./.github/actions/setup
      - uses: ./.github/actions/generated
`;
  const ACTION = 'name: setup\ndescription: d\nruns:\n  using: composite\n  steps:\n    - run: echo\n      shell: bash\n';
  function repo(): string {
    const root = tempDir();
    writeTree(root, { 'repo/.github/workflows/ci.yml': WORKFLOW, 'repo/.github/actions/setup/action.yml': ACTION });
    return root;
  }
  const selfRepository = (stdout: string) =>
    (JSON.parse(stdout).findings as (JsonFinding & { fixes: { safety: string }[] })[]).filter((f) => f.ruleId === 'self-repository');

  test('a folder scan knows every action file: the present target gets a safe fix, the missing one none', async () => {
    const root = repo();
    const found = selfRepository((await runCli(['--offline', '--format', 'json', 'repo'], { cwd: root })).stdout);
    assert.deepEqual(
      found.map((f) => [f.line, f.fixes.map((fix) => fix.safety)]),
      [
        [10, ['safe']],
        [11, []],
      ],
    );
    assert.match(found[1].message, /has no `action\.yml` or `action\.yaml` there/);
    const fixed = await runCli(['--offline', '--fix', 'repo'], { cwd: root });
    assert.equal(fixed.code === 0 || fixed.code === 1, true, fixed.stderr);
    const text = readFileSync(join(root, 'repo/.github/workflows/ci.yml'), 'utf8');
    assert.match(text, /uses: \$\/\.github\/actions\/setup\n/);
    assert.match(text, /uses: \.\/\.github\/actions\/generated\n/, 'the missing target is not rewritten');
  });

  test('a single workflow named on the command line cannot tell: both offered for review, neither called missing', async () => {
    const root = repo();
    const found = selfRepository((await runCli(['--offline', '--format', 'json', 'repo/.github/workflows/ci.yml'], { cwd: root })).stdout);
    assert.deepEqual(
      found.map((f) => f.fixes.map((fix) => fix.safety)),
      [['unsafe'], ['unsafe']],
    );
    assert.doesNotMatch(found[1].message, /no rewrite/);
  });
});
