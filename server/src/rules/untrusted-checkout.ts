import { privilegedTriggers, secretReferences, tokenMayWrite } from '../knowledge/job-facts';
import { executionsAfter, untrustedCheckouts } from '../knowledge/pr-checkout';
import { scalarText } from '../parse/yaml-nodes';
import type { Rule } from './types';

const TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];

export const untrustedCheckout: Rule = {
  id: 'untrusted-checkout',
  title: 'Privileged job executes pull request code',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "A `pull_request_target`, `workflow_run` or `issue_comment` job checks out the pull request's head or merge commit and then runs something from it (a build tool, a script, a local action) while secrets or a write token are in reach.",
    why: 'This is the "pwn request". At spotbugs (2024) a `pull_request_target` workflow checked out `refs/pull/N/merge` and ran Maven with a maintainer PAT in the environment; the stolen PAT led to reviewdog and then to tj-actions/changed-files. PostHog (2025) ran a script from the pull request with a bot PAT that published to npm; Trivy (2026, hackerbot-claw) ran `uses: ./.github/actions/setup-go` from the checked-out pull request with an org PAT; the prt-scan wave (2026) opened mass pull requests against workflows that ran `npm install` on the head commit.',
    fix: 'Build pull requests under `pull_request` (no secrets, read-only token for forks). If results must be posted back, upload them as an artifact and let a separate `workflow_run` job post them without checking out or executing anything from the pull request. If a privileged job really must look at the code, check it out into a subdirectory and only read it as data.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const triggers = privilegedTriggers(workflow, TRIGGERS);
    if (triggers.length === 0) return;
    for (const job of workflow.jobs) {
      const checkouts = untrustedCheckouts(file, workflow, job);
      for (const checkout of checkouts) {
        const executions = executionsAfter(file, job, checkout.step, checkout);
        if (executions.length === 0) continue;
        const secrets = [...new Set(secretReferences(file, job.span).map((secret) => secret.name))];
        const writes = tokenMayWrite(workflow, job);
        const reach = [
          secrets.length > 0
            ? `secrets ${secrets
                .slice(0, 3)
                .map((name) => `\`${name}\``)
                .join(', ')}${secrets.length > 3 ? '…' : ''}`
            : null,
          writes ? 'a token that can write' : null,
        ].filter((part): part is string => part !== null);
        const first = executions[0];
        const guarded = job.environment || /label|author_association|permission/i.test(scalarText(job.if?.value ?? null) ?? '');
        report({
          span: first.span,
          message: `job \`${job.id}\` runs ${first.what} on pull request code fetched by ${checkout.how} under \`${triggers.join('`/`')}\`${reach.length > 0 ? `, with ${reach.join(' and ')} in reach` : " (the job's cache and artifacts are in reach)"}`,
          severity: reach.length > 0 ? 'high' : 'medium',
          confidence: guarded || checkout.inSubdirectory ? 'medium' : 'high',
          related: [
            { span: checkout.span, message: 'pull request code checked out here' },
            ...executions.slice(1, 4).map((execution) => ({ span: execution.span, message: `also runs ${execution.what}` })),
          ],
        });
      }
    }
  },
};
