/**
 * SARIF 2.1.0 output (`--format sarif`) for GitHub code scanning: one run whose driver lists the rules
 * that produced results (id, name, short/full description, help URI, `security-severity` so code
 * scanning ranks the alerts, tags), and one result per finding with a 1-based region, the level from
 * the severity, and a `partialFingerprints` entry that survives unrelated edits above the finding
 * (rule, path, the finding's own line text and its occurrence index, not its line number).
 *
 * Findings that an inline ignore comment or the configuration's `rules.<id>.ignore` hides are results
 * too, each with a `suppressions` entry (`inSource` or `external`, status `accepted`, and the reason
 * written after the comment as its `justification`), so code scanning shows them as suppressed instead
 * of never hearing of them. With `--no-ignores` they are plain results.
 *
 * Files read from a repository that is not on disk (./remote) go into one run per repository: their
 * artifact URIs are repository paths, and the run's `versionControlProvenance` names the repository URL,
 * the commit and the ref, so code scanning (or a reader) knows which tree the paths belong to. Their
 * fingerprints use the repository path, so they stay the same from one commit to the next.
 *
 * Each run's `properties` record the persona and thresholds its files were analysed with, and how many
 * high-severity findings those hid.
 */
import { createHash } from 'node:crypto';
import { isWebUrl } from '../findings';
import { TOOL_NAME, VERSION } from '../version';
import { escapeJsonOutput } from './escape';
import { isSuppressed, type Severity } from '../findings';
import type { FileResult } from './results';
import type { RemoteOrigin } from './remote';
import { ruleMeta } from './rule-meta';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/actions-warden/actions-warden';
export const FINGERPRINT_KEY = 'actionsWarden/v1';

/** GitHub code scanning's ranking: >= 9 critical, >= 7 high, >= 4 medium, > 0 low. */
export const SECURITY_SEVERITY: Record<Severity, string> = { high: '8.0', medium: '5.5', low: '3.0', informational: '1.0' };

export function sarifLevel(severity: Severity): 'error' | 'warning' | 'note' {
  return severity === 'high' ? 'error' : severity === 'medium' ? 'warning' : 'note';
}

/** A relative path as a URI reference (`/` separators, each segment percent-encoded). */
export function pathToUri(path: string): string {
  if (path === '<stdin>') return 'stdin';
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * The SARIF log: one run for the files on disk (when there are any, or when nothing came from a
 * repository), then one run per repository in `origins`, with or without results.
 */
export function sarifReport(results: readonly FileResult[], origins: readonly RemoteOrigin[] = []): object {
  const local = results.filter((result) => !result.origin);
  const runs: object[] = [];
  if (local.length > 0 || origins.length === 0) runs.push(sarifRun(local));
  for (const origin of origins) {
    const run = sarifRun(results.filter((result) => result.origin?.label === origin.label));
    runs.push({
      ...run,
      versionControlProvenance: [
        {
          repositoryUri: origin.repositoryUrl,
          revisionId: origin.commit,
          ...(origin.ref !== origin.commit ? { branch: origin.ref } : {}),
          mappedTo: { uriBaseId: '%SRCROOT%' },
        },
      ],
    });
  }
  return { $schema: SARIF_SCHEMA, version: '2.1.0', runs };
}

function sarifRun(results: readonly FileResult[]): Record<string, unknown> {
  const ruleIds = [
    ...new Set(results.flatMap((result) => [...result.findings, ...(result.suppressed ?? [])].map((finding) => finding.ruleId))),
  ].sort();
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const rules = ruleIds.map((id) => {
    const meta = ruleMeta(id);
    return {
      id,
      name: id.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, letter: string) => letter.toUpperCase()),
      shortDescription: { text: meta.title },
      fullDescription: { text: meta.summary },
      helpUri: meta.helpUri,
      help: {
        text: `${meta.summary}\n\n${meta.help}`.trim(),
        markdown: `${meta.summary}\n\n${meta.help}\n\n[Documentation](${meta.helpUri})`.trim(),
      },
      defaultConfiguration: { level: sarifLevel(meta.severity) },
      properties: {
        'security-severity': SECURITY_SEVERITY[meta.severity],
        tags: ['security', 'github-actions', 'supply-chain'],
        precision: 'high',
      },
    };
  });

  const sarifResults: object[] = [];
  for (const result of results) {
    // A repository's file is named by its path in the repository (its run names the repository).
    const path = result.repoPath ?? result.path;
    const uri = pathToUri(path);
    // Suppressed findings count their occurrences apart, so the fingerprints of the others do not change.
    const occurrences = new Map<string, number>();
    const suppressedOccurrences = new Map<string, number>();
    for (const finding of [...result.findings, ...(result.suppressed ?? [])]) {
      const { start, end } = finding.range;
      const lineText = result.lines.lineText(start.line).trim();
      const key = `${finding.ruleId}\0${path}\0${lineText}\0${result.lines.text.slice(finding.span.start, finding.span.end)}`;
      const suppression = isSuppressed(finding) ? finding.suppression : undefined;
      const counter = suppression ? suppressedOccurrences : occurrences;
      const occurrence = counter.get(key) ?? 0;
      counter.set(key, occurrence + 1);
      const fingerprint = createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
      sarifResults.push({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId),
        level: sarifLevel(finding.severity),
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
              region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
            },
          },
        ],
        ...(finding.related.length > 0
          ? {
              relatedLocations: finding.related.map((related, id) => ({
                id,
                message: { text: related.message },
                physicalLocation: {
                  // A place inside a dependency is an absolute URL of the file at its commit; in another file of
                  // the scan (a caller, a called workflow or action) it is that file's path, as the CLI named it.
                  artifactLocation:
                    related.uri === undefined
                      ? { uri, uriBaseId: '%SRCROOT%' }
                      : isWebUrl(related.uri)
                        ? { uri: related.uri }
                        : { uri: pathToUri(related.uri), uriBaseId: '%SRCROOT%' },
                  region: {
                    startLine: related.range.start.line + 1,
                    startColumn: related.range.start.character + 1,
                    endLine: related.range.end.line + 1,
                    endColumn: related.range.end.character + 1,
                  },
                },
              })),
            }
          : {}),
        partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
        ...(suppression
          ? {
              suppressions: [
                {
                  kind: suppression.kind,
                  status: 'accepted',
                  ...(suppression.justification ? { justification: suppression.justification } : {}),
                },
              ],
            }
          : {}),
        properties: { severity: finding.severity, confidence: finding.confidence, persona: finding.persona },
      });
    }
  }

  const properties = runProperties(results);
  return {
    tool: { driver: { name: TOOL_NAME, version: VERSION, semanticVersion: VERSION, informationUri: INFORMATION_URI, rules } },
    columnKind: 'utf16CodeUnits',
    results: sarifResults,
    ...(properties ? { properties } : {}),
  };
}

/**
 * What the run was filtered by, so a reader of the log knows what it does not contain: the persona, the
 * minimum severity and confidence (each one value, or the sorted values when files were analysed with
 * different ones), and how many high-severity findings they hid. Null when no file was analysed.
 */
function runProperties(results: readonly FileResult[]): Record<string, unknown> | null {
  const filters = results.flatMap((result) => (result.filters ? [result.filters] : []));
  if (filters.length === 0) return null;
  const values = (key: 'persona' | 'minSeverity' | 'minConfidence') => {
    const unique = [...new Set(filters.map((filter) => filter[key]))].sort();
    return unique.length === 1 ? unique[0] : unique;
  };
  return {
    persona: values('persona'),
    minSeverity: values('minSeverity'),
    minConfidence: values('minConfidence'),
    hiddenHighFindings: results.reduce((sum, result) => sum + (result.hiddenHigh?.length ?? 0), 0),
  };
}

export function formatSarif(results: readonly FileResult[], origins: readonly RemoteOrigin[] = []): string {
  return escapeJsonOutput(JSON.stringify(sarifReport(results, origins), null, 2)) + '\n';
}
