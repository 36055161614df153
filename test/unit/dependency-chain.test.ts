/**
 * Following the dependency chain against the fake GitHub on loopback: a workflow pinning a composite
 * action by SHA gets the problems inside that action on its own lines, with the chain in the message and a
 * related location inside the dependency; a second run asks nothing; offline asks nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { attachDependencySnapshot } from '../../server/src/dependencies/online';
import { walkDependencies } from '../../server/src/dependencies/walk';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { parseFile } from '../../server/src/parse/document';
import { RepoData } from '../../server/src/resolve/repo-data';
import { GitHubResolver } from '../../server/src/resolve/resolver';
import { available } from '../../server/src/views';
import { runCli, tempDir, tree } from '../support/cli';
import { withCompositeChain } from '../support/dependency-fixtures';
import { FakeGitHub, sha } from '../support/fake-github';

function fixture(): FakeGitHub {
  return withCompositeChain(new FakeGitHub(), { composite: 'ac-1', tool: 'ot-1' })
    .repo('wide/fan', {
      history: ['wf-1'],
      branches: { main: 'wf-1' },
      tags: { v1: { commit: 'wf-1' } },
      files: {
        'wf-1': {
          'action.yml': `runs:\n  using: composite\n  steps:\n${Array.from({ length: 300 }, (_, i) => `    - uses: nobody/repo-${i}@v1\n`).join('')}`,
        },
      },
    })
    .repo('loop/a', {
      history: ['la-1'],
      branches: { main: 'la-1' },
      tags: { v1: { commit: 'la-1' } },
      files: { 'la-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: loop/b@v1\n' } },
    })
    .repo('loop/b', {
      history: ['lb-1'],
      branches: { main: 'lb-1' },
      tags: { v1: { commit: 'lb-1' } },
      files: { 'lb-1': { 'action.yml': 'runs:\n  using: composite\n  steps:\n    - uses: loop/a@v1\n' } },
    });
}

function workflow(trigger: string, title: string): string {
  return `on: ${trigger}
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/composite@${sha('ac-1')}
        with:
          title: ${title}
`;
}

describe('dependency chain', () => {
  let gh: FakeGitHub;
  const dirs: string[] = [];
  const dataFor = (cacheDir: string) =>
    new RepoData(new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500, cacheDir }), { cacheDir });
  before(async () => {
    gh = await fixture().start();
  });
  after(async () => {
    await gh.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => gh.reset());
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-deps-'));
    dirs.push(dir);
    return dir;
  };

  test('the walk reads each action once at its commit and follows composite steps; a cycle ends', async () => {
    const data = dataFor(temp());
    const graph = await walkDependencies(data, [`acme/composite@${sha('ac-1')}`, 'loop/a@v1', 'loop/a@v1']);
    assert.ok(graph.action('acme', 'composite', '', sha('ac-1')).available);
    assert.equal(graph.commitOf('other', 'tool', 'v1'), sha('ot-1'));
    assert.ok(graph.action('other', 'tool', '', sha('ot-1')).available);
    assert.ok(graph.action('loop', 'b', '', sha('lb-1')).available);
    assert.equal(gh.count(`/loop/a/raw/${sha('la-1')}/action.yml`), 1, 'the cycle reads loop/a once');
    assert.deepEqual(graph.stopped, []);
  });

  test('the walk stops at the depth bound and says so', async () => {
    const graph = await walkDependencies(dataFor(temp()), ['loop/a@v1'], { maxDepth: 1 });
    assert.ok(graph.action('loop', 'a', '', sha('la-1')).available);
    assert.equal(graph.action('loop', 'b', '', sha('lb-1')).available, false);
    assert.match(graph.stopped.join('\n'), /deeper than 1 levels at loop\/b@v1/);
  });

  test('the walk stops at the file budget and says so', async () => {
    const graph = await walkDependencies(dataFor(temp()), ['loop/a@v1'], { maxFiles: 1 });
    assert.equal(graph.filesRead, 1);
    assert.match(graph.stopped.join('\n'), /more than 1 dependency files/);
  });

  test('a fetched file naming hundreds of actions costs a bounded number of requests, and the walk says where it stopped', async () => {
    gh.reset();
    const graph = await walkDependencies(dataFor(temp()), ['wide/fan@v1'], { maxFiles: 10 });
    // One listing for wide/fan, then at most 2 × maxFiles ref look-ups in all, whatever the file lists.
    assert.ok(gh.requests.length <= 1 + 1 + 2 * 10 + 2, `${gh.requests.length} requests`);
    assert.ok(graph.filesRead <= 10);
    assert.match(graph.stopped.join('\n'), /names 300 actions: only the first 100 were followed/);
    assert.match(graph.stopped.join('\n'), /more than 20 ref look-ups/);
  });

  test('a dependency problem is reported on the uses: line with the chain; taint across the boundary on the with: line', async () => {
    const graph = await walkDependencies(dataFor(temp()), [`acme/composite@${sha('ac-1')}`]);
    const text = workflow('issues', '${{ github.event.issue.title }}');
    const file = parseFile('w.yml', 'workflow', text);
    const findings = analyze(file, { ...DEFAULT_ANALYSIS_OPTIONS, views: { dependencies: available(graph) } });
    const unpinned = findings.find((f) => f.ruleId === 'unpinned-uses');
    assert.ok(unpinned, JSON.stringify(findings.map((f) => [f.ruleId, f.message])));
    assert.equal(unpinned.range.start.line, 6, 'on the uses: line');
    assert.match(unpinned.message, new RegExp(`^via acme/composite@${sha('ac-1').slice(0, 12)} action.yml:9: .*other/tool.*v1`));
    assert.equal(unpinned.related[0].uri, `${gh.serverUrl}/acme/composite/blob/${sha('ac-1')}/action.yml`);
    assert.equal(unpinned.related[0].range.start.line, 8, 'the uses: line inside acme/composite');
    const injection = findings.filter((f) => f.ruleId === 'template-injection');
    assert.equal(injection.length, 1, JSON.stringify(injection));
    assert.equal(injection[0].range.start.line, 8, 'on the with: line');
    assert.equal(injection[0].severity, 'high');
    assert.match(injection[0].message, /github\.event\.issue\.title.*`title`.*inputs\.title/);
    assert.equal(injection[0].related[0].range.start.line, 9);
  });

  test('a constant passed to the input is no injection; without the view nothing is reported from the chain', async () => {
    const graph = await walkDependencies(dataFor(temp()), [`acme/composite@${sha('ac-1')}`]);
    const constant = analyze(parseFile('w.yml', 'workflow', workflow('issues', 'hello')), {
      ...DEFAULT_ANALYSIS_OPTIONS,
      views: { dependencies: available(graph) },
    });
    assert.equal(constant.filter((f) => f.ruleId === 'template-injection').length, 0);
    const none = analyze(parseFile('w.yml', 'workflow', workflow('issues', '${{ github.event.issue.title }}')), DEFAULT_ANALYSIS_OPTIONS);
    assert.equal(none.filter((f) => f.message.startsWith('via ') || f.message.includes('inputs.title')).length, 0);
  });

  test('the CLI online: findings via the chain; the second run makes no request; offline makes none; the switch turns it off', async () => {
    const root = tree({ '.github/workflows/ci.yml': workflow('issues', '${{ github.event.issue.title }}') });
    const env = { XDG_CACHE_HOME: tempDir('warden-deps-cache-') };
    const args = ['--format', 'json', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '.'];
    const first = await runCli(args, { cwd: root, env });
    const results = JSON.parse(first.stdout);
    const findings: { ruleId: string; line: number; message: string; related: { uri?: string }[] }[] = results.findings;
    const chained = findings.filter((f) => f.message.includes('acme/composite@'));
    assert.ok(
      chained.some((f) => f.ruleId === 'unpinned-uses' && f.line === 7),
      JSON.stringify(findings),
    );
    assert.ok(chained.some((f) => f.ruleId === 'template-injection' && f.line === 9));
    assert.ok(chained.every((f) => f.related[0]?.uri?.startsWith(`${gh.serverUrl}/acme/composite/blob/`)));
    assert.ok(gh.count('/acme/composite/raw/') >= 1);
    gh.reset();
    const second = await runCli(args, { cwd: root, env });
    assert.equal(second.stdout, first.stdout);
    assert.equal(gh.requests.filter((r) => r.path.includes('/raw/')).length, 0, 'files at a commit come from the cache');
    gh.reset();
    const offline = await runCli(['--format', 'json', '--offline', '.'], { cwd: root, env });
    assert.equal(gh.requests.length, 0);
    assert.ok(!offline.stdout.includes('acme/composite@'), 'nothing from the chain offline');
    const off = await runCli([...args.slice(0, -1), '--no-follow-dependencies', '.'], {
      cwd: root,
      env: { XDG_CACHE_HOME: tempDir('c-') },
    });
    assert.ok(!off.stdout.includes('via acme/composite@'));
    assert.equal(gh.requests.filter((r) => r.path.includes('/raw/')).length, 0, 'switched off: no file read');
  });

  test('`follow-dependencies: false` in the repository configuration reads nothing and reports nothing from the chain', async () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.github/workflows/ci.yml': workflow('issues', '${{ github.event.issue.title }}'),
      '.github/actions-warden.yml': 'follow-dependencies: false\n',
    });
    const args = ['--format', 'json', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '.'];
    const result = await runCli(args, { cwd: root, env: { XDG_CACHE_HOME: tempDir('warden-deps-cache-') } });
    assert.ok(!result.stdout.includes('acme/composite@'), result.stdout);
    assert.ok(!result.stdout.includes('config-error'), result.stdout);
    assert.equal(gh.requests.filter((r) => r.path.includes('/raw/')).length, 0);
  });
});

/**
 * Online rules through the chain: a composite action that uses an action with an advisory in GitHub's
 * database (served by the fake, not bundled), an archived action, and a look-alike of a popular action. Each
 * is reported on the caller's `uses:` line, naming the hop.
 */
describe('online and offline rules on transitive actions', () => {
  const WRAPPER = `runs:
  using: composite
  steps:
    - uses: octo/vuln@v1.0.0
    - uses: actions/create-release@v1
    - uses: actlons/checkout@v4
`;
  let gh: FakeGitHub;
  before(async () => {
    gh = await new FakeGitHub()
      .repo('acme/wrapper', {
        history: ['aw-1'],
        branches: { main: 'aw-1' },
        tags: { v1: { commit: 'aw-1' } },
        files: { 'aw-1': { 'action.yml': WRAPPER } },
      })
      .repo('octo/vuln', {
        history: ['vu-1', 'vu-2'],
        branches: { main: 'vu-2' },
        tags: { 'v1.0.0': { commit: 'vu-1' }, 'v1.1.1': { commit: 'vu-2' } },
        files: { 'vu-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
      })
      .start();
    gh.advisories.set('octo/vuln', [
      {
        ghsa_id: 'GHSA-2c3f-4g5h-6j7m',
        cve_id: null,
        severity: 'high',
        summary: 'Command injection through the title input.',
        html_url: 'https://github.com/advisories/GHSA-2c3f-4g5h-6j7m',
        withdrawn_at: null,
        vulnerabilities: [
          {
            package: { ecosystem: 'actions', name: 'octo/vuln' },
            vulnerable_version_range: '< 1.1.1',
            first_patched_version: '1.1.1',
          },
        ],
      },
    ]);
  });
  after(async () => {
    await gh.stop();
  });

  const ci = `on: push
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/wrapper@${sha('aw-1')}
`;

  test('an advisory of a transitive action (online), an archived and a look-alike transitive action are reported on the uses: line', async () => {
    const root = tree({ '.github/workflows/ci.yml': ci });
    const env = { XDG_CACHE_HOME: tempDir('warden-deps-online-'), GITHUB_TOKEN: 'test-token' };
    const args = ['--format', 'json', '--persona', 'auditor', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '.'];
    const result = await runCli(args, { cwd: root, env });
    const findings: { ruleId: string; line: number; message: string }[] = JSON.parse(result.stdout).findings;
    const via = (ruleId: string) =>
      findings.filter((f) => f.ruleId === ruleId && f.message.startsWith(`via acme/wrapper@${sha('aw-1').slice(0, 12)}`));
    const vulnerable = via('known-vulnerable-actions');
    assert.equal(vulnerable.length, 1, JSON.stringify(findings, null, 1));
    assert.equal(vulnerable[0].line, 7, 'on the uses: line of the caller');
    assert.match(vulnerable[0].message, /action\.yml:4: .*GHSA-2c3f-4g5h-6j7m/);
    assert.ok(
      gh.requests.some((r) => r.path === '/api/advisories' && /affects=octo(%2F|\/)vuln/.test(r.query ?? '')),
      'the advisories of the transitive action were asked',
    );
    const archived = via('archived-uses');
    assert.equal(archived.length, 1);
    assert.match(archived[0].message, /action\.yml:5: .*actions\/create-release/);
    const lookalike = via('typosquat-uses');
    assert.equal(lookalike.length, 1);
    assert.match(lookalike[0].message, /action\.yml:6: .*actlons\/checkout/);
  });

  test('a later walk that attaches new lookups to a fetched file is judged again (an advisory missed once is not missed for good)', async () => {
    const cacheDir = tempDir('warden-deps-memo-');
    const resolver = (token?: string) =>
      new GitHubResolver({ serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, timeoutMs: 1500, cacheDir, token });
    const graph = await walkDependencies(new RepoData(resolver(), { cacheDir }), [`acme/wrapper@${sha('aw-1')}`]);
    const vulnerable = () =>
      analyze(parseFile('.github/workflows/ci.yml', 'workflow', ci), {
        ...DEFAULT_ANALYSIS_OPTIONS,
        persona: 'auditor',
        views: { dependencies: available(graph) },
      }).filter((f) => f.ruleId === 'known-vulnerable-actions');
    // The first lookups have no token: the advisory database is not asked.
    await attachDependencySnapshot(graph, resolver(), { serverUrl: gh.serverUrl });
    assert.equal(vulnerable().length, 0);
    // A later walk with a token attaches lookups that know the advisory: the memo of the fetched file follows.
    await attachDependencySnapshot(graph, resolver('test-token'), { serverUrl: gh.serverUrl });
    assert.equal(vulnerable().length, 1);
  });

  test('without a token the advisory database is not asked: no transitive advisory, the offline rules still report', async () => {
    const root = tree({ '.github/workflows/ci.yml': ci });
    const env = { XDG_CACHE_HOME: tempDir('warden-deps-online-') };
    const args = ['--format', 'json', '--persona', 'auditor', '--github-server-url', gh.serverUrl, '--github-api-url', gh.apiUrl, '.'];
    const findings: { ruleId: string; message: string }[] = JSON.parse((await runCli(args, { cwd: root, env })).stdout).findings;
    assert.equal(findings.filter((f) => f.ruleId === 'known-vulnerable-actions').length, 0);
    assert.equal(findings.filter((f) => f.ruleId === 'archived-uses' && f.message.startsWith('via acme/wrapper@')).length, 1);
  });
});
