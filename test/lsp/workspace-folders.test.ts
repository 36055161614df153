/**
 * Workspace folders added or removed at run time (`workspace/didChangeWorkspaceFolders`): an added
 * folder's files are indexed and get diagnostics without a restart; a removed folder's files lose theirs.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { byCode, EDITOR_WORKSPACE_CAPABILITIES, TestLspClient } from '../support/lsp-client';

const UNPINNED =
  'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n';

const roots: string[] = [];
function folder(): { root: string; ci: string } {
  const root = mkdtempSync(join(tmpdir(), 'warden-lsp-folders-'));
  roots.push(root);
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(root, '.github', 'workflows', 'ci.yml'), UNPINNED);
  return { root, ci: pathToFileURL(join(root, '.github', 'workflows', 'ci.yml')).href };
}

describe('workspace folders changed at run time', () => {
  const client = new TestLspClient();
  after(async () => {
    await client.shutdown();
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  test('an added folder is indexed and published; a removed one is cleared', async () => {
    const first = folder();
    const second = folder();
    const result = await client.initialize(
      { debounceMs: 0, offline: true },
      { ...EDITOR_WORKSPACE_CAPABILITIES, workspaceFolders: true },
      { workspaceFolders: [{ uri: pathToFileURL(first.root).href, name: 'first' }] },
    );
    assert.deepEqual(result.capabilities.workspace?.workspaceFolders, { supported: true, changeNotifications: true });
    const firstFindings = await client.waitForDiagnostics(first.ci, (params) => byCode(params.diagnostics, 'unpinned-uses').length === 1);
    assert.equal(firstFindings.version, undefined);
    assert.equal(client.published.get(second.ci), undefined);

    const added = client.waitForDiagnostics(second.ci, (params) => byCode(params.diagnostics, 'unpinned-uses').length === 1);
    const cleared = client.waitForDiagnostics(first.ci, (params) => params.diagnostics.length === 0);
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: {
        added: [{ uri: pathToFileURL(second.root).href, name: 'second' }],
        removed: [{ uri: pathToFileURL(first.root).href, name: 'first' }],
      },
    });
    await added;
    await cleared;
  });
});
