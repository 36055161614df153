/** Hover on a trigger under `on:`: who can fire it and what the run gets. */
import type { Analysis } from '../../document-cache';
import { triggerInfo } from '../../knowledge/triggers';
import { inside, type HoverSection } from '../hover';

export function triggerHover(analysis: Analysis, offset: number): HoverSection[] {
  const trigger = analysis.file.workflow?.triggers.find((candidate) => inside(candidate.span, offset));
  const info = trigger && triggerInfo(trigger.name);
  if (!trigger || !info) return [];
  const outsiders = info.outsiderCanFire ? '\n\n⚠ People without write access can fire it.' : '';
  const note = info.note ? `\n\n${info.note}` : '';
  return [
    {
      markdown: `**\`${trigger.name}\`** — fired by ${info.firedBy}.\n\n${info.privileges}${outsiders}${note}`,
      span: trigger.span,
    },
  ];
}
