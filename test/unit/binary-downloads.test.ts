import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { BINARY_DOWNLOAD_ACTIONS, binaryDownloadAction } from '../../server/src/knowledge/binary-downloads';

test('every entry of the binary-download table names where it was read: repository, tag, commit, file and line', () => {
  assert.ok(BINARY_DOWNLOAD_ACTIONS.length >= 10);
  const seen = new Set<string>();
  for (const entry of BINARY_DOWNLOAD_ACTIONS) {
    assert.equal(entry.action, entry.action.toLowerCase(), entry.action);
    assert.ok(!seen.has(entry.action), `${entry.action} twice`);
    seen.add(entry.action);
    const [repository, tag] = entry.source.split(' ');
    assert.equal(repository.toLowerCase(), entry.action, `${entry.action}: source names another repository`);
    assert.match(tag, /^v\d+(\.\d+)*$/, `${entry.action}: no tag`);
    assert.match(entry.source, /\([0-9a-f]{40}\)/, `${entry.action}: no commit`);
    assert.match(entry.source, /\) [\w./-]+\.(ts|js|yml|yaml):\d+/, `${entry.action}: no file:line`);
    assert.ok(entry.binary && entry.from, entry.action);
    if (entry.verification.kind !== 'always') assert.ok(entry.advice.length > 0, `${entry.action}: reported without advice`);
    const since = 'since' in entry.verification ? entry.verification.since : undefined;
    if (since) assert.match(since, /^v\d+\.\d+\.\d+$/, entry.action);
  }
  assert.equal(binaryDownloadAction('Astral-SH/Setup-UV')?.binary, 'uv');
  assert.equal(binaryDownloadAction('actions/checkout'), undefined);
});
