/**
 * Hovers about token permissions:
 * - on a scope key in a `permissions:` mapping: what read and write grant, which steps of the job (or of the
 *   inheriting jobs, at workflow level) use it, and whether it looks unused;
 * - on a `permissions:` key or its `{}` / `read-all` / `write-all` value, and on a job id with no block of
 *   its own: what token the job gets today.
 */
import type { Analysis } from '../../document-cache';
import { scopeInfo } from '../../knowledge/permissions';
import { declaredScopes, effectivePermissions, inferJobPermissions, type JobPermissions } from '../../permissions/infer';
import type { JobView, WorkflowView } from '../../parse/views';
import { MapView } from '../../parse/views';
import { asMap, scalarText, type Entry } from '../../parse/yaml-nodes';
import { inside, type HoverSection } from '../hover';

function usesOf(scope: string, results: readonly JobPermissions[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const found = result.scopes.find((s) => s.scope === scope);
    if (!found) continue;
    for (const use of found.uses)
      lines.push(
        `- \`${result.jobId}\` → ${use.step.index >= 0 ? `step ${use.step.position ?? use.step.index + 1} ` : ''}\`${use.what}\` (${use.level})`,
      );
  }
  return [...new Set(lines)].slice(0, 8);
}

function grantSummary(workflow: WorkflowView, job: JobView): string {
  const { source, entry } = effectivePermissions(workflow, job);
  if (!entry)
    return `Job \`${job.id}\` has no \`permissions:\` and neither has the workflow: it gets the repository's default token — read-only for repositories and organisations created since February 2023, **write to every scope** for many older ones.`;
  const shorthand = scalarText(entry.value);
  const where = source === 'job' ? 'its own block' : 'the workflow-level block';
  if (shorthand === 'write-all') return `Job \`${job.id}\` gets a token that can **write to every scope** (${where}).`;
  if (shorthand === 'read-all') return `Job \`${job.id}\` gets a token that can read every scope (${where}).`;
  const scopes = declaredScopes(entry);
  if (scopes.size === 0)
    return `Job \`${job.id}\` gets a token with no permissions (${where}); checkouts of public repositories still work.`;
  return `Job \`${job.id}\` gets ${[...scopes].map(([scope, level]) => `\`${scope}: ${level}\``).join(', ')} (${where}); every other scope is none.`;
}

function inferredLine(result: JobPermissions): string {
  const known = result.scopes.map((scope) => `\`${scope.scope}: ${scope.level}\``).join(', ') || 'nothing';
  const unknown =
    result.unknowns.length > 0
      ? `\n\nCannot tell: ${result.unknowns
          .slice(0, 3)
          .map((u) => u.reason)
          .join('; ')}.`
      : '';
  return `Its steps appear to need: ${known}.${unknown}`;
}

export function permissionScopeHover(analysis: Analysis, offset: number): HoverSection[] {
  const workflow = analysis.file.workflow;
  if (!workflow) return [];
  const blocks: { entry: Entry | undefined; job: JobView | null }[] = [
    { entry: workflow.permissions, job: null },
    ...workflow.jobs.map((job) => ({ entry: job.permissions, job })),
  ];
  for (const { entry, job } of blocks) {
    if (!entry) continue;
    const affected = job ? [job] : workflow.jobs.filter((j) => !j.permissions);
    // `permissions:` key or a shorthand / `{}` value.
    const shorthand = scalarText(entry.value);
    const map = asMap(entry.value);
    if (inside(entry.keySpan, offset) || ((shorthand !== null || (map && map.items.length === 0)) && inside(entry.valueSpan, offset))) {
      const text = affected
        .map((j) => grantSummary(workflow, j))
        .slice(0, 6)
        .join('\n\n');
      const span = inside(entry.keySpan, offset) ? entry.keySpan : entry.valueSpan;
      return [
        {
          markdown: `**Token permissions**${job ? '' : ' (workflow level: applies to jobs without their own block)'}\n\n${text || 'Every job declares its own `permissions:`: this block reaches none.'}`,
          span,
        },
      ];
    }
    if (!map) continue;
    const scope = new MapView(map, workflow.doc).entries.find((e) => inside(e.keySpan, offset));
    const info = scope && scopeInfo(scope.key);
    if (!scope || !info) continue;
    const level = scalarText(scope.value);
    const results = affected.map((j) => inferJobPermissions(workflow, j));
    const uses = usesOf(scope.key, results);
    const unknown = results.some((r) => r.unknowns.length > 0);
    const neededWrite = results.some((r) => r.scopes.some((s) => s.scope === scope.key && s.level === 'write'));
    let verdict = '';
    if (uses.length > 0) verdict = `\n\nUsed by:\n${uses.join('\n')}`;
    if (uses.length === 0)
      verdict = unknown ? '\n\nNo step is known to use it (some steps cannot be analysed).' : '\n\n⚠ Nothing in the job appears to use it.';
    else if (level === 'write' && !neededWrite && !unknown) verdict += '\n\n⚠ Only read access appears to be needed.';
    return [
      {
        markdown: `**\`${scope.key}\`** permission\n\n- \`read\`: ${info.read}\n- \`write\`: ${info.write}${level ? `\n\nGranted here: \`${level}\`.` : ''}${verdict}`,
        span: scope.keySpan,
      },
    ];
  }
  // A job id: what token it gets today.
  const job = workflow.jobs.find((j) => inside(j.idSpan, offset));
  if (job && !job.permissions) {
    return [
      {
        markdown: `**Token permissions**\n\n${grantSummary(workflow, job)}\n\n${inferredLine(inferJobPermissions(workflow, job))}`,
        span: job.idSpan,
      },
    ];
  }
  return [];
}
