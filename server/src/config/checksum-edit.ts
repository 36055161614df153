/**
 * Writing one `checksums:` entry (download URL → sha256, read by unverified-download) into a
 * configuration file's text with the smallest edit: the file's comments, quoting, indentation and line
 * endings are kept. Used by the "Record checksum for this download" command (features/record-checksum.ts).
 *
 * - no file (text null): the whole text of a new `.github/actions-warden.yml`;
 * - no `checksums:` key: a `checksums:` map appended at the end;
 * - `checksums:` empty (`checksums:`, `checksums: ~`, `checksums: {}`): the entry becomes its first item;
 * - a block map: a new last item at the items' indentation (or the value replaced when the URL is there);
 * - a flow map: `, "<url>": <sha>` after its last item.
 */
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import { LineIndex } from '../parse/text';
import type { OffsetEdit } from '../findings';

export type ChecksumEdit = { ok: true; edits: OffsetEdit[] } | { ok: false; message: string };

/** The YAML text of a map entry's key and value: the URL double-quoted (JSON escapes are YAML's), the hash plain unless it would read as a number. */
export function checksumEntry(url: string, sha256: string): string {
  const value = /^[0-9]+(e[0-9]+)?$/i.test(sha256) ? `"${sha256}"` : sha256;
  return `${JSON.stringify(url)}: ${value}`;
}

/** The text of a new configuration file holding only this checksum. */
export function newConfigText(url: string, sha256: string): string {
  return `# Actions Warden configuration: see docs/configuration.md\nchecksums:\n  ${checksumEntry(url, sha256)}\n`;
}

type Range3 = [number, number, number];

function rangeOf(node: unknown): Range3 | null {
  const range = (node as { range?: Range3 | null } | null)?.range;
  return Array.isArray(range) ? range : null;
}

/** Edits adding (or updating) `url: sha256` under `checksums:` in a configuration's `text`. */
export function checksumConfigEdits(text: string, url: string, sha256: string): ChecksumEdit {
  const lines = new LineIndex(text);
  const eol = lines.eol;
  const entry = checksumEntry(url, sha256);
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch {
    return { ok: false, message: 'the configuration file could not be parsed' };
  }
  if (doc.errors.length > 0)
    return { ok: false, message: `the configuration file has a YAML error (${doc.errors[0].message.split('\n')[0]}); fix it first` };
  const appendMap = (): ChecksumEdit => {
    const end = text.length;
    const lead = end === 0 || text.endsWith('\n') ? '' : eol;
    return { ok: true, edits: [{ span: { start: end, end }, newText: `${lead}checksums:${eol}  ${entry}${eol}` }] };
  };
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return appendMap();
  if (!isMap(root) || root.flow) return { ok: false, message: 'the configuration file is not a block mapping of keys' };
  const pair = root.items.find((item) => isScalar(item.key) && item.key.value === 'checksums') as Pair<unknown, unknown> | undefined;
  if (!pair) return appendMap();
  const keyRange = rangeOf(pair.key);
  if (!keyRange) return { ok: false, message: 'the `checksums` key has no position' };
  const keyLine = lines.lineAt(keyRange[0]);
  const itemIndent = `${lines.indentation(keyLine)}  `;
  const value = pair.value;
  const valueRange = rangeOf(value);
  const colon = text.indexOf(':', keyRange[1]);

  // Empty: `checksums:` (implicit null), `checksums: ~` / `null`, `checksums: {}`.
  const explicitlyEmpty =
    (isScalar(value) && value.value === null && valueRange && valueRange[1] > valueRange[0]) ||
    (isMap(value) && value.flow && value.items.length === 0);
  if (explicitlyEmpty && valueRange && colon >= 0) {
    return { ok: true, edits: [{ span: { start: colon + 1, end: valueRange[1] }, newText: `${eol}${itemIndent}${entry}` }] };
  }
  if (value === null || value === undefined || (isScalar(value) && value.value === null)) {
    const at = lines.lineContentEnd(keyLine);
    return { ok: true, edits: [{ span: { start: at, end: at }, newText: `${eol}${itemIndent}${entry}` }] };
  }
  if (!isMap(value)) return { ok: false, message: '`checksums` is not a mapping of URL to sha256; fix it first' };

  // The URL is there already: replace its value.
  const existing = value.items.find((item) => isScalar(item.key) && String(item.key.value) === url);
  if (existing) {
    const existingRange = rangeOf(existing.value);
    if (existingRange && existingRange[1] > existingRange[0]) {
      return {
        ok: true,
        edits: [{ span: { start: existingRange[0], end: existingRange[1] }, newText: entry.slice(JSON.stringify(url).length + 2) }],
      };
    }
    const at = rangeOf(existing.key)?.[1] ?? -1;
    const after = at >= 0 ? text.indexOf(':', at) : -1;
    if (after < 0) return { ok: false, message: 'the existing entry could not be located' };
    return {
      ok: true,
      edits: [{ span: { start: after + 1, end: after + 1 }, newText: ` ${entry.slice(JSON.stringify(url).length + 2)}` }],
    };
  }
  const last = value.items[value.items.length - 1];
  const lastEnd = rangeOf(last?.value)?.[1] ?? rangeOf(last?.key)?.[1];
  if (lastEnd === undefined) return { ok: false, message: '`checksums` could not be located' };
  if (value.flow) return { ok: true, edits: [{ span: { start: lastEnd, end: lastEnd }, newText: `, ${entry}` }] };
  // Block map: a new line after the last item (after its trailing comment), at the first item's indentation.
  const firstKey = rangeOf(value.items[0].key);
  const indent = firstKey ? lines.indentation(lines.lineAt(firstKey[0])) : itemIndent;
  const endOffset = lastEnd > 0 && text[lastEnd - 1] === '\n' ? lastEnd - 1 : lastEnd;
  const at = lines.lineContentEnd(lines.lineAt(endOffset));
  return { ok: true, edits: [{ span: { start: at, end: at }, newText: `${eol}${indent}${entry}` }] };
}
