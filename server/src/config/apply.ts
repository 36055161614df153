/**
 * Turning a configuration into analysis options, and its problems into findings. Precedence, lowest
 * first: built-in defaults, editor settings, the configuration file (repository policy), explicit
 * command-line flags. Severity overrides and `rules.<id>.ignore` locations act through the engine's
 * `adjust` hook, before the persona/severity filter, so an override can lift a finding over the
 * threshold or drop it below.
 */
import { unavailable, type DependencyView } from '../views';
import type { AnalysisOptions } from '../analysis-options';
import type { Finding, Severity, Suppression } from '../findings';
import { ignoreMatches, type WardenConfig } from './config-file';

export const CONFIG_ERROR_RULE = 'config-error';

export interface Overrides {
  persona?: AnalysisOptions['persona'];
  minSeverity?: AnalysisOptions['minSeverity'];
  minConfidence?: AnalysisOptions['minConfidence'];
}

/**
 * The options for one file: `base` (defaults or settings), then the configuration, then `overrides`.
 * `relativePath` is the file's path relative to the configuration's root, for ignore locations.
 */
export function optionsWithConfig(
  base: AnalysisOptions,
  config: WardenConfig | null | undefined,
  relativePath: string,
  overrides: Overrides = {},
): AnalysisOptions {
  if (!config) return { ...base, ...definedOnly(overrides) };
  const disabledRules = new Set(base.disabledRules);
  const ruleConfig: Record<string, Readonly<Record<string, unknown>>> = { ...(base.ruleConfig ?? {}) };
  const severities = new Map<string, Severity>();
  const ignores = new Map<string, WardenConfig['rules'][string]['ignore']>();
  for (const [id, settings] of Object.entries(config.rules)) {
    if (settings.disable) disabledRules.add(id);
    if (Object.keys(settings.config).length > 0) ruleConfig[id] = { ...(ruleConfig[id] ?? {}), ...settings.config };
    if (settings.severity) severities.set(id, settings.severity);
    if (settings.ignore.length > 0) ignores.set(id, settings.ignore);
  }
  const previous = base.adjust;
  const adjust =
    severities.size === 0 && ignores.size === 0
      ? previous
      : (input: Finding): Finding | null => {
          const finding = previous ? previous(input) : input;
          if (!finding) return null;
          const locations = ignores.get(finding.ruleId);
          if (locations) {
            const line = finding.range.start.line + 1;
            const endLine = finding.range.end.line + 1;
            const column = finding.range.start.character + 1;
            const matched = locations.find((location) => ignoreMatches(location, relativePath, line, endLine, column));
            if (matched) {
              if (!base.keepSuppressed) return null;
              const entry = `${matched.file}${matched.line !== undefined ? `:${matched.line}` : ''}${matched.column !== undefined ? `:${matched.column}` : ''}`;
              Object.assign(finding, {
                suppression: {
                  kind: 'external',
                  justification: `configuration: rules.${finding.ruleId}.ignore: ${entry}`,
                } satisfies Suppression,
              });
            }
          }
          const severity = severities.get(finding.ruleId);
          // Findings are fresh per analysis: set the severity in place (a spread would also compute lazy fixes).
          if (severity && severity !== finding.severity) finding.severity = severity;
          return finding;
        };
  return {
    ...base,
    ...(config.persona ? { persona: config.persona } : {}),
    ...(config.minSeverity ? { minSeverity: config.minSeverity } : {}),
    ...(config.minConfidence ? { minConfidence: config.minConfidence } : {}),
    ...definedOnly(overrides),
    disabledRules,
    ruleConfig,
    ...(adjust ? { adjust } : {}),
    ...(config.followDependencies === false
      ? { views: { ...base.views, dependencies: unavailable<DependencyView>('not-fetched', 'follow-dependencies is false') } }
      : {}),
  };
}

function definedOnly(overrides: Overrides): Overrides {
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)) as Overrides;
}

/** The configuration's problems as findings in the configuration file itself. */
export function configFindings(config: WardenConfig): Finding[] {
  return config.problems.map((problem) => ({
    ruleId: CONFIG_ERROR_RULE,
    severity: problem.level === 'error' ? 'medium' : 'low',
    confidence: 'high',
    persona: 'regular',
    message: problem.message,
    span: problem.span,
    range: config.lines.range(problem.span),
    related: [],
    fixes: [],
  }));
}
