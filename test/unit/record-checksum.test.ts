/**
 * "Record checksum for this download" (unverified-download): the configuration edit (existing map, no
 * map, no file, CRLF, flow and empty maps), the URL policy, the hashing fetch against a loopback HTTP
 * server (size cap, redirects, timeout, 404, no token) and the command with a fake editor host.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { checksumConfigEdits, newConfigText } from '../../server/src/config/checksum-edit';
import { parseConfig } from '../../server/src/config/config-file';
import { applyEdits } from '../../server/src/fixes/edits';
import { recordChecksumCommand, verificationEdits, type RecordChecksumHost } from '../../server/src/features/record-checksum';
import { fetchableUrl, hashDownload } from '../../server/src/resolve/download';
import { analyze, DEFAULT_ANALYSIS_OPTIONS } from '../../server/src/engine';
import { parseWorkflow } from '../support/analysis';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tree } from '../support/cli';

const URL_A = 'https://example.com/tool-1.2.3.tar.gz';
const SHA = 'b'.repeat(63) + 'c';
const OLD = 'a'.repeat(64);

/** Applies the edit and returns the new text with the checksums the configuration parser now reads. */
function edited(text: string, url = URL_A, sha = SHA): { text: string; checksums: Record<string, string>; problems: string[] } {
  const result = checksumConfigEdits(text, url, sha);
  assert.ok(result.ok, result.ok ? '' : result.message);
  const next = applyEdits(text, result.edits);
  const config = parseConfig(next, '/r/.github/actions-warden.yml', 'warden');
  return {
    text: next,
    checksums: (config.rules['unverified-download']?.config.checksums ?? {}) as Record<string, string>,
    problems: config.problems.map((problem) => problem.message),
  };
}

describe('checksum configuration edit', () => {
  test('existing block map: a new last item, comments and other keys kept', () => {
    const text = `persona: regular # mine\nchecksums:\n    # pinned tools\n    https://e.com/a.tgz: ${OLD}  # a\nrules:\n  artipacked:\n    disable: true\n`;
    const out = edited(text);
    assert.equal(
      out.text,
      `persona: regular # mine\nchecksums:\n    # pinned tools\n    https://e.com/a.tgz: ${OLD}  # a\n    "${URL_A}": ${SHA}\nrules:\n  artipacked:\n    disable: true\n`,
    );
    assert.deepEqual(out.checksums, { 'https://e.com/a.tgz': OLD, [URL_A]: SHA });
    assert.deepEqual(out.problems, []);
  });

  test('the URL already recorded: its value is replaced', () => {
    const out = edited(`checksums:\n  "${URL_A}": ${OLD} # old\n`);
    assert.equal(out.text, `checksums:\n  "${URL_A}": ${SHA} # old\n`);
  });

  test('no checksums key: a map appended (with a line break when the file lacks one)', () => {
    assert.equal(edited('persona: pedantic\n').text, `persona: pedantic\nchecksums:\n  "${URL_A}": ${SHA}\n`);
    assert.equal(edited('persona: pedantic').text, `persona: pedantic\nchecksums:\n  "${URL_A}": ${SHA}\n`);
    assert.equal(edited('# only a comment\n').text, `# only a comment\nchecksums:\n  "${URL_A}": ${SHA}\n`);
    assert.deepEqual(edited('').checksums, { [URL_A]: SHA });
  });

  test('empty maps: `checksums:`, `checksums: ~`, `checksums: {}` and a flow map', () => {
    assert.equal(edited('checksums: # later\nrules: {}\n').text, `checksums: # later\n  "${URL_A}": ${SHA}\nrules: {}\n`);
    assert.equal(edited('checksums: ~\n').text, `checksums:\n  "${URL_A}": ${SHA}\n`);
    assert.equal(edited('checksums: {}\n').text, `checksums:\n  "${URL_A}": ${SHA}\n`);
    const flow = edited(`checksums: { "https://e.com/a": ${OLD} }\n`);
    assert.equal(flow.text, `checksums: { "https://e.com/a": ${OLD}, "${URL_A}": ${SHA} }\n`);
    assert.deepEqual(flow.checksums, { 'https://e.com/a': OLD, [URL_A]: SHA });
  });

  test('CRLF files stay CRLF', () => {
    const out = edited(`persona: regular\r\nchecksums:\r\n  https://e.com/a.tgz: ${OLD}\r\n`);
    assert.equal(out.text, `persona: regular\r\nchecksums:\r\n  https://e.com/a.tgz: ${OLD}\r\n  "${URL_A}": ${SHA}\r\n`);
    assert.equal(edited('persona: regular\r\n').text, `persona: regular\r\nchecksums:\r\n  "${URL_A}": ${SHA}\r\n`);
    assert.deepEqual(out.checksums, { 'https://e.com/a.tgz': OLD, [URL_A]: SHA });
  });

  test('a new file; an all-digit hash is quoted so YAML keeps it a string', () => {
    const text = newConfigText(URL_A, SHA);
    assert.deepEqual(
      (parseConfig(text, '/r/x.yml', 'warden').rules['unverified-download'].config.checksums as Record<string, string>)[URL_A],
      SHA,
    );
    const digits = '1'.repeat(64);
    assert.deepEqual(edited('', URL_A, digits).checksums, { [URL_A]: digits });
  });

  test('broken files are refused, not rewritten', () => {
    assert.equal(checksumConfigEdits('checksums: [a, b]\n', URL_A, SHA).ok, false);
    assert.equal(checksumConfigEdits('persona: [\n', URL_A, SHA).ok, false);
    assert.equal(checksumConfigEdits('- a\n', URL_A, SHA).ok, false);
  });
});

describe('which URLs may be fetched', () => {
  test('literal https URLs, and http only on loopback', () => {
    assert.ok(fetchableUrl('https://e.com/v1/tool.tgz').ok);
    assert.ok(fetchableUrl('http://127.0.0.1:8080/tool.tgz').ok);
    assert.ok(fetchableUrl('http://localhost/tool.tgz').ok);
    const http = fetchableUrl('http://e.com/tool.tgz');
    assert.ok(!http.ok && /plain http/.test(http.message));
  });
  test('URLs with a version variable or an expression cannot be fetched: said so', () => {
    const expression = fetchableUrl('https://e.com/${{ env.VERSION }}/tool.tgz');
    assert.ok(!expression.ok && /expression/.test(expression.message));
    for (const raw of ['https://e.com/$VERSION/tool.tgz', 'https://e.com/${VERSION}/tool.tgz', 'https://e.com/$(cat v)/t.tgz']) {
      const result = fetchableUrl(raw);
      assert.ok(!result.ok && /shell variable/.test(result.message), raw);
    }
    assert.equal(fetchableUrl('https://user:pw@e.com/t.tgz').ok, false);
    assert.equal(fetchableUrl('ftp://e.com/t.tgz').ok, false);
  });
});

describe('hashing fetch against a loopback server', () => {
  let server: Server;
  let base: string;
  const seen: IncomingHttpHeaders[] = [];
  const BODY = 'tool contents\n'.repeat(1000);
  before(async () => {
    server = createServer((request, response) => {
      seen.push(request.headers);
      const path = request.url ?? '/';
      if (path === '/tool.tgz') response.end(BODY);
      else if (path === '/chunked') {
        // No content-length: the cap must hold while streaming.
        response.writeHead(200);
        for (let i = 0; i < 20; i++) response.write('x'.repeat(1000));
        response.end();
      } else if (path === '/to-http') response.writeHead(302, { location: `${base}/tool.tgz` }).end();
      else if (path === '/slow') {
        response.writeHead(200, { 'content-length': '100' });
        response.write('partial');
      } else response.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  test('hashes the body, sends no token and asks for the raw bytes', async () => {
    const result = await hashDownload(`${base}/tool.tgz`);
    assert.ok(result.ok, result.ok ? '' : result.message);
    assert.equal(result.value.sha256, createHash('sha256').update(BODY).digest('hex'));
    assert.equal(result.value.bytes, BODY.length);
    const headers = seen[seen.length - 1];
    assert.equal(headers.authorization, undefined);
    assert.equal(headers.cookie, undefined);
    assert.equal(headers['accept-encoding'], 'identity');
  });

  test('size cap: announced and streamed', async () => {
    const announced = await hashDownload(`${base}/tool.tgz`, { maxBytes: 100 });
    assert.ok(!announced.ok && /limit/.test(announced.message));
    const streamed = await hashDownload(`${base}/chunked`, { maxBytes: 5000 });
    assert.ok(!streamed.ok && /larger than/.test(streamed.message), streamed.ok ? '' : streamed.message);
    assert.ok((await hashDownload(`${base}/chunked`, { maxBytes: 20_000 })).ok);
  });

  test('a redirect to http is refused, even on loopback', async () => {
    const result = await hashDownload(`${base}/to-http`);
    assert.ok(!result.ok && /not https/.test(result.message), result.ok ? '' : result.message);
  });

  test('timeout and 404', async () => {
    const slow = await hashDownload(`${base}/slow`, { timeoutMs: 300 });
    assert.ok(!slow.ok && /did not finish/.test(slow.message), slow.ok ? '' : slow.message);
    const missing = await hashDownload(`${base}/missing`);
    assert.ok(!missing.ok && /404/.test(missing.message));
  });

  test('redirects: followed to https, at most 5 times', async () => {
    const calls: string[] = [];
    const fake = (async (input: string | URL | Request) => {
      const url = String(input);
      calls.push(url);
      const hop = Number(/hop(\d+)/.exec(url)?.[1] ?? 0);
      if (url.endsWith('/final')) return new Response('ok');
      return new Response(null, {
        status: 302,
        headers: {
          location:
            hop >= 2 && url.includes('short')
              ? 'https://cdn.example/final'
              : `https://cdn.example/hop${hop + 1}${url.includes('short') ? '-short' : ''}`,
        },
      });
    }) as typeof fetch;
    const short = await hashDownload('https://e.com/hop0-short', { fetch: fake });
    assert.ok(
      short.ok &&
        short.value.finalUrl === 'https://cdn.example/final' &&
        short.value.sha256 === createHash('sha256').update('ok').digest('hex'),
    );
    calls.length = 0;
    const endless = await hashDownload('https://e.com/hop0', { fetch: fake });
    assert.ok(!endless.ok && /more than 5/.test(endless.message));
    assert.equal(calls.length, 6);
  });

  test('offline URLs are never requested', async () => {
    const before = seen.length;
    assert.equal((await hashDownload('https://e.com/${{ inputs.v }}/t.tgz')).ok, false);
    assert.equal(seen.length, before);
  });
});

describe('the command, with a fake editor', () => {
  const WORKFLOW =
    'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -Lo tool.tgz https://e.com/v1.2.3/tool.tgz\n          tar xzf tool.tgz\n';
  const uri = 'file:///repo/.github/workflows/ci.yml';
  const hashed = { sha256: SHA, bytes: 3, finalUrl: 'https://e.com/v1.2.3/tool.tgz' };

  function host(overrides: Partial<RecordChecksumHost> = {}): {
    host: RecordChecksumHost;
    applied: WorkspaceEdit[];
    messages: string[];
    fetched: string[];
  } {
    const file = parseWorkflow(WORKFLOW, '.github/workflows/ci.yml');
    const findings = analyze(file, DEFAULT_ANALYSIS_OPTIONS);
    const state = { applied: [] as WorkspaceEdit[], messages: [] as string[], fetched: [] as string[] };
    return {
      ...state,
      host: {
        isOffline: () => false,
        analysis: () => ({ uri, version: 4, file, findings }),
        configFileFor: () => null,
        readText: () => null,
        workspaceFolders: () => ['/repo'],
        pathOf: () => '/repo/.github/workflows/ci.yml',
        applyEdit: async (_label, edit) => (state.applied.push(edit), true),
        notify: (_level, message) => void state.messages.push(message),
        configChanged: () => undefined,
        hash: async (url) => (state.fetched.push(url), { ok: true, value: hashed }),
        ...overrides,
      },
    };
  }
  const start = WORKFLOW.indexOf('curl');

  test("no configuration: creates .github/actions-warden.yml and inserts the rule's own check line", async () => {
    const h = host();
    const result = await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], h.host);
    assert.ok(result.applied, result.message);
    const changes = h.applied[0].documentChanges!;
    assert.deepEqual(changes[0], { kind: 'create', uri: 'file:///repo/.github/actions-warden.yml', options: { ignoreIfExists: true } });
    assert.equal(((changes[1] as TextDocumentEdit).edits[0] as TextEdit).newText, newConfigText('https://e.com/v1.2.3/tool.tgz', SHA));
    const workflowEdit = changes[2] as TextDocumentEdit;
    assert.deepEqual(workflowEdit.textDocument, { uri, version: 4 });
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 4, WORKFLOW), workflowEdit.edits as TextEdit[]);
    const expected = verificationEdits(parseWorkflow(WORKFLOW, '.github/workflows/ci.yml'), start, 'https://e.com/v1.2.3/tool.tgz', SHA)!;
    assert.equal(fixed, applyEdits(WORKFLOW, expected));
    assert.ok(
      fixed.includes(
        `          curl -Lo tool.tgz https://e.com/v1.2.3/tool.tgz\n          echo "${SHA}  tool.tgz" | sha256sum -c -\n          tar xzf tool.tgz`,
      ),
      fixed,
    );
  });

  test('an existing configuration (open in the editor) is edited in place', async () => {
    const h = host({
      configFileFor: () => ({ path: '/repo/.github/actions-warden.yml', format: 'warden' }),
      readText: () => ({ text: 'persona: regular\n', version: 7 }),
    });
    const result = await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], h.host);
    assert.ok(result.applied, result.message);
    const config = h.applied[0].documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(config.textDocument, { uri: 'file:///repo/.github/actions-warden.yml', version: 7 });
    assert.equal((config.edits[0] as TextEdit).newText, `checksums:\n  "https://e.com/v1.2.3/tool.tgz": ${SHA}\n`);
  });

  test('clients without versioned edits or file creation get an edit they can apply, or the text to add by hand', async () => {
    const existingConfig = {
      configFileFor: () => ({ path: '/repo/.github/actions-warden.yml', format: 'warden' as const }),
      readText: () => ({ text: 'persona: regular\n', version: 7 }),
    };
    // No documentChanges: a plain `changes` map with both documents.
    const plain = host({ ...existingConfig, editCapabilities: { applyEdit: true, documentChanges: false, createFiles: false } });
    const result = await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], plain.host);
    assert.ok(result.applied, result.message);
    const edit = plain.applied[0];
    assert.equal(edit.documentChanges, undefined);
    assert.deepEqual(Object.keys(edit.changes!).sort(), ['file:///repo/.github/actions-warden.yml', uri].sort());
    assert.equal(
      edit.changes!['file:///repo/.github/actions-warden.yml'][0].newText,
      `checksums:\n  "https://e.com/v1.2.3/tool.tgz": ${SHA}\n`,
    );
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 4, WORKFLOW), edit.changes![uri]);
    assert.ok(fixed.includes(`echo "${SHA}  tool.tgz" | sha256sum -c -`), fixed);
    // Versioned edits but no file creation, with an existing file: documentChanges without a create.
    const noCreate = host({ ...existingConfig, editCapabilities: { applyEdit: true, documentChanges: true, createFiles: false } });
    assert.ok((await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], noCreate.host)).applied);
    assert.ok(noCreate.applied[0].documentChanges!.every((change) => !('kind' in change)));
    // A new file that the client cannot create, or no edits at all: refused, the checksum given for a manual edit.
    for (const editCapabilities of [
      { applyEdit: true, documentChanges: false, createFiles: false },
      { applyEdit: true, documentChanges: true, createFiles: false },
      { applyEdit: false, documentChanges: true, createFiles: true },
    ]) {
      const h = host({ editCapabilities });
      const refused = await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], h.host);
      assert.equal(refused.applied, false, JSON.stringify(editCapabilities));
      assert.equal(refused.sha256, SHA);
      assert.match(refused.message, /by hand/);
      assert.ok(refused.message.includes(SHA), refused.message);
      assert.equal(h.applied.length, 0);
    }
  });

  test('refusals: offline, variable URL, zizmor config, download failure (no edit)', async () => {
    for (const [overrides, url, pattern] of [
      [{ isOffline: () => true }, 'https://e.com/v1.2.3/tool.tgz', /offline/],
      [{}, 'https://e.com/$V/tool.tgz', /shell variable/],
      [{ configFileFor: () => ({ path: '/repo/zizmor.yml', format: 'zizmor' as const }) }, 'https://e.com/v1.2.3/tool.tgz', /zizmor/],
      [
        { hash: async () => ({ ok: false as const, message: 'e.com answered 404 for /x; nothing was recorded' }) },
        'https://e.com/v1.2.3/tool.tgz',
        /404/,
      ],
      [{}, 'https://other.example/tool.tgz', /no download/],
    ] as [Partial<RecordChecksumHost>, string, RegExp][]) {
      const h = host(overrides);
      const result = await recordChecksumCommand([uri, url, start], h.host);
      assert.equal(result.applied, false);
      assert.match(result.message, pattern);
      assert.equal(h.applied.length, 0);
      assert.match(h.messages[0], pattern);
    }
    const offline = host({ isOffline: () => true });
    await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], offline.host);
    assert.deepEqual(offline.fetched, [], 'nothing fetched offline');
  });

  test('a configuration file (existing, or still to create) that links out of the repository is refused before any download', async () => {
    const outside = tree({ 'config.yml': 'persona: regular\n' });
    const linked = tree({ '.github/workflows/ci.yml': WORKFLOW });
    symlinkSync(join(outside, 'config.yml'), join(linked, '.github/actions-warden.yml'));
    const dangling = tree({ '.github/workflows/ci.yml': WORKFLOW });
    symlinkSync(join(outside, 'new.yml'), join(dangling, '.github/actions-warden.yml'));
    const cases: [string, Partial<RecordChecksumHost>][] = [
      [
        linked,
        {
          configFileFor: () => ({ path: join(linked, '.github/actions-warden.yml'), format: 'warden' }),
          readText: () => ({ text: 'persona: regular\n', version: null }),
        },
      ],
      [dangling, { configFileFor: () => null }],
    ];
    for (const [repo, overrides] of cases) {
      const h = host({ ...overrides, workspaceFolders: () => [repo], pathOf: () => join(repo, '.github/workflows/ci.yml') });
      const result = await recordChecksumCommand([uri, 'https://e.com/v1.2.3/tool.tgz', start], h.host);
      assert.equal(result.applied, false);
      assert.match(result.message, /leads out of the repository through a symbolic link/);
      assert.deepEqual(h.applied, []);
      assert.deepEqual(h.fetched, [], 'nothing downloaded');
    }
  });
});
