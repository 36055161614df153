/**
 * The status item's tooltip says how many high-severity findings the persona hides, as the CLI's summary
 * does: the server sends the sentence with each document's diagnostics.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HiddenFindingsNotification, type HiddenFindingsParams } from '../../shared/src/protocol';
import { TestLspClient } from '../support/lsp-client';

const WORKFLOW = `on: push
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    container: node:20
    steps:
      - run: echo hi
`;

describe('hidden high-severity findings', () => {
  let client: TestLspClient;
  const received: HiddenFindingsParams[] = [];
  before(async () => {
    client = new TestLspClient();
    client.connection.onNotification(HiddenFindingsNotification, (params: HiddenFindingsParams) => {
      received.push(params);
    });
    await client.initialize({ debounceMs: 0, offline: true });
  });
  after(async () => {
    await client.shutdown();
  });

  test('a tag-pinned container image (high, pedantic) is hidden at the regular persona, and the sentence names the setting', async () => {
    const uri = 'file:///repo/.github/workflows/hidden.yml';
    const { diagnostics } = await client.open(uri, WORKFLOW);
    assert.ok(!diagnostics.some((diagnostic) => diagnostic.code === 'unpinned-images'), 'not shown at the regular persona');
    const forUri = received.filter((params) => params.uri === uri);
    assert.ok(forUri.length > 0, 'a hidden-findings notification for the document');
    assert.equal(
      forUri[forUri.length - 1].sentence,
      '1 high finding hidden by the regular persona: setting `actionsWarden.persona` to `pedantic` shows it',
    );
  });

  test('a document hiding nothing gets a null sentence', async () => {
    const uri = 'file:///repo/.github/workflows/clean.yml';
    await client.open(uri, WORKFLOW.replace('    container: node:20\n', ''));
    const forUri = received.filter((params) => params.uri === uri);
    assert.ok(forUri.length > 0);
    assert.equal(forUri[forUri.length - 1].sentence, null);
  });
});
