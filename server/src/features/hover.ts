/**
 * Hovers: on a finding, the rule's explanation (what, why with the real incident, how to fix, docs); on
 * a trigger, who can fire it and what it runs with; on a permission scope, what it grants.
 */
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { ruleDocsUrl } from '../../../shared/src/protocol';
import type { Analysis } from '../analysis';
import { SYNTAX_ERROR_RULE } from '../engine';
import { scopeInfo } from '../knowledge/permissions';
import { triggerInfo } from '../knowledge/triggers';
import type { Span } from '../parse/text';
import { MapView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import { ruleById } from '../rules';

const inside = (span: Span, offset: number) => offset >= span.start && offset <= span.end;

export function hover(analysis: Analysis, offset: number): Hover | null {
  const sections: string[] = [];
  let hoverSpan: Span | null = null;
  const cover = (span: Span) => {
    hoverSpan = hoverSpan ? { start: Math.min(hoverSpan.start, span.start), end: Math.max(hoverSpan.end, span.end) } : span;
  };

  const seenRules = new Set<string>();
  for (const finding of analysis.findings) {
    if (!inside(finding.span, offset)) continue;
    cover(finding.span);
    const rule = ruleById(finding.ruleId);
    if (!rule) {
      if (finding.ruleId === SYNTAX_ERROR_RULE) sections.push(`**YAML syntax error**\n\n${finding.message}`);
      continue;
    }
    const header = `**${rule.title}** · \`${rule.id}\` · ${finding.severity} severity, ${finding.confidence} confidence`;
    if (seenRules.has(rule.id)) {
      sections.push(`${header}\n\n${finding.message}`);
      continue;
    }
    seenRules.add(rule.id);
    sections.push(
      [header, finding.message, `**Why it matters.** ${rule.docs.why}`, `**How to fix.** ${rule.docs.fix}`, `[Rule documentation](${ruleDocsUrl(rule.id)})`].join('\n\n'),
    );
  }

  const workflow = analysis.file.workflow;
  const trigger = workflow?.triggers.find((candidate) => inside(candidate.span, offset));
  if (trigger) {
    const info = triggerInfo(trigger.name);
    if (info) {
      cover(trigger.span);
      sections.push(`**\`${trigger.name}\`** — fired by ${info.firedBy}.\n\nRuns with ${info.privileges}.`);
    }
  }

  const scope = workflow ? scopeAt(workflow.permissions, workflow, offset) ?? workflow.jobs.map((job) => scopeAt(job.permissions, workflow, offset)).find(Boolean) : undefined;
  if (scope) {
    const info = scopeInfo(scope.key);
    if (info) {
      cover(scope.keySpan);
      const level = scalarText(scope.value);
      sections.push(`**\`${scope.key}\`** permission\n\n- \`read\`: ${info.read}\n- \`write\`: ${info.write}${level ? `\n\nGranted here: \`${level}\`.` : ''}`);
    }
  }

  if (sections.length === 0 || !hoverSpan) return null;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') }, range: analysis.file.lines.range(hoverSpan) };
}

function scopeAt(permissions: Entry | undefined, workflow: MapView, offset: number): Entry | undefined {
  const map = asMap(permissions?.value ?? null);
  if (!map) return undefined;
  return new MapView(map, workflow.doc).entries.find((entry) => inside(entry.keySpan, offset));
}
