import { secretReferences } from '../knowledge/job-facts';
import type { Rule } from './types';

export const secretsOutsideEnv: Rule = {
  id: 'secrets-outside-env',
  title: 'Secrets used outside a deployment environment',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'high',
  persona: 'auditor',
  online: false,
  docs: {
    summary:
      'A job uses repository or organisation secrets (other than `GITHUB_TOKEN`) without an `environment:`, so nothing but a push to the workflow file stands between the secret and whoever can run the job.',
    why: 'Secrets stored in a deployment environment are released only to jobs that name it, and only after its protection rules (required reviewers, allowed branches and tags) pass. In Nx s1ngularity (2025) and elementary-data (2026) a dispatchable or injectable workflow read publishing tokens straight from repository secrets; at spotbugs (2024) and Trivy (2026) the PAT sat in a `pull_request_target` job. Astral keeps every secret in an environment.',
    fix: "Move the secret into an environment (Settings → Environments) with required reviewers or a branch/tag rule, and add `environment: <name>` to the job. Secrets that are harmless can be listed in the rule's `allow` configuration.",
  },
  check({ file, config, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    if (workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === 'workflow_call')) return;
    const allow = new Set(
      (Array.isArray(config.allow) ? config.allow : [])
        .filter((name): name is string => typeof name === 'string')
        .map((name) => name.toUpperCase()),
    );
    allow.add('GITHUB_TOKEN');
    for (const job of workflow.jobs) {
      if (job.environment) continue;
      const references = secretReferences(file, job.span).filter((secret) => !allow.has(secret.name.toUpperCase()));
      if (references.length === 0) continue;
      const names = [...new Set(references.map((secret) => (secret.name === '*' ? 'a computed secret' : `\`${secret.name}\``)))];
      report({
        span: references[0].span,
        message: `job \`${job.id}\` uses ${names.length === 1 ? 'secret' : 'secrets'} ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` and ${names.length - 4} more` : ''} without an \`environment:\`: ${names.length === 1 ? 'it is' : 'they are'} available to any run of this job, with no reviewer or branch rule`,
        related: references.slice(1, 8).map((secret) => ({ span: secret.span, message: `secret \`${secret.name}\`` })),
      });
    }
  },
};
