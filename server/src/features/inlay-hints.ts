/**
 * Inlay hints after SHA pins whose comment does not say truthfully which release they are: the release
 * the commit is, from online resolution (the tags of the repository) or, offline, from the bundled release
 * table (knowledge/release-versions.ts). No hint when the comment is true or nothing is known. Computed
 * from the analysis and its resolution snapshot; off with `actionsWarden.inlayHints.enable: false`.
 */
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver-types';
import type { Analysis } from '../document-cache';
import { versionComment } from '../fixes/pin';
import { bundledVersionsAt, type ReleaseCommit, BUNDLED_RELEASE_COMMITS } from '../knowledge/release-versions';
import { isInlayHintParams } from '../params';
import { resolvableRemote, snapshotOf } from '../resolve/snapshot';
import { isFullVersion, parseVersion, tagsAt } from '../resolve/versions';
import { onValidRequest, type Feature } from './feature';

/** The versions a pinned commit is, and where that was learnt; null when nothing is known. */
function versionsOf(
  analysis: Analysis,
  repository: string,
  commit: string,
  table: readonly ReleaseCommit[],
): { tags: string[]; source: string } | null {
  const snapshot = snapshotOf(analysis.file);
  const refs = snapshot && !snapshot.offline ? snapshot.repos.get(repository.toLowerCase()) : undefined;
  if (refs?.ok) return { tags: tagsAt(refs.value, commit), source: 'the repository tags' };
  const bundled = bundledVersionsAt(repository, commit, table);
  return bundled.length > 0 ? { tags: bundled, source: 'the bundled release table' } : null;
}

export function inlayHints(
  analysis: Analysis,
  range: Range | null,
  table: readonly ReleaseCommit[] = BUNDLED_RELEASE_COMMITS,
): InlayHint[] {
  const file = analysis.file;
  const hints: InlayHint[] = [];
  const first = range ? file.lines.offset(range.start) : 0;
  const last = range ? file.lines.offset(range.end) : file.text.length;
  for (const site of file.uses) {
    const uses = resolvableRemote(site);
    if (uses?.refKind !== 'sha') continue;
    const span = site.entry.valueSpan;
    if (span.end < first || span.start > last) continue;
    const known = versionsOf(analysis, uses.repository, uses.ref!, table);
    if (!known) continue;
    const release = known.tags.find((tag) => isFullVersion(parseVersion(tag))) ?? known.tags[0];
    const claimed = versionComment(file, site);
    if (claimed && known.tags.includes(claimed.text)) continue;
    if (!release) {
      if (!claimed || known.source !== 'the repository tags') continue;
      hints.push({
        position: file.lines.position(claimed.span.end),
        label: 'no tag is at this commit',
        kind: InlayHintKind.Type,
        paddingLeft: true,
        tooltip: `No tag of ${uses.repository} points at ${uses.ref!.slice(0, 12)} (from ${known.source}): the comment \`${claimed.text}\` is not what runs.`,
      });
      continue;
    }
    hints.push({
      position: file.lines.position(claimed ? claimed.span.end : span.end),
      label: claimed ? `is ${release}` : `# ${release}`,
      kind: InlayHintKind.Type,
      paddingLeft: true,
      tooltip: `${uses.repository} at ${uses.ref!.slice(0, 12)} is ${known.tags.join(', ')} (from ${known.source}).${claimed ? ` The comment says ${claimed.text}.` : ''}`,
    });
  }
  return hints;
}

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: { resolveProvider: false } },
  register(connection, context) {
    onValidRequest(connection, 'textDocument/inlayHint', isInlayHintParams, async (params) => {
      if (!context.settings().inlayHints) return [];
      const analysis = await context.enrichedAnalysis(params.textDocument.uri, 5000);
      return analysis ? inlayHints(analysis, params.range) : [];
    });
    context.onSettingsChanged((settings, previous) => {
      if (context.client.refresh.inlayHints && settings.inlayHints !== previous.inlayHints)
        context.whenInitialized(() => void connection.sendRequest('workspace/inlayHint/refresh').catch(() => undefined));
    });
  },
};
