/**
 * Metadata of every rule id a finding can carry, for SARIF `tool.driver.rules` and help: the registry's
 * rules, plus the ids the engine and the configuration report themselves.
 */
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import { builtInRule, type Severity } from '../findings';
import { ruleById } from '../rules';

export interface RuleMeta {
  id: string;
  title: string;
  summary: string;
  severity: Severity;
  helpUri: string;
  /** Markdown help: why and how to fix. */
  help: string;
}

export function ruleMeta(id: string): RuleMeta {
  const rule = ruleById(id);
  if (rule) {
    return {
      id,
      title: rule.title,
      summary: rule.docs.summary,
      severity: rule.severity,
      helpUri: ruleDocsUrl(id),
      help: `${rule.docs.why}\n\n**Fix:** ${rule.docs.fix}`,
    };
  }
  const builtIn = builtInRule(id);
  if (builtIn)
    return { id, title: builtIn.title, summary: builtIn.summary, severity: builtIn.severity, helpUri: ruleDocsUrl(id), help: builtIn.help };
  return { id, title: id, summary: id, severity: 'medium', helpUri: ruleDocsUrl(id), help: '' };
}
