/**
 * The dependency chain in the editor, through the real server against the fake GitHub on loopback: a
 * workflow pinning a composite action by SHA gets the problems inside it on its own lines once the walk
 * finishes (after the offline diagnostics), with relatedInformation inside the dependency; a second
 * document with the same actions makes no request; offline makes none and says so; the setting and the
 * repository's `follow-dependencies: false` turn the walk off; a slow host delays no other document.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import type { CodeLens, Diagnostic, Hover } from 'vscode-languageserver-types';
import { parseDependencyUri } from '../../shared/src/dependency-uri';
import { COMPOSITE, withCompositeChain } from '../support/dependency-fixtures';
import { FakeGitHub, sha } from '../support/fake-github';
import { byCode, TestLspClient } from '../support/lsp-client';

const stepsUsing = (uses: string) => `runs:\n  using: composite\n  steps:\n    - uses: ${uses}\n`;

function fixture(): FakeGitHub {
  return withCompositeChain(new FakeGitHub(), { composite: 'dc-1', tool: 'dt-1' })
    .repo('tree/root', {
      history: ['dr-1'],
      branches: { main: 'dr-1' },
      files: {
        'dr-1': {
          'action.yml': `runs:\n  using: composite\n  steps:\n    - uses: other/tool@v1\n    - uses: tj-actions/changed-files@v35.1.0\n    - uses: docker://alpine:3.19\n    - uses: docker://alpine@sha256:${'a'.repeat(64)}\n    - uses: deep/one@${sha('d1-1')}\n    - run: echo hi\n      shell: bash\n`,
        },
      },
    })
    .repo('deep/one', { history: ['d1-1'], branches: { main: 'd1-1' }, files: { 'd1-1': { 'action.yml': stepsUsing('deep/two@v1') } } })
    .repo('deep/two', {
      history: ['d2-1'],
      branches: { main: 'd2-1' },
      tags: { v1: { commit: 'd2-1' } },
      files: { 'd2-1': { 'action.yml': stepsUsing('deep/three@v1') } },
    })
    .repo('deep/three', {
      history: ['d3-1'],
      branches: { main: 'd3-1' },
      tags: { v1: { commit: 'd3-1' } },
      files: { 'd3-1': { 'action.yml': stepsUsing('deep/four@v1') } },
    })
    .repo('deep/four', {
      history: ['d4-1'],
      branches: { main: 'd4-1' },
      tags: { v1: { commit: 'd4-1' } },
      files: { 'd4-1': { 'action.yml': 'runs:\n  using: docker\n  image: Dockerfile\n' } },
    })
    .repo('acme/wrapper', {
      history: ['dw-1'],
      branches: { main: 'dw-1' },
      tags: { v1: { commit: 'dw-1' } },
      files: { 'dw-1': { 'action.yml': stepsUsing('octo/vuln@v1.0.0') } },
    })
    .repo('octo/vuln', {
      history: ['dv-1', 'dv-2'],
      branches: { main: 'dv-2' },
      tags: { 'v1.0.0': { commit: 'dv-1' }, 'v1.1.1': { commit: 'dv-2' } },
      files: { 'dv-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
    })
    .repo('slow/action', {
      history: ['ds-1'],
      branches: { main: 'ds-1' },
      tags: { v1: { commit: 'ds-1' } },
      files: { 'ds-1': { 'action.yml': 'runs:\n  using: node20\n  main: index.js\n' } },
      behaviour: 'slow',
    });
}

const WORKFLOW = `on: issues
permissions: {}
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: acme/composite@${sha('dc-1')}
        with:
          title: \${{ github.event.issue.title }}
`;

const messageOf = (diagnostic: Diagnostic): string =>
  typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
const viaChain = (params: PublishDiagnosticsParams) =>
  byCode(params.diagnostics, 'unpinned-uses').some((diagnostic) => messageOf(diagnostic).startsWith('via acme/composite@'));

interface Harness {
  client: TestLspClient;
  messages: string[];
}

async function start(
  gh: FakeGitHub,
  settings: Record<string, unknown>,
  cacheDir: string,
  rootUri: string | null = null,
  init: Record<string, unknown> = {},
): Promise<Harness> {
  const client = new TestLspClient();
  const h: Harness = { client, messages: [] };
  client.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
    h.messages.push(params.message);
    return null;
  });
  await client.connection.sendRequest('initialize', {
    processId: null,
    rootUri,
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
    initializationOptions: {
      settings: { debounceMs: 0, github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl }, ...settings },
      cacheDir,
      ...init,
    },
  });
  await client.connection.sendNotification('initialized', {});
  return h;
}

/** Lets the server finish what it would still do (online work answered from the fake within this time). */
const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the dependency chain in the language server', () => {
  let gh: FakeGitHub;
  let root: string;
  const started: Harness[] = [];
  const workflowUri = (repo: string, name: string) => {
    const dir = join(root, repo, '.github', 'workflows');
    mkdirSync(dir, { recursive: true });
    return pathToFileURL(join(dir, name)).href;
  };
  const harness = async (settings: Record<string, unknown> = {}, cache = 'cache', init: Record<string, unknown> = {}) => {
    const h = await start(gh, settings, join(root, cache), null, init);
    started.push(h);
    return h;
  };

  before(async () => {
    gh = await fixture().start();
    gh.slowMs = 3000;
    // Served by the fake only (not in the bundled table): the editor can know it only by asking.
    gh.advisories.set('octo/vuln', [
      {
        ghsa_id: 'GHSA-7q8r-9m2c-3v4w',
        cve_id: null,
        severity: 'high',
        summary: 'Command injection through an input.',
        html_url: 'https://github.com/advisories/GHSA-7q8r-9m2c-3v4w',
        withdrawn_at: null,
        vulnerabilities: [
          { package: { ecosystem: 'actions', name: 'octo/vuln' }, vulnerable_version_range: '< 1.1.1', first_patched_version: '1.1.1' },
        ],
      },
    ]);
    root = mkdtempSync(join(tmpdir(), 'warden-lsp-deps-'));
  });
  after(async () => {
    for (const h of started) await h.client.shutdown();
    await gh.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => gh.reset());

  test('the chain is published after the offline diagnostics, on the uses: and with: lines; a second document asks nothing', async () => {
    const h = await harness();
    const uri = workflowUri('one', 'a.yml');
    const chained = h.client.waitForDiagnostics(uri, viaChain);
    const first = await h.client.open(uri, WORKFLOW);
    assert.ok(!viaChain(first), 'the offline diagnostics come first, without the chain');
    const published = await chained;
    const [unpinned] = byCode(published.diagnostics, 'unpinned-uses');
    assert.equal(unpinned.range.start.line, 6, 'on the uses: line');
    assert.match(messageOf(unpinned), new RegExp(`^via acme/composite@${sha('dc-1').slice(0, 12)} action.yml:9: .*other/tool.*v1`));
    const related = unpinned.relatedInformation?.[0];
    assert.ok(related, JSON.stringify(unpinned));
    // This client did not say it shows the virtual documents: the web URL of the file at its commit.
    assert.equal(related.location.uri, `${gh.serverUrl}/acme/composite/blob/${sha('dc-1')}/action.yml`);
    assert.equal(related.location.range.start.line, 8, 'the uses: line inside acme/composite');
    const injection = byCode(published.diagnostics, 'template-injection');
    assert.equal(injection.length, 1, JSON.stringify(injection));
    assert.equal(injection[0].range.start.line, 8, 'on the with: line');
    assert.equal(injection[0].severity, 1, 'high: anyone can open an issue');
    assert.equal(injection[0].relatedInformation?.[0].location.range.start.line, 9, 'the run: line inside acme/composite');
    assert.equal(gh.count(`/acme/composite/raw/${sha('dc-1')}/action.yml`), 1);
    assert.equal(gh.count(`/other/tool/raw/${sha('dt-1')}/action.yml`), 1);

    // Another document with the same actions, and the first one re-opened: no request at all.
    gh.reset();
    const second = workflowUri('one', 'b.yml');
    const again = h.client.waitForDiagnostics(second, viaChain);
    await h.client.open(second, WORKFLOW);
    await again;
    await h.client.close(uri);
    const reopened = h.client.waitForDiagnostics(uri, viaChain);
    await h.client.open(uri, WORKFLOW);
    await reopened;
    assert.deepEqual(
      gh.requests.map((request) => request.path),
      [],
      'the second analysis is answered from the caches',
    );
  });

  test('a client that shows the virtual documents gets the related locations inside a dependency as them', async () => {
    const h = await harness({}, 'virtual-cache', { capabilities: { dependencyDocuments: true } });
    const uri = workflowUri('virtual', 'a.yml');
    const chained = h.client.waitForDiagnostics(uri, viaChain);
    await h.client.open(uri, WORKFLOW);
    const published = await chained;
    const virtual = `actions-warden-dependency:/acme/composite/${sha('dc-1')}/action.yml`;
    const [unpinned] = byCode(published.diagnostics, 'unpinned-uses');
    // Same line and characters as the web URL gave: the `v1` of `other/tool@v1` inside acme/composite.
    assert.deepEqual(unpinned.relatedInformation?.[0].location, {
      uri: virtual,
      range: { start: { line: 8, character: 23 }, end: { line: 8, character: 25 } },
    });
    const [injection] = byCode(published.diagnostics, 'template-injection');
    assert.equal(injection.relatedInformation?.[0].location.uri, virtual);
    assert.equal(injection.relatedInformation?.[0].location.range.start.line, 9, 'the run: line inside acme/composite');
    // The client's content provider asks for that document's text: it is the file the walk read.
    gh.reset();
    const source = parseDependencyUri(virtual);
    assert.ok(source);
    assert.deepEqual(await h.client.connection.sendRequest('actionsWarden/dependencySource', source), { text: COMPOSITE });
    assert.equal(gh.count(), 0, 'answered from the cache the walk filled');
    // Pulled diagnostics name the same URIs.
    const pulled: { items: Diagnostic[] } = await h.client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
    const related = pulled.items.flatMap((diagnostic) => diagnostic.relatedInformation ?? []).map((info) => info.location.uri);
    assert.ok(related.length >= 2 && related.every((name) => name === virtual), JSON.stringify(related));
  });

  test('the hover on a remote uses: shows the dependency tree, bounded in depth, without a request', async () => {
    const h = await harness({}, 'hover-cache');
    const uri = workflowUri('hover', 'a.yml');
    const text = WORKFLOW.replace(`acme/composite@${sha('dc-1')}`, `tree/root@${sha('dr-1')}`);
    const walked = h.client.waitForDiagnostics(uri, (params) => params.diagnostics.some((d) => messageOf(d).startsWith('via tree/root@')));
    await h.client.open(uri, text);
    await walked;
    gh.reset();
    const hover: Hover = await h.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 16 },
    });
    const markdown = (hover.contents as { value: string }).value;
    const tree = markdown.slice(markdown.indexOf('**Dependency tree** at'));
    assert.ok(tree.startsWith(`**Dependency tree** at \`${sha('dr-1').slice(0, 12)}\``), markdown);
    const lines = tree.split('\n').slice(1);
    assert.deepEqual(lines.slice(0, 2), ['- `other/tool@v1`: **mutable** (`v1` can be moved)', '  - `node20` runs `index.js`']);
    assert.match(lines[2], /^- `tj-actions\/changed-files@v35\.1\.0`: ⚠ \*\*vulnerable\*\*: /);
    assert.equal(lines[3], '- Docker image `alpine:3.19`: **mutable** (no `@sha256:` digest: the tag can be re-pushed)');
    assert.equal(lines[4], `- Docker image \`alpine@sha256:${'a'.repeat(64)}\`: pinned by digest`);
    assert.deepEqual(lines.slice(5), [
      `- \`deep/one@${sha('d1-1')}\`: pinned`,
      '  - `deep/two@v1`: **mutable** (`v1` can be moved)',
      '    - `deep/three@v1`: **mutable** (`v1` can be moved)',
      '      - …',
    ]);
    assert.equal(gh.count(), 0, 'the hover fetches nothing');
  });

  test("the action's source at its commit: a code lens opens it, the server answers its text, and it gets diagnostics", async () => {
    const h = await harness({}, 'source-cache');
    const shown: string[] = [];
    h.client.connection.onRequest('window/showDocument', (params: { uri: string }) => {
      shown.push(params.uri);
      return { success: true };
    });
    const uri = workflowUri('source', 'a.yml');
    const chained = h.client.waitForDiagnostics(uri, viaChain);
    await h.client.open(uri, WORKFLOW);
    await chained;
    gh.reset();
    const lenses: CodeLens[] = await h.client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    const open = lenses.find((lens) => lens.command?.title === "Open the action's source at this commit");
    assert.ok(open?.command, JSON.stringify(lenses));
    assert.equal(open.range.start.line, 6);
    const virtual = `actions-warden-dependency:/acme/composite/${sha('dc-1')}/action.yml`;
    assert.deepEqual(open.command.arguments, [virtual]);
    const result = await h.client.connection.sendRequest('workspace/executeCommand', {
      command: open.command.command,
      arguments: open.command.arguments,
    });
    assert.deepEqual(result, { shown: true });
    assert.deepEqual(shown, [virtual]);

    const source = { owner: 'acme', repo: 'composite', commit: sha('dc-1'), path: 'action.yml' };
    const answer = await h.client.connection.sendRequest('actionsWarden/dependencySource', source);
    assert.deepEqual(answer, { text: COMPOSITE });
    assert.equal(gh.count(), 0, 'answered from the cache the walk filled');
    // Parts that would leave the cache key are refused before anything is read.
    for (const bad of [
      { ...source, path: '../secrets/action.yml' },
      { ...source, path: 'README.md' },
      { ...source, commit: 'main' },
      { ...source, owner: 'evil.com:443' },
    ]) {
      await assert.rejects(h.client.connection.sendRequest('actionsWarden/dependencySource', bad), /Invalid params/);
    }
    assert.equal(gh.count(), 0);

    const published = await h.client.open(virtual, COMPOSITE);
    const [unpinned] = byCode(published.diagnostics, 'unpinned-uses');
    assert.ok(unpinned, JSON.stringify(published.diagnostics));
    assert.equal(unpinned.range.start.line, 8, 'on other/tool@v1 inside the action');
  });

  test("an advisory of an action used inside a composite action is reported on the caller's uses: line", async () => {
    const h = await harness({ github: { serverUrl: gh.serverUrl, apiUrl: gh.apiUrl, token: 'deps-token' } }, 'advisory-cache');
    const uri = workflowUri('advisory', 'a.yml');
    const text = WORKFLOW.replace(`acme/composite@${sha('dc-1')}`, `acme/wrapper@${sha('dw-1')}`);
    const vulnerable = (params: PublishDiagnosticsParams) =>
      byCode(params.diagnostics, 'known-vulnerable-actions').filter((d) => messageOf(d).startsWith('via acme/wrapper@'));
    const published = h.client.waitForDiagnostics(uri, (params) => vulnerable(params).length > 0);
    await h.client.open(uri, text);
    const [finding, ...rest] = vulnerable(await published);
    assert.equal(rest.length, 0);
    assert.equal(finding.range.start.line, 6, "on the caller's uses: line");
    assert.equal(finding.range.start.character, text.split('\n')[6].indexOf('acme/wrapper'), 'on the uses: value');
    assert.match(messageOf(finding), new RegExp(`^via acme/wrapper@${sha('dw-1').slice(0, 12)} action\\.yml:4: .*GHSA-7q8r-9m2c-3v4w`));
    assert.equal(finding.relatedInformation?.[0].location.range.start.line, 3, 'the uses: line inside acme/wrapper');
    assert.ok(
      gh.requests.some((r) => r.path === '/api/advisories' && /affects=octo(%2F|\/)vuln/.test(r.query ?? '')),
      'the advisories of the transitive action were asked',
    );
    // The tree hover marks it too, from the same lookup, without a request.
    gh.reset();
    const hover: Hover = await h.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 16 },
    });
    const markdown = (hover.contents as { value: string }).value;
    assert.match(markdown, /\n- `octo\/vuln@v1\.0\.0`: ⚠ \*\*vulnerable\*\*: .*GHSA-7q8r-9m2c-3v4w/, markdown);
    assert.equal(gh.count(), 0);
  });

  test('a new server run reads the dependency files from the disk cache', async () => {
    await harness({}, 'disk-cache');
    const first = started[started.length - 1];
    const uri = workflowUri('disk', 'a.yml');
    const chained = first.client.waitForDiagnostics(uri, viaChain);
    await first.client.open(uri, WORKFLOW);
    await chained;
    gh.reset();
    const h = await harness({}, 'disk-cache');
    const again = h.client.waitForDiagnostics(uri, viaChain);
    await h.client.open(uri, WORKFLOW);
    await again;
    assert.equal(gh.count('/raw/'), 0, JSON.stringify(gh.requests.map((request) => request.path)));
  });

  test('offline: no request, nothing from the chain, and the notice names it', async () => {
    const h = await harness({ offline: true }, 'offline-cache');
    const uri = workflowUri('offline', 'a.yml');
    const published = await h.client.open(uri, WORKFLOW);
    await settle();
    assert.ok(!viaChain(published));
    assert.ok(!(h.client.published.get(uri) ?? []).some(viaChain));
    assert.equal(gh.count(), 0, 'no request at all');
    assert.ok(
      h.messages.some((message) => /offline/.test(message) && /the dependency chain/.test(message)),
      JSON.stringify(h.messages),
    );
    const answer = await h.client.connection.sendRequest('actionsWarden/dependencySource', {
      owner: 'acme',
      repo: 'composite',
      commit: sha('dc-1'),
      path: 'action.yml',
    });
    assert.match((answer as { message: string }).message, /offline/);
    assert.equal((answer as { text: null }).text, null);
    const hover: Hover = await h.client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 16 },
    });
    assert.match((hover.contents as { value: string }).value, /_Dependency tree: online, this shows what the action runs at its commit/);
  });

  test('followDependencies: false turns the walk off (online checks still run)', async () => {
    const h = await harness({ followDependencies: false }, 'off-cache');
    const uri = workflowUri('off', 'a.yml');
    await h.client.open(uri, WORKFLOW);
    await settle();
    assert.ok(gh.count() > 0, 'the online checks ran');
    assert.equal(gh.count('/raw/'), 0, 'no dependency file was read');
    assert.ok(!(h.client.published.get(uri) ?? []).some(viaChain));
  });

  test("the repository's follow-dependencies: false turns the walk off for that repository", async () => {
    const h = await harness({}, 'config-cache');
    mkdirSync(join(root, 'configured', '.git'), { recursive: true });
    const uri = workflowUri('configured', 'a.yml');
    writeFileSync(join(root, 'configured', '.github', 'actions-warden.yml'), 'follow-dependencies: false\n');
    await h.client.open(uri, WORKFLOW);
    await settle();
    assert.equal(gh.count('/raw/'), 0, 'no dependency file was read');
    assert.ok(!(h.client.published.get(uri) ?? []).some(viaChain));
  });

  test("a slow host does not delay another document's diagnostics", async () => {
    const h = await harness({}, 'slow-cache');
    const slow = workflowUri('slow', 'slow.yml');
    const other = workflowUri('slow', 'other.yml');
    await h.client.open(slow, WORKFLOW.replace(`acme/composite@${sha('dc-1')}`, `slow/action@${sha('ds-1')}`));
    const began = Date.now();
    const published = await h.client.open(
      other,
      'on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n',
    );
    assert.ok(Date.now() - began < 1500, `${Date.now() - began} ms`);
    assert.equal(published.version, 1);
  });
});
