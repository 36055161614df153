import { isMap } from 'yaml';
import { insertLinesAbove, appendLines } from '../fixes/edits';
import { scopeInfo } from '../knowledge/permissions';
import type { ParsedFile } from '../parse/document';
import { MapView, type JobView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import type { Fix, RuleContext, Rule } from './types';

export const excessivePermissions: Rule = {
  id: 'excessive-permissions',
  title: 'Token permissions wider than needed',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'medium',
  persona: 'regular',
  docs: {
    summary:
      'A workflow or job runs with the default token permissions (no `permissions:`), with `write-all` / `read-all`, or grants write scopes to every job at workflow level.',
    why:
      'The `GITHUB_TOKEN` is handed to every step, including third-party actions and whatever a build script runs. In the Nx "s1ngularity" attack (2025, CVE-2025-10894) and at elementary-data (2026), workflows without a `permissions:` block ran with the old write-all default, so injected code could push, publish and tamper with releases. Repositories and organisations created before February 2023 still default to write.',
    fix: 'Start every workflow with `permissions: {}` and grant each job only the scopes it uses, with a comment saying why, e.g. `contents: read  # actions/checkout`.',
  },
  check(context) {
    const workflow = context.file.workflow;
    if (!workflow || !workflow.map) return;
    const workflowPermissions = workflow.permissions;
    const jobsWithoutPermissions = workflow.jobs.filter((job) => !job.permissions && !job.isReusableWorkflowCall);
    const onlyCalled = workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === 'workflow_call');

    if (!workflowPermissions) {
      if (workflow.jobs.length === 0) return;
      const anchor = workflow.jobsEntry;
      const span = anchor ? anchor.keySpan : { start: 0, end: 0 };
      const fixes = missingPermissionsFixes(context.file, jobsWithoutPermissions.length === 0);
      if (jobsWithoutPermissions.length === 0) {
        context.report({
          span,
          message: 'No workflow-level `permissions:`: every job declares its own today, but a job added later would get the default token permissions. Add `permissions: {}`',
          severity: 'low',
          confidence: 'high',
          persona: 'pedantic',
          fixes,
        });
        return;
      }
      const names = jobsWithoutPermissions.map((job) => `\`${job.id}\``);
      const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      context.report({
        span,
        message: onlyCalled
          ? `No \`permissions:\` at workflow level or in job${names.length > 1 ? 's' : ''} ${list}: they run with whatever the calling workflow grants`
          : `No \`permissions:\` at workflow level or in job${names.length > 1 ? 's' : ''} ${list}: ${names.length > 1 ? 'they run' : 'it runs'} with the repository's default token permissions, which may be write-all`,
        severity: onlyCalled ? 'low' : 'medium',
        persona: onlyCalled ? 'pedantic' : 'regular',
        related: jobsWithoutPermissions.map((job) => ({ span: job.idSpan, message: `job \`${job.id}\` has no \`permissions:\`` })),
        fixes,
      });
    } else {
      checkPermissionsBlock(context, workflowPermissions, null, workflow.jobs.length);
    }

    for (const job of workflow.jobs) {
      if (job.permissions) checkPermissionsBlock(context, job.permissions, job, 1);
    }
  },
};

/** Judges one `permissions:` value: shorthands anywhere, write scopes at workflow level. */
function checkPermissionsBlock(context: RuleContext, entry: Entry, job: JobView | null, jobCount: number): void {
  const where = job ? `job \`${job.id}\`` : 'the workflow';
  const shorthand = scalarText(entry.value);
  if (shorthand === 'write-all') {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: write-all\` gives ${where} a token that can write to every scope: push code, publish packages, change releases`,
      severity: 'high',
      confidence: 'high',
    });
    return;
  }
  if (shorthand === 'read-all') {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: read-all\` gives ${where} read access to every scope; list only the scopes it needs (often just \`contents: read\`)`,
      severity: 'medium',
      confidence: 'high',
    });
    return;
  }
  if (job || !entry.value || !isMap(entry.value)) return;
  // Workflow-level write scopes are granted to every job.
  for (const scope of new MapView(asMap(entry.value), context.file.doc).entries) {
    if (scalarText(scope.value) !== 'write') continue;
    const info = scopeInfo(scope.key);
    context.report({
      span: scope.keySpan,
      message:
        jobCount > 1
          ? `\`${scope.key}: write\` at workflow level is granted to all ${jobCount} jobs${info ? ` (${info.write})` : ''}; grant it only in the jobs that need it`
          : `\`${scope.key}: write\` at workflow level${info ? ` (${info.write})` : ''}; prefer granting it in the job that needs it`,
      severity: info?.writeSeverity ?? 'medium',
      confidence: 'medium',
      persona: jobCount > 1 ? 'regular' : 'pedantic',
    });
  }
}

/** Inserts `permissions: {}` at workflow level, above `jobs:` (and the comments that introduce it). */
function missingPermissionsFixes(file: ParsedFile, everyJobDeclares: boolean): Fix[] {
  const jobs = file.workflow?.jobsEntry;
  const insert = (lines: string[]) => (jobs ? insertLinesAbove(file, jobs.keySpan.start, lines) : appendLines(file, lines));
  return [
    {
      title: 'Add `permissions: {}` at workflow level',
      isPreferred: true,
      safety: everyJobDeclares ? 'safe' : 'unsafe',
      edits: [insert(['permissions: {}'])],
    },
    {
      title: 'Add read-only `permissions: contents: read` at workflow level',
      isPreferred: false,
      safety: 'unsafe',
      edits: [insert(['permissions:', `${indentUnit(file)}contents: read`])],
    },
  ];
}

/** The indentation step the document uses for nested mappings (two spaces when it cannot tell). */
export function indentUnit(file: ParsedFile): string {
  const jobs = file.workflow?.jobs[0];
  if (jobs) {
    const line = file.lines.lineAt(jobs.idSpan.start);
    const indent = file.lines.indentation(line);
    if (indent.length > 0 && !indent.includes('\t')) return indent;
  }
  return '  ';
}
