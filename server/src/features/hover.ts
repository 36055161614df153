/**
 * Hovers. Each provider in features/hovers/ looks at the offset and may contribute a markdown section
 * and the span it covers; the sections are joined in provider order. Add a provider by writing a module
 * there and listing it in HOVER_PROVIDERS.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import type { Analysis } from '../document-cache';
import { isHoverParams } from '../params';
import type { Span } from '../parse/text';
import { attachSnapshot, emptySnapshot, snapshotOf } from '../resolve/snapshot';
import { onValidRequest, type Feature } from './feature';
import { contextHover } from './hovers/contexts';
import { dependencyTreeHover } from './hovers/dependency-tree';
import { findingHover } from './hovers/findings';
import { permissionScopeHover } from './hovers/permission-scopes';
import { lockfileHover } from './hovers/lockfile';
import { pinningHover, prepareUsesHover } from './hovers/pinning';
import { releaseAgePolicyFor } from './release-age';
import { stepKeyHover } from './hovers/step-keys';
import { triggerHover } from './hovers/triggers';
import { workflowCallHover } from './hovers/workflow-call';

export interface HoverSection {
  markdown: string;
  span: Span;
}

export type HoverProvider = (analysis: Analysis, offset: number) => HoverSection[];

export const HOVER_PROVIDERS: HoverProvider[] = [
  findingHover,
  triggerHover,
  workflowCallHover,
  permissionScopeHover,
  contextHover,
  pinningHover,
  dependencyTreeHover,
  lockfileHover,
  stepKeyHover,
];

export const inside = (span: Span, offset: number) => offset >= span.start && offset <= span.end;

export function hover(analysis: Analysis, offset: number): Hover | null {
  const sections = HOVER_PROVIDERS.flatMap((provider) => provider(analysis, offset));
  if (sections.length === 0) return null;
  const span = sections.reduce(
    (all, section) => ({ start: Math.min(all.start, section.span.start), end: Math.max(all.end, section.span.end) }),
    sections[0].span,
  );
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.map((section) => section.markdown).join('\n\n---\n\n') },
    range: analysis.file.lines.range(span),
  };
}

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(connection, context) {
    onValidRequest(connection, 'textDocument/hover', isHoverParams, async (params) => {
      const analysis = await context.enrichedAnalysis(params.textDocument.uri, 5000);
      const document = context.documents.get(params.textDocument.uri);
      if (!analysis || !document) return null;
      if (context.online.isOffline && !snapshotOf(analysis.file)) attachSnapshot(analysis.file, emptySnapshot(true));
      const offset = document.offsetAt(params.position);
      await prepareUsesHover(analysis, offset, context.online, () => releaseAgePolicyFor(context, params.textDocument.uri));
      return hover(analysis, offset);
    });
  },
};
