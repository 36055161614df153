import { privilegedTriggers, secretReferences, tokenMayWrite } from '../knowledge/job-facts';
import { executionsAfter, untrustedCheckouts, type Execution, type UntrustedCheckout } from '../knowledge/pr-checkout';
import type { ParsedFile } from '../parse/document';
import type { JobView, WorkflowView } from '../parse/views';
import { scalarText } from '../parse/yaml-nodes';
import { viewValue } from '../views';
import { resolveLocalUses, workflowCallers, type WorkflowCaller } from './support/callers';
import type { Rule } from './types';

const TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];

/** One job that checks out pull request code and then runs something from it. */
interface Path {
  job: JobView;
  checkout: UntrustedCheckout;
  executions: Execution[];
  /** The secrets the job references (names). */
  secrets: string[];
  guarded: boolean;
}

/** The jobs of `workflow` that run pull request code after checking it out (whatever the triggers). */
function pathsOf(file: ParsedFile, workflow: WorkflowView): Path[] {
  const found: Path[] = [];
  for (const job of workflow.jobs) {
    for (const checkout of untrustedCheckouts(file, workflow, job)) {
      const executions = executionsAfter(file, job, checkout.step, checkout);
      if (executions.length === 0) continue;
      const secrets = [...new Set(secretReferences(file, job.span).map((secret) => secret.name))];
      const guarded = Boolean(job.environment) || /label|author_association|permission/i.test(scalarText(job.if?.value ?? null) ?? '');
      found.push({ job, checkout, executions, secrets, guarded });
    }
  }
  return found;
}

/** "secrets `A`, `B` and a token that can write", or null when nothing is in reach. */
function reachOf(secrets: readonly string[], writes: boolean): string | null {
  const parts = [
    secrets.length > 0
      ? `secrets ${secrets
          .slice(0, 3)
          .map((name) => `\`${name}\``)
          .join(', ')}${secrets.length > 3 ? '…' : ''}`
      : null,
    writes ? 'a token that can write' : null,
  ].filter((part): part is string => part !== null);
  return parts.length > 0 ? parts.join(' and ') : null;
}

/** Whether a called workflow's job gets a token that can write: its own permissions, else the caller's. */
function calledJobMayWrite(workflow: WorkflowView, job: JobView, callers: readonly WorkflowCaller[]): boolean {
  if (job.permissions ?? workflow.permissions) return tokenMayWrite(workflow, job);
  return callers.some((caller) => caller.file.workflow !== null && tokenMayWrite(caller.file.workflow, caller.job));
}

/** The privileged triggers among `triggers`, in the rule's order. */
function privileged(triggers: readonly string[]): string[] {
  return TRIGGERS.filter((name) => triggers.includes(name));
}

export const untrustedCheckout: Rule = {
  id: 'untrusted-checkout',
  title: 'Privileged job executes pull request code',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['workspace'],
  docs: {
    summary:
      "A `pull_request_target`, `workflow_run` or `issue_comment` job checks out the pull request's head or merge commit and then runs something from it (a build tool, a script, a local action) while secrets or a write token are in reach; also a reusable workflow that does so when a workflow of the repository calls it under one of those triggers.",
    why: 'This is the "pwn request". At spotbugs (2024) a `pull_request_target` workflow checked out `refs/pull/N/merge` and ran Maven with a maintainer PAT in the environment; the stolen PAT led to reviewdog and then to tj-actions/changed-files. PostHog (2025) ran a script from the pull request with a bot PAT that published to npm; Trivy (2026, hackerbot-claw) ran `uses: ./.github/actions/setup-go` from the checked-out pull request with an org PAT; the prt-scan wave (2026) opened mass pull requests against workflows that ran `npm install` on the head commit.',
    fix: 'Build pull requests under `pull_request` (no secrets, read-only token for forks). If results must be posted back, upload them as an artifact and let a separate `workflow_run` job post them without checking out or executing anything from the pull request. If a privileged job really must look at the code, check it out into a subdirectory and only read it as data.',
  },
  check({ file, report, workspace }) {
    const workflow = file.workflow;
    if (!workflow) return;
    const own = privilegedTriggers(workflow, TRIGGERS);
    if (own.length > 0) {
      for (const path of pathsOf(file, workflow)) {
        const { job, checkout, executions } = path;
        const reach = reachOf(path.secrets, tokenMayWrite(workflow, job));
        const first = executions[0];
        report({
          span: first.span,
          message: `job \`${job.id}\` runs ${first.what} on pull request code fetched by ${checkout.how} under \`${own.join('`/`')}\`${reach ? `, with ${reach} in reach` : " (the job's cache and artifacts are in reach)"}`,
          severity: reach ? 'high' : 'medium',
          confidence: path.guarded || checkout.inSubdirectory ? 'medium' : 'high',
          related: [
            { span: checkout.span, message: 'pull request code checked out here' },
            ...executions.slice(1, 4).map((execution) => ({ span: execution.span, message: `also runs ${execution.what}` })),
          ],
        });
      }
    }
    const space = viewValue(workspace);
    if (!space) return;

    // A reusable workflow is as privileged as its callers: report what only exists through them.
    if (own.length === 0 && workflow.hasTrigger('workflow_call')) {
      const callers = workflowCallers(space, file).filter((caller) => privileged(caller.triggers).length > 0);
      if (callers.length > 0) {
        const triggers = privileged(callers.flatMap((caller) => caller.triggers));
        for (const path of pathsOf(file, workflow)) {
          const { job, checkout, executions } = path;
          const reach = reachOf(path.secrets, calledJobMayWrite(workflow, job, callers));
          const first = executions[0];
          const named = callers
            .slice(0, 3)
            .map((caller) => `\`${caller.path}\``)
            .join(', ');
          report({
            span: first.span,
            message: `job \`${job.id}\` runs ${first.what} on pull request code fetched by ${checkout.how}; this reusable workflow is called under \`${triggers.join('`/`')}\` by ${named}${callers.length > 3 ? '…' : ''}${reach ? `, with ${reach} in reach` : " (the job's cache and artifacts are in reach)"}`,
            severity: reach ? 'high' : 'medium',
            confidence: path.guarded || checkout.inSubdirectory ? 'medium' : 'high',
            related: [
              { span: checkout.span, message: 'pull request code checked out here' },
              ...callers.slice(0, 5).map((caller) => ({
                span: caller.uses.valueSpan,
                message: `called here by job \`${caller.job.id}\` under \`${privileged(caller.triggers).join('`/`')}\``,
                file: caller.file,
              })),
            ],
          });
        }
      }
    }

    // On the caller's `uses:` line: the privileged call of a workflow that runs pull request code.
    let triggersHere: string[] | null = null;
    for (const job of workflow.jobs) {
      const value = scalarText(job.uses?.value ?? null);
      if (!job.uses || !value) continue;
      const target = resolveLocalUses(space, value, file);
      const called = target?.file.workflow;
      if (!target || !called || target.file === file) continue;
      triggersHere ??= privileged([
        ...own,
        ...(workflow.hasTrigger('workflow_call') ? workflowCallers(space, file).flatMap((caller) => caller.triggers) : []),
      ]);
      if (triggersHere.length === 0) continue;
      // A called workflow with privileged triggers of its own is reported in itself already.
      if (privilegedTriggers(called, TRIGGERS).length > 0) continue;
      const paths = pathsOf(target.file, called);
      if (paths.length === 0) continue;
      const first = paths[0];
      const self: WorkflowCaller[] = [
        {
          path: '',
          file,
          job,
          step: null,
          uses: job.uses,
          with: job.with,
          triggers: triggersHere,
          chain: [],
          permissions: job.permissions ?? workflow.permissions,
          secrets: [],
        },
      ];
      const reach = reachOf(first.secrets, calledJobMayWrite(called, first.job, self));
      report({
        span: job.uses.valueSpan,
        message: `job \`${job.id}\` calls \`${target.path}\` under \`${triggersHere.join('`/`')}\`, and its job \`${first.job.id}\` runs ${first.executions[0].what} on pull request code fetched by ${first.checkout.how}${reach ? `, with ${reach} in reach` : ''}`,
        severity: reach ? 'high' : 'medium',
        confidence: first.guarded || first.checkout.inSubdirectory ? 'medium' : 'high',
        related: [
          { span: first.executions[0].span, message: `runs ${first.executions[0].what} on pull request code`, file: target.file },
          { span: first.checkout.span, message: 'pull request code checked out here', file: target.file },
        ],
      });
    }
  },
};
