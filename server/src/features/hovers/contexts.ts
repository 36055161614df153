/** Hover on a context inside `${{ }}`: where its value comes from, who controls it under this file's triggers, how to use it safely. */
import type { Analysis } from '../../document-cache';
import { classifyGithubContext } from '../../knowledge/contexts';
import { assessPath, scopeOf } from '../../knowledge/taint';
import { contextPath, valueLeaves } from '../../parse/expressions';
import { inside, type HoverSection } from '../hover';

export function contextHover(analysis: Analysis, offset: number): HoverSection[] {
  const file = analysis.file;
  for (const site of file.expressions) {
    const occurrence = site.occurrence;
    if (!inside({ start: occurrence.start, end: occurrence.end }, offset) || !occurrence.parsed.ast) continue;
    for (const leaf of valueLeaves(occurrence.parsed.ast)) {
      const span = { start: occurrence.innerStart + leaf.start, end: occurrence.innerStart + leaf.end };
      if (leaf.type === 'literal' || !inside(span, offset)) continue;
      const path = contextPath(leaf, { computedIndexAsWildcard: true });
      if (!path) continue;
      const scope = scopeOf(file, site.path);
      const verdict = assessPath(path, scope);
      const parts = [`**\`${path}\`**`];
      if (path.startsWith('github')) parts.push(`Value: ${classifyGithubContext(path, scope.triggers).source}.`);
      if (verdict && (verdict.capability === 'arbitrary' || verdict.capability === 'writer')) {
        parts.push(`⚠ Someone else chooses this text: ${verdict.reason}.`);
        parts.push('Safe use: never paste it into `run:` or a script input; pass it through `env:` and quote the variable (`"$NAME"`).');
      } else if (verdict) {
        parts.push(`Note: ${verdict.reason}.`);
      } else {
        parts.push("Nobody outside the repository chooses this value under this file's triggers.");
      }
      return [{ markdown: parts.join('\n\n'), span }];
    }
  }
  return [];
}
