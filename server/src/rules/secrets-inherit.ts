import type { Rule } from './types';
import { scalarText } from '../parse/yaml-nodes';

export const secretsInherit: Rule = {
  id: 'secrets-inherit',
  title: 'Every secret passed to a reusable workflow',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: '`secrets: inherit` hands every secret of the repository (and its organisation) to the called workflow, whatever it needs.',
    why: "A reusable workflow that is compromised, or whose ref moves (as the tags of tj-actions/changed-files did in 2025, CVE-2025-30066), receives all of the caller's secrets at once. GhostAction (2025) exfiltrated 3,325 secrets from 817 repositories: each secret a workflow can reach is one more to lose.",
    fix: 'Pass only the secrets the called workflow declares under `on.workflow_call.secrets`, e.g. `secrets: { PYPI_TOKEN: ${{ secrets.PYPI_TOKEN }} }`.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    for (const job of workflow.jobs) {
      const secrets = job.secrets;
      if (!secrets || scalarText(secrets.value) !== 'inherit') continue;
      const target = scalarText(job.uses?.value ?? null) ?? 'the called workflow';
      const local = target.startsWith('./') || target.startsWith('$/');
      report({
        span: secrets.valueSpan,
        message: `job \`${job.id}\` passes every repository and organisation secret to \`${target}\`${local ? ' (a workflow of this repository)' : ''}; pass only the secrets it declares`,
        severity: local ? 'low' : 'medium',
      });
    }
  },
};
