/**
 * The version a `uses:` line claims in its trailing comment (`# v4.2.2`, `# tag=v1.2.3`), and loose
 * versions as advisories and comments write them (`v4`, `4.2`, `1.2.3-rc.1`).
 */
import type { ParsedFile, UsesSite } from '../../parse/document';
import type { Span } from '../../parse/text';

/** The comment on the line of a `uses:` value (`# v4.2.2`), without the `#`, with its span; null when none. */
export function trailingComment(file: ParsedFile, end: number): { text: string; span: Span } | null {
  const line = file.lines.lineAt(end);
  const lineEnd = file.lines.lineContentEnd(line);
  const rest = file.text.slice(end, lineEnd);
  const match = /(^|\s)#/.exec(rest);
  if (!match) return null;
  const hash = end + match.index + match[1].length;
  return { text: file.text.slice(hash + 1, lineEnd).trim(), span: { start: hash, end: lineEnd } };
}

/** The version named in a pin comment (`v4.2.2`, `4.2.2`, `@v4`, `tag=v1.2.3`, `pin @v2`), or null. */
export function commentVersion(comment: string): string | null {
  const match = /(?:^|[\s@=:])(v?\d+(?:\.\d+){0,3}(?:-[0-9A-Za-z.]+)?)(?=$|[\s,;)])/.exec(comment);
  return match ? match[1] : null;
}

/** The version comment of a SHA-pinned `uses:` site. */
export function usesCommentVersion(file: ParsedFile, site: UsesSite): string | null {
  const comment = trailingComment(file, site.entry.valueSpan.end);
  return comment ? commentVersion(comment.text) : null;
}

export interface LooseVersion {
  parts: number[];
  /** Components written (`v4` has 1): missing ones mean "the newest of that series". */
  written: number;
  prerelease: boolean;
}

export function parseVersion(text: string): LooseVersion | null {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.]+)?(\+[0-9A-Za-z.]+)?$/.exec(text.trim());
  if (!match) return null;
  const parts = [match[1], match[2], match[3], match[4]].filter((p) => p !== undefined).map(Number);
  return { parts, written: parts.length, prerelease: match[5] !== undefined };
}
