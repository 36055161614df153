/**
 * Metadata of every rule id a finding can carry, for SARIF `tool.driver.rules` and help: the registry's
 * rules, plus the ids the engine and the configuration report themselves.
 */
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import { CONFIG_ERROR_RULE } from '../config/apply';
import { UNUSED_IGNORE_RULE } from '../config/inline-ignores';
import { INTERNAL_ERROR_RULE, SYNTAX_ERROR_RULE } from '../engine';
import { ruleById } from '../rules';
import type { Severity } from '../rules/types';

export interface RuleMeta {
  id: string;
  title: string;
  summary: string;
  severity: Severity;
  helpUri: string;
  /** Markdown help: why and how to fix. */
  help: string;
}

const ENGINE_RULES: Record<string, Omit<RuleMeta, 'helpUri'>> = {
  [SYNTAX_ERROR_RULE]: {
    id: SYNTAX_ERROR_RULE,
    title: 'File is not valid YAML',
    summary: 'The file could not be parsed as YAML, so GitHub will reject it and nothing else in it was checked.',
    severity: 'high',
    help: 'Fix the YAML error at the reported position.',
  },
  [INTERNAL_ERROR_RULE]: {
    id: INTERNAL_ERROR_RULE,
    title: 'Actions Warden failed on this file',
    summary: 'A rule failed on this file; please report it with the file attached.',
    severity: 'low',
    help: 'This is a bug in Actions Warden, not in the file.',
  },
  [UNUSED_IGNORE_RULE]: {
    id: UNUSED_IGNORE_RULE,
    title: 'Ignore comment suppresses nothing',
    summary: 'A `# warden: ignore[...]` or `# zizmor: ignore[...]` comment names a rule that reports nothing on that line.',
    severity: 'low',
    help: 'Remove the stale rule id (or the whole comment), so that a future finding on that line is not hidden.',
  },
  [CONFIG_ERROR_RULE]: {
    id: CONFIG_ERROR_RULE,
    title: 'Problem in the configuration file',
    summary: 'A key of the configuration file has a wrong type or value, or is unknown; it was ignored.',
    severity: 'medium',
    help: 'See docs/configuration.md for the file format.',
  },
};

export function ruleMeta(id: string): RuleMeta {
  const rule = ruleById(id);
  if (rule) {
    return { id, title: rule.title, summary: rule.docs.summary, severity: rule.severity, helpUri: ruleDocsUrl(id), help: `${rule.docs.why}\n\n**Fix:** ${rule.docs.fix}` };
  }
  const engine = ENGINE_RULES[id];
  if (engine) return { ...engine, helpUri: ruleDocsUrl(id) };
  return { id, title: id, summary: id, severity: 'medium', helpUri: ruleDocsUrl(id), help: '' };
}
