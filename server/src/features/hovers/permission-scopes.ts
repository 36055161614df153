/** Hover on a scope key inside a `permissions:` mapping (workflow or job level): what it grants. */
import type { Analysis } from '../../analysis';
import { scopeInfo } from '../../knowledge/permissions';
import { MapView } from '../../parse/views';
import { asMap, scalarText, type Entry } from '../../parse/yaml-nodes';
import { inside, type HoverSection } from '../hover';

export function permissionScopeHover(analysis: Analysis, offset: number): HoverSection[] {
  const workflow = analysis.file.workflow;
  if (!workflow) return [];
  const blocks: (Entry | undefined)[] = [workflow.permissions, ...workflow.jobs.map((job) => job.permissions)];
  for (const block of blocks) {
    const map = asMap(block?.value ?? null);
    if (!map) continue;
    const scope = new MapView(map, workflow.doc).entries.find((entry) => inside(entry.keySpan, offset));
    const info = scope && scopeInfo(scope.key);
    if (!scope || !info) continue;
    const level = scalarText(scope.value);
    return [{ markdown: `**\`${scope.key}\`** permission\n\n- \`read\`: ${info.read}\n- \`write\`: ${info.write}${level ? `\n\nGranted here: \`${level}\`.` : ''}`, span: scope.keySpan }];
  }
  return [];
}
