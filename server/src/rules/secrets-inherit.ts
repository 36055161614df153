import { secretReferences } from '../knowledge/job-facts';
import type { ParsedFile } from '../parse/document';
import { scalarText } from '../parse/yaml-nodes';
import { viewValue } from '../views';
import { resolveLocalUses } from './support/callers';
import type { Rule } from './types';

/**
 * The secrets a reusable workflow reads: those it declares under `on.workflow_call.secrets` and those it
 * references; null when that cannot be known (it passes every secret on, or reads `secrets[<expression>]`).
 */
function secretsRead(file: ParsedFile): string[] | null {
  if (file.workflow?.jobs.some((job) => scalarText(job.secrets?.value ?? null) === 'inherit')) return null;
  const names = new Set<string>();
  for (const entry of file.workflow?.trigger('workflow_call')?.config?.child('secrets').entries ?? []) names.add(entry.key);
  for (const reference of secretReferences(file, { start: 0, end: file.text.length })) names.add(reference.name);
  return names.has('*') ? null : [...names];
}

export const secretsInherit: Rule = {
  id: 'secrets-inherit',
  title: 'Every secret passed to a reusable workflow',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['workspace'],
  docs: {
    summary: '`secrets: inherit` hands every secret of the repository (and its organisation) to the called workflow, whatever it needs.',
    why: "A reusable workflow that is compromised, or whose ref moves (as the tags of tj-actions/changed-files did in 2025, CVE-2025-30066), receives all of the caller's secrets at once. GhostAction (2025) exfiltrated 3,325 secrets from 817 repositories: each secret a workflow can reach is one more to lose.",
    fix: 'Pass only the secrets the called workflow declares under `on.workflow_call.secrets`, e.g. `secrets: { PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }} }`.',
  },
  check({ file, report, workspace }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const space = viewValue(workspace);
    for (const job of workflow.jobs) {
      const secrets = job.secrets;
      if (!secrets || scalarText(secrets.value) !== 'inherit') continue;
      const target = scalarText(job.uses?.value ?? null) ?? 'the called workflow';
      const local = target.startsWith('./') || target.startsWith('$/');
      // A workflow of the repository: say which secrets it actually reads.
      const called = local && space ? resolveLocalUses(space, target, file) : null;
      const read = called?.file.workflow ? secretsRead(called.file) : null;
      const advice =
        read === null
          ? 'pass only the secrets it declares'
          : read.length === 0
            ? 'it reads no secret: remove `secrets: inherit`'
            : `it reads ${read
                .slice(0, 5)
                .map((name) => `\`${name}\``)
                .join(', ')}${read.length > 5 ? '…' : ''}: pass only ${read.length === 1 ? 'that one' : 'those'}`;
      report({
        span: secrets.valueSpan,
        message: `job \`${job.id}\` passes every repository and organisation secret to \`${target}\`${local ? ' (a workflow of this repository)' : ''}; ${advice}`,
        severity: local ? 'low' : 'medium',
        ...(called
          ? {
              related: [
                {
                  span: called.file.workflow?.trigger('workflow_call')?.span ?? { start: 0, end: 0 },
                  message: 'the called workflow',
                  file: called.file,
                },
              ],
            }
          : {}),
      });
    }
  },
};
