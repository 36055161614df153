/**
 * Hover on a finding: the rule's title, the concrete message, why it matters, how to fix, docs link. The
 * message quotes the scanned text: it is rendered as text with its code spans (./markdown.ts).
 */
import { ruleDocsUrl } from '../../../../shared/src/rule-docs';
import type { Analysis } from '../../document-cache';
import { builtInRule } from '../../findings';
import { ruleById } from '../../rules';
import { inside, type HoverSection } from '../hover';
import { markdownMessage } from './markdown';

export function findingHover(analysis: Analysis, offset: number): HoverSection[] {
  const sections: HoverSection[] = [];
  const explained = new Set<string>();
  for (const finding of analysis.findings) {
    if (!inside(finding.span, offset)) continue;
    const rule = ruleById(finding.ruleId);
    if (!rule) {
      // The ids the engine and the configuration report themselves: their title and the message.
      const builtIn = builtInRule(finding.ruleId);
      if (builtIn) sections.push({ markdown: `**${builtIn.title}**\n\n${markdownMessage(finding.message)}`, span: finding.span });
      continue;
    }
    const header = `**${rule.title}** · \`${rule.id}\` · ${finding.severity} severity, ${finding.confidence} confidence`;
    if (explained.has(rule.id)) {
      sections.push({ markdown: `${header}\n\n${markdownMessage(finding.message)}`, span: finding.span });
      continue;
    }
    explained.add(rule.id);
    const parts = [
      header,
      markdownMessage(finding.message),
      `**Why it matters.** ${rule.docs.why}`,
      `**How to fix.** ${rule.docs.fix}`,
      `[Rule documentation](${ruleDocsUrl(rule.id)})`,
    ];
    sections.push({ markdown: parts.join('\n\n'), span: finding.span });
  }
  return sections;
}
