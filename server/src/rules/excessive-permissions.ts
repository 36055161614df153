import { isMap } from 'yaml';
import { appendLines, indentStep, insertLinesAbove } from '../fixes/edits';
import { jobMinimalFix, leastPrivilegeFix, moveWriteScopesFix, removeEntryLines, replacePermissionsValue } from '../fixes/permissions';
import { PERMISSION_SCOPES, scopeInfo, scopeLevels } from '../knowledge/permissions';
import { editDistance } from '../parse/edit-distance';
import { inferJobPermissions, inferWorkflowPermissions, type JobPermissions } from '../permissions/infer';
import type { ParsedFile } from '../parse/document';
import { MapView, type JobView } from '../parse/views';
import { asMap, scalarText, type Entry } from '../parse/yaml-nodes';
import type { RuleContext, Rule } from './types';
import type { Fix } from '../findings';

export const excessivePermissions: Rule = {
  id: 'excessive-permissions',
  title: 'Token permissions wider than needed',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'medium',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A workflow or job runs with the default token permissions (no `permissions:`), with `write-all` / `read-all`, grants write scopes to every job at workflow level, or (pedantic) grants a job a write scope nothing in it appears to use.',
    why: 'The `GITHUB_TOKEN` is handed to every step, including third-party actions and whatever a build script runs. In the Nx "s1ngularity" attack (2025, CVE-2025-10894) and at elementary-data (2026), workflows without a `permissions:` block ran with the old write-all default, so injected code could push, publish and tamper with releases. Repositories and organisations created before February 2023 still default to write.',
    fix: 'Start every workflow with `permissions: {}` and grant each job only the scopes it uses, with a comment saying why, e.g. `contents: read  # actions/checkout`. The quick fix "Add least-privilege permissions" infers each job\'s block from its steps.',
  },
  check(context) {
    const workflow = context.file.workflow;
    if (!workflow || !workflow.map) return;
    const workflowPermissions = workflow.permissions;
    for (const entry of [workflowPermissions, ...workflow.jobs.map((job) => job.permissions)]) if (entry) checkScopeNames(context, entry);
    // A job calling a reusable workflow without `permissions:` hands the called workflow the default token
    // (the callee can only narrow it), so it counts as a job without permissions, as in zizmor.
    const jobsWithoutPermissions = workflow.jobs.filter((job) => !job.permissions);
    const onlyCalled = workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === 'workflow_call');
    // The inference is read only where a message or a fix needs it (cached per job either way).
    let all: JobPermissions[] | undefined;
    const inferred = (): JobPermissions[] => (all ??= inferWorkflowPermissions(workflow));

    if (!workflowPermissions) {
      if (workflow.jobs.length === 0) return;
      const anchor = workflow.jobsEntry;
      const span = anchor ? anchor.keySpan : { start: 0, end: 0 };
      // Fixes are built only when asked for (a code action, --fix): they re-parse to verify themselves.
      const fixes = () => missingPermissionsFixes(context.file, jobsWithoutPermissions.length === 0, inferred());
      if (jobsWithoutPermissions.length === 0) {
        context.report({
          span,
          message:
            'No workflow-level `permissions:`: every job declares its own today, but a job added later would get the default token permissions. Add `permissions: {}`',
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
          ? `No \`permissions:\` at workflow level or in job${names.length > 1 ? 's' : ''} ${list}: ${names.length > 1 ? 'they run' : 'it runs'} with whatever the calling workflow grants`
          : `No \`permissions:\` at workflow level or in job${names.length > 1 ? 's' : ''} ${list}: ${names.length > 1 ? 'they run' : 'it runs'} with the repository's default token permissions, which may be write-all`,
        severity: onlyCalled ? 'low' : 'medium',
        persona: onlyCalled ? 'pedantic' : 'regular',
        related: jobsWithoutPermissions.map((job) => ({ span: job.idSpan, message: `job \`${job.id}\` has no \`permissions:\`` })),
        fixes,
      });
    } else {
      checkPermissionsBlock(context, workflowPermissions, null, jobsWithoutPermissions.length, workflow.jobs.length, inferred);
    }

    for (const job of workflow.jobs) {
      if (job.permissions) checkPermissionsBlock(context, job.permissions, job, 1, 1, inferred, () => inferJobPermissions(workflow, job));
    }
  },
};

/** `\`read\`, \`write\` or \`none\`` */
function orList(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}` : quoted.join('');
}

/** The longest scope name a suggestion is computed for (a longer key gets no "did you mean"). */
const MAX_SUGGESTED_LENGTH = 64;

/** The known scope closest to `name` (at most 3 edits, a swap counting one), or null. */
function closestScope(name: string): string | null {
  if (name.length > MAX_SUGGESTED_LENGTH) return null;
  let best: string | null = null;
  let bestDistance = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  for (const scope of Object.keys(PERMISSION_SCOPES)) {
    const distance = editDistance(name.toLowerCase(), scope, { limit: bestDistance, swaps: true });
    if (distance <= bestDistance && (best === null || distance < bestDistance)) {
      best = scope;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * What GitHub's workflow schema rejects in a `permissions:` value ("Invalid workflow file": the workflow
 * does not run at all): a scalar other than `read-all` / `write-all`, an unknown scope (with a "did you
 * mean"), and a level the scope does not accept (`id-token: read`, `models: write`, `contents: admin`).
 */
function checkScopeNames(context: RuleContext, entry: Entry): void {
  const value = entry.value;
  if (!value) return;
  const where = 'GitHub rejects the workflow file and runs none of it';
  if (!isMap(value)) {
    const shorthand = scalarText(value);
    if (shorthand === 'read-all' || shorthand === 'write-all') return;
    context.report({
      span: entry.valueSpan,
      message: `\`permissions:\` takes \`read-all\`, \`write-all\` or a mapping of scopes${shorthand === null ? '' : `, not \`${shorthand}\``}: ${where}`,
      severity: 'high',
      confidence: 'high',
    });
    return;
  }
  for (const scope of new MapView(asMap(value), context.file.doc).entries) {
    const info = scopeInfo(scope.key);
    if (!info) {
      const suggestion = closestScope(scope.key);
      context.report({
        span: scope.keySpan,
        message: `\`${scope.key}\` is not a permission scope${suggestion ? `; did you mean \`${suggestion}\`?` : ''} (${where})`,
        severity: 'high',
        confidence: 'high',
        fixes:
          suggestion && context.file.text.slice(scope.keySpan.start, scope.keySpan.end) === scope.key
            ? [
                {
                  title: `Write \`${suggestion}\``,
                  isPreferred: true,
                  safety: 'unsafe',
                  edits: [{ span: scope.keySpan, newText: suggestion }],
                },
              ]
            : [],
      });
      continue;
    }
    const level = scalarText(scope.value);
    const levels = scopeLevels(info);
    if (level !== null && levels.includes(level)) continue;
    context.report({
      span: level === null ? scope.keySpan : scope.valueSpan,
      message: `\`${scope.key}\` takes ${orList(levels)}${level === null ? '' : `, not \`${level}\``} (${where})`,
      severity: 'high',
      confidence: 'high',
    });
  }
}

/**
 * Judges one `permissions:` value: shorthands anywhere, write scopes at workflow level. `jobCount` is the
 * number of jobs that inherit a workflow-level block (those without their own `permissions:`, which
 * replaces it), `totalJobs` the number of jobs.
 */
function checkPermissionsBlock(
  context: RuleContext,
  entry: Entry,
  job: JobView | null,
  jobCount: number,
  totalJobs: number,
  inferred: () => readonly JobPermissions[],
  jobResult?: () => JobPermissions,
): void {
  const where = job ? `job \`${job.id}\`` : 'the workflow';
  const shorthand = scalarText(entry.value);
  const shorthandFixes = (): Fix[] => {
    if (job && jobResult) {
      const fix = jobMinimalFix(context.file, job, jobResult());
      return fix ? [fix] : [];
    }
    const plan = leastPrivilegeFix(context.file, inferred());
    return plan ? [plan.fix] : [];
  };
  const needs = (): string => (job && jobResult ? needsSummary(jobResult()) : '');
  if (!job && jobCount === 0 && totalJobs > 0 && (shorthand === 'write-all' || shorthand === 'read-all')) {
    // Every job replaces the workflow-level block with its own, so no job gets this token today: treated
    // like explicit workflow-level scopes nobody inherits (pedantic), for the job someone adds later.
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: ${shorthand}\` at workflow level is inherited by no job (every job sets its own \`permissions:\`), but a job added later would get it; use \`permissions: {}\``,
      severity: 'low',
      confidence: 'high',
      persona: 'pedantic',
      fixes: [
        { title: 'Replace with `permissions: {}`', isPreferred: true, safety: 'safe', edits: [{ span: entry.valueSpan, newText: '{}' }] },
      ],
    });
    return;
  }
  if (shorthand === 'write-all') {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: write-all\` gives ${where} a token that can write to every scope: push code, publish packages, change releases${needs()}`,
      severity: 'high',
      confidence: 'high',
      fixes: shorthandFixes,
    });
    return;
  }
  if (shorthand === 'read-all') {
    context.report({
      span: entry.valueSpan,
      message: `\`permissions: read-all\` gives ${where} read access to every scope; list only the scopes it needs (often just \`contents: read\`)${needs()}`,
      severity: 'medium',
      confidence: 'high',
      fixes: shorthandFixes,
    });
    return;
  }
  if (job && jobResult) {
    checkUnusedJobWrites(context, entry, job, jobResult);
    return;
  }
  if (job || !entry.value || !isMap(entry.value)) return;
  let move: Fix | null | undefined;
  const moveFixes = (): Fix[] => {
    if (move === undefined) move = moveWriteScopesFix(context.file, inferred());
    return move ? [move] : [];
  };
  const workflow = context.file.workflow!;
  // Workflow-level write scopes are granted to every job that does not declare its own `permissions:`.
  for (const scope of new MapView(asMap(entry.value), context.file.doc).entries) {
    const info = scopeInfo(scope.key);
    // An unknown scope is reported by checkScopeNames (GitHub rejects the file).
    if (scalarText(scope.value) !== 'write' || !info) continue;
    // Which inheriting jobs appear to use it.
    const users = workflow.jobs
      .filter((j, i) => !j.permissions && inferred()[i]?.scopes.some((s) => s.scope === scope.key && s.level === 'write'))
      .map((j) => `\`${j.id}\``);
    const unsure = workflow.jobs.some((j, i) => !j.permissions && (inferred()[i]?.unknowns.length ?? 0) > 0);
    const usage =
      jobCount === 0
        ? ''
        : users.length > 0
          ? `; used by ${users.slice(0, 3).join(', ')}${users.length > 3 ? ` and ${users.length - 3} more` : ''}`
          : unsure
            ? ''
            : '; no job appears to use it';
    context.report({
      span: scope.keySpan,
      message:
        jobCount > 1
          ? `\`${scope.key}: write\` at workflow level is granted to ${jobCount === totalJobs ? `all ${jobCount} jobs` : `the ${jobCount} jobs without their own \`permissions:\``} (${info.write}); grant it only in the jobs that need it${usage}`
          : `\`${scope.key}: write\` at workflow level (${info.write}); prefer granting it in the job that needs it${usage}`,
      severity: info.writeSeverity,
      confidence: 'medium',
      persona: jobCount > 1 ? 'regular' : 'pedantic',
      ...(jobCount > 0 ? { fixes: moveFixes } : {}),
    });
  }
}

/** `: it uses contents: read, pull-requests: write` for messages. */
function needsSummary(result: JobPermissions): string {
  const known = result.scopes.map((scope) => `${scope.scope}: ${scope.level}`);
  if (result.unknowns.length > 0)
    return known.length > 0 ? `; it appears to need ${known.join(', ')} (and something the inference cannot tell)` : '';
  return known.length > 0 ? `; it appears to need only ${known.join(', ')}` : '; nothing in it appears to use the token';
}

/** Pedantic: a job-level write scope that nothing in the job appears to use (only when nothing in the job is unknown). */
function checkUnusedJobWrites(context: RuleContext, entry: Entry, job: JobView, resultOf: () => JobPermissions): void {
  if (!entry.value || !isMap(entry.value)) return;
  const scopes = new MapView(asMap(entry.value), context.file.doc).entries;
  if (!scopes.some((scope) => scalarText(scope.value) === 'write')) return;
  const result = resultOf();
  if (result.unknowns.length > 0) return;
  for (const scope of scopes) {
    if (scalarText(scope.value) !== 'write') continue;
    const needed = result.scopes.find((s) => s.scope === scope.key);
    if (needed?.level === 'write' || result.tolerated.has(scope.key)) continue;
    const valueSpan = scope.valueSpan;
    // Fix: `read` when a read is needed, else remove the line (or `{}` when it is the only scope).
    const fixes = (): Fix[] => {
      let fix: Fix | null = null;
      if (needed) {
        fix = {
          title: `Reduce \`${scope.key}\` to \`read\``,
          isPreferred: true,
          safety: 'unsafe',
          edits: [{ span: valueSpan, newText: 'read' }],
        };
      } else if (scopes.length === 1) {
        const edit = replacePermissionsValue(context.file, entry, null);
        if (edit)
          fix = { title: `Remove \`${scope.key}: write\` (\`permissions: {}\`)`, isPreferred: true, safety: 'unsafe', edits: [edit] };
      } else if (!(asMap(entry.value) as { flow?: boolean }).flow) {
        const edit = removeEntryLines(context.file, scope);
        if (edit) fix = { title: `Remove \`${scope.key}: write\``, isPreferred: true, safety: 'unsafe', edits: [edit] };
      }
      const minimal = jobMinimalFix(context.file, job, result);
      return [...(fix ? [fix] : []), ...(minimal ? [{ ...minimal, isPreferred: false }] : [])];
    };
    context.report({
      span: scope.keySpan,
      message: needed
        ? `\`${scope.key}: write\` in job \`${job.id}\`: its steps appear to need only \`${scope.key}: read\` (${[...new Set(needed.uses.map((use) => use.what))].slice(0, 3).join('; ')})`
        : `\`${scope.key}: write\` in job \`${job.id}\`: nothing in the job appears to use it`,
      severity: 'low',
      confidence: 'medium',
      persona: 'pedantic',
      fixes,
    });
  }
}

/** Inserts `permissions: {}` at workflow level, above `jobs:` (and the comments that introduce it). */
function missingPermissionsFixes(file: ParsedFile, everyJobDeclares: boolean, inferred: readonly JobPermissions[]): Fix[] {
  const jobs = file.workflow?.jobsEntry;
  const insert = (lines: string[]) => (jobs ? insertLinesAbove(file, jobs.keySpan.start, lines) : appendLines(file, lines));
  const leastPrivilege = everyJobDeclares ? null : leastPrivilegeFix(file, inferred);
  const perJob: Fix[] = [];
  file.workflow?.jobs.forEach((job, index) => {
    if (job.permissions || everyJobDeclares || perJob.length >= 5) return;
    const fix = jobMinimalFix(file, job, inferred[index]);
    if (fix) perJob.push({ ...fix, title: `${fix.title.replace('this job', `job \`${job.id}\``)}`, isPreferred: false });
  });
  return [
    {
      title: 'Add `permissions: {}` at workflow level',
      isPreferred: everyJobDeclares || !leastPrivilege,
      safety: everyJobDeclares ? 'safe' : 'unsafe',
      edits: [insert(['permissions: {}'])],
    },
    {
      title: 'Add read-only `permissions: contents: read` at workflow level',
      isPreferred: false,
      safety: 'unsafe',
      edits: [insert(['permissions:', `${indentStep(file)}contents: read`])],
    },
    ...(leastPrivilege ? [leastPrivilege.fix] : []),
    ...perJob,
  ];
}
