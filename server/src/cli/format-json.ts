/**
 * JSON output (`--format json`): one object, stable and versioned by `schemaVersion`. Fields are only
 * ever added; a change of meaning bumps the version.
 *
 * ```jsonc
 * {
 *   "schemaVersion": 1,
 *   "tool": { "name": "actions-warden", "version": "0.1.0" },
 *   "options": { "persona": "regular", "minSeverity": "informational", "offline": false },
 *   "online": false,                            // whether online checks ran (--online, a token or a host flag)
 *   "files": [ { "path": ".github/workflows/ci.yml", "kind": "workflow", "findings": 2 } ],
 *   // a file of a repository scanned through the API (owner/repo[@ref], --org) also has:
 *   //   "repository": { "url": "https://github.com/o/r", "ref": "main", "commit": "<40 hex>", "path": ".github/workflows/ci.yml" }
 *   // and its "path" (here and in findings) is "o/r@abc1234:.github/workflows/ci.yml".
 *   "findings": [
 *     {
 *       "path": ".github/workflows/ci.yml",      // relative to the working directory when inside it; "<stdin>" for -
 *       "ruleId": "unpinned-uses",
 *       "severity": "high",                       // informational | low | medium | high
 *       "confidence": "high",                     // low | medium | high
 *       "persona": "regular",                     // regular | pedantic | auditor
 *       "message": "...",
 *       "line": 12, "column": 31,                 // 1-based start (column in UTF-16 code units)
 *       "endLine": 12, "endColumn": 33,           // 1-based, end exclusive
 *       "range": { "start": { "line": 11, "character": 30 }, "end": { "line": 11, "character": 32 } }, // 0-based LSP
 *       "offset": { "start": 412, "end": 414 },   // UTF-16 offsets into the analysed text
 *       "helpUri": "https://.../docs/rules/unpinned-uses.md",
 *       "related": [ { "message": "...", "line": 3, "column": 5, "range": { ... } } ], // "path" when in another file
 *       "fixes": [ { "title": "...", "safety": "safe", "isPreferred": true,
 *                    "edits": [ { "range": { ... }, "offset": { ... }, "newText": "..." } ] } ]
 *     }
 *   ],
 *   "summary": { "files": 1, "findings": 2, "bySeverity": { "informational": 0, "low": 0, "medium": 1, "high": 1 } }
 * }
 * ```
 *
 * `files` lists every file analysed, including those without findings. `findings` are ordered by path,
 * then position, then rule id.
 */
import type { Range } from 'vscode-languageserver-types';
import { ruleDocsUrl } from '../../../shared/src/rule-docs';
import { isWebUrl } from '../findings';
import type { Persona, Severity } from '../../../shared/src/settings';
import type { Span } from '../parse/text';
import { TOOL_NAME, VERSION } from '../version';
import { escapeJsonOutput } from './escape';
import { summarize, type FileResult } from './results';

export const JSON_SCHEMA_VERSION = 1;

export interface JsonReportOptions {
  persona: Persona;
  minSeverity: Severity;
  offline: boolean;
  /** Whether the online checks ran (see JsonReport.online). */
  online?: boolean;
}

export interface JsonFinding {
  path: string;
  ruleId: string;
  severity: string;
  confidence: string;
  persona: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  range: Range;
  offset: Span;
  helpUri: string;
  /**
   * `path`: another file of the scan (a caller, a called workflow or action); `uri`: a file at a commit inside
   * a dependency (an absolute URL). Neither for the finding's own file.
   */
  related: { message: string; line: number; column: number; range: Range; path?: string; uri?: string }[];
  fixes: { title: string; safety: string; isPreferred: boolean; edits: { range: Range; offset: Span; newText: string }[] }[];
}

export interface JsonReport {
  schemaVersion: number;
  tool: { name: string; version: string };
  options: Omit<JsonReportOptions, 'online'>;
  /**
   * Whether online checks ran: true only with `--online`, a token or a host flag (and not `--offline`),
   * and when the GitHub host was usable. Online rules report nothing when false.
   */
  online: boolean;
  files: {
    path: string;
    kind: string;
    findings: number;
    /** For a file of a repository scanned through the API: where it was read. */
    repository?: { url: string; ref: string; commit: string; path: string };
  }[];
  findings: JsonFinding[];
  summary: ReturnType<typeof summarize>;
}

export function jsonReport(results: readonly FileResult[], options: JsonReportOptions): JsonReport {
  const findings: JsonFinding[] = [];
  for (const result of results) {
    for (const finding of result.findings) {
      findings.push({
        path: result.path,
        ruleId: finding.ruleId,
        severity: finding.severity,
        confidence: finding.confidence,
        persona: finding.persona,
        message: finding.message,
        line: finding.range.start.line + 1,
        column: finding.range.start.character + 1,
        endLine: finding.range.end.line + 1,
        endColumn: finding.range.end.character + 1,
        range: finding.range,
        offset: { start: finding.span.start, end: finding.span.end },
        helpUri: ruleDocsUrl(finding.ruleId),
        related: finding.related.map((related) => ({
          message: related.message,
          line: related.range.start.line + 1,
          column: related.range.start.character + 1,
          range: related.range,
          // A dependency's file at a commit is an absolute URL; another file of the scan is named as the
          // finding's own path is (a repository's file with its `owner/repo@commit:` prefix).
          ...(related.uri === undefined
            ? {}
            : isWebUrl(related.uri)
              ? { uri: related.uri }
              : { path: result.origin ? `${result.origin.label}:${related.uri}` : related.uri }),
        })),
        fixes: finding.fixes.map((fix) => ({
          title: fix.title,
          safety: fix.safety,
          isPreferred: fix.isPreferred,
          edits: fix.edits.map((edit) => ({
            range: result.lines.range(edit.span),
            offset: { start: edit.span.start, end: edit.span.end },
            newText: edit.newText,
          })),
        })),
      });
    }
  }
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: VERSION },
    options: { persona: options.persona, minSeverity: options.minSeverity, offline: options.offline },
    online: options.online ?? false,
    files: results.map((result) => ({
      path: result.path,
      kind: result.kind,
      findings: result.findings.length,
      ...(result.origin
        ? {
            repository: {
              url: result.origin.repositoryUrl,
              ref: result.origin.ref,
              commit: result.origin.commit,
              path: result.repoPath ?? result.path,
            },
          }
        : {}),
    })),
    findings,
    summary: summarize(results),
  };
}

export function formatJson(results: readonly FileResult[], options: JsonReportOptions): string {
  return escapeJsonOutput(JSON.stringify(jsonReport(results, options), null, 2)) + '\n';
}
