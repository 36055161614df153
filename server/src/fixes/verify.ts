/**
 * A last check for fixes that add or rewrite YAML structure: the edited region must still parse. Only the
 * whole lines around the edits are re-parsed (a step is a few lines), so this is cheap enough to run for
 * every fix offered, and a fix that would break the document is dropped instead of offered.
 */
import { parseDocument } from 'yaml';
import type { Span } from '../parse/text';
import type { OffsetEdit } from '../findings';
import { applyEdits } from './edits';

const OPTIONS = { keepSourceTokens: false, uniqueKeys: true, prettyErrors: false, strict: true } as const;

function errorCodes(text: string): string[] | null {
  try {
    return parseDocument(text, OPTIONS).errors.map((error) => error.code);
  } catch {
    return null;
  }
}

/**
 * True when applying `edits` to the whole lines covering `region` (widened to cover the edits) gives YAML
 * that parses with no error the region did not already have. The region should be a self-contained block
 * node such as a sequence item (a step) or a mapping entry, starting at its line.
 */
export function editsKeepYamlValid(text: string, region: Span, edits: readonly OffsetEdit[]): boolean {
  if (edits.length === 0) return true;
  let start = Math.min(region.start, ...edits.map((edit) => edit.span.start));
  let end = Math.max(region.end, ...edits.map((edit) => edit.span.end));
  start = text.lastIndexOf('\n', start - 1) + 1;
  if (end === 0 || text[end - 1] !== '\n') {
    const lineEnd = text.indexOf('\n', end);
    end = lineEnd === -1 ? text.length : lineEnd + 1;
  }
  const fragment = text.slice(start, end);
  const shifted = edits.map((edit) => ({ span: { start: edit.span.start - start, end: edit.span.end - start }, newText: edit.newText }));
  let edited: string;
  try {
    edited = applyEdits(fragment, shifted);
  } catch {
    return false;
  }
  const before = errorCodes(fragment);
  const after = errorCodes(edited);
  if (!before || !after) return false;
  if (after.length === 0) return true;
  // The region did not parse on its own to begin with: accept only if the edits added no error.
  return after.length <= before.length && after.every((code) => before.includes(code));
}
