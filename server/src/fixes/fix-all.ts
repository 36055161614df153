/**
 * The edits of "fix all": the chosen fix of every finding, skipping a fix whose edits overlap an edit
 * already taken (or repeat one). Used by `source.fixAll.actionsWarden` in the editor and `--fix` in the CLI.
 */
import type { Finding, Fix, OffsetEdit } from '../findings';

/** The edits of every preferred safe fix (or every fix `accept` takes), skipping any that overlap an edit already taken. */
export function fixAllEdits(
  findings: readonly Finding[],
  accept: (fix: Fix) => boolean = (fix) => fix.isPreferred && fix.safety === 'safe',
): OffsetEdit[] {
  const taken: OffsetEdit[] = [];
  const seen = new Set<string>();
  for (const finding of findings) {
    const fix = finding.fixes.find(accept);
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const overlaps = fix.edits.some((edit) =>
      taken.some(
        (other) =>
          (edit.span.start < other.span.end && other.span.start < edit.span.end) ||
          (edit.span.start === other.span.start && edit.span.end === other.span.end),
      ),
    );
    if (overlaps) continue;
    seen.add(key);
    taken.push(...fix.edits);
  }
  return taken;
}
