import { isMap } from 'yaml';
import type { UsesSite } from '../parse/document';
import { usesTarget } from '../parse/uses';
import { MapView } from '../parse/views';
import { scalarText, type Entry } from '../parse/yaml-nodes';
import { rejection, type RepositoryPolicy } from '../resolve/repo-policy';
import type { Rule, RuleContext } from './types';

const POLICY_FAILS = "this run will fail under the repository's policy";

/**
 * The policy the findings are judged against: GitHub's settings when they could be read (online), else
 * the expected policy the configuration declares (`policy:`). Never both: the configuration describes what
 * a team without admin rights expects, and GitHub's answer is what will happen.
 */
export function effectivePolicy(context: Pick<RuleContext, 'policy' | 'config'>): RepositoryPolicy | null {
  if (context.policy.available) return context.policy.value;
  const declared = context.config.policy;
  return declared && typeof declared === 'object' ? (declared as RepositoryPolicy) : null;
}

function usesSpan(site: UsesSite) {
  return site.exact ? { start: site.valueStart, end: site.valueStart + site.value.length } : site.entry.valueSpan;
}

/** Whether the workflow is listed in the repository's actions.lock (its tags run the locked commits). */
function onboarded(context: RuleContext): boolean {
  if (!context.lock.available) return false;
  const { lock, workflowPath } = context.lock.value;
  return workflowPath !== null && lock.workflows.some((workflow) => workflow.path === workflowPath);
}

function whose(policy: RepositoryPolicy): string {
  return policy.source === 'github' ? "the repository's settings" : "the configuration's `policy:`";
}

/** The `pull-requests: write` (or `write-all`) of a permissions block, when it grants it. */
function pullRequestWrite(context: RuleContext, entry: Entry | undefined): Entry | null {
  if (!entry?.value) return null;
  if (!isMap(entry.value)) return scalarText(entry.value) === 'write-all' ? entry : null;
  for (const scope of new MapView(entry.value, context.file.doc).entries) {
    if (scope.key === 'pull-requests' && scope.value && scalarText(scope.value) === 'write') return scope;
  }
  return null;
}

export const repositoryPolicy: Rule = {
  id: 'repository-policy',
  title: "Conflicts with the repository's Actions policy",
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['policy', 'lock'],
  docs: {
    onlineLookup: 'the repository settings lookup',
    summary:
      "A `uses:` that the repository's GitHub Actions policy will reject (not allowed, blocked, or not pinned to a full SHA while pinning is required), a workflow without `permissions:` where the default token is write, or a write token that may approve pull requests.",
    why: 'GitHub enforces the allowed-actions list and the SHA-pinning requirement when a run starts: a tag `uses:` under `sha_pinning_required` fails the whole run, found only after the push. The default `GITHUB_TOKEN` permission decides what a workflow without `permissions:` gets: repositories and organisations created before February 2023 still default to write, which is what let injected code push and publish in the Nx "s1ngularity" attack (2025). A token that may approve pull requests lets one compromised workflow satisfy a required review.',
    fix: 'Pin the action to a full commit SHA (the quick fix "Pin to commit SHA"), use an allowed action or ask an admin to allow it, start the workflow with `permissions: {}` and grant each job what it needs, and switch off "Allow GitHub Actions to create and approve pull requests" in the repository\'s Actions settings.',
  },
  check(context) {
    const policy = effectivePolicy(context);
    if (!policy) return;
    const { file } = context;
    const locked = onboarded(context);
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote') continue;
      const target = usesTarget(reference);
      const written = `${target}${reference.ref === null ? '' : `@${reference.ref}`}`;
      const reason = rejection(policy, reference);
      if (reason !== null) {
        report(context, site, `\`${written}\`: ${POLICY_FAILS}: ${reason} (${whose(policy)})`);
        continue;
      }
      // GitHub documents the requirement for actions; calls of reusable workflows are not checked by it.
      if (policy.shaPinningRequired && reference.refKind !== 'sha' && !reference.isReusableWorkflow) {
        const lockNote = locked
          ? "; the actions.lock pins it, but GitHub's documentation does not say the policy accepts a locked tag"
          : '';
        context.report({
          span: usesSpan(site),
          message: `\`${written}\`: ${POLICY_FAILS}: it requires actions pinned to a full-length commit SHA (${whose(policy)})${lockNote}`,
          confidence: locked ? 'medium' : 'high',
        });
      }
    }
    const workflow = file.workflow;
    if (!workflow || !workflow.map) return;
    const onlyCalled = workflow.triggers.length > 0 && workflow.triggers.every((trigger) => trigger.name === 'workflow_call');
    const withoutPermissions = workflow.permissions ? [] : workflow.jobs.filter((job) => !job.permissions);
    const approve = policy.canApprovePullRequestReviews === true;
    if (policy.defaultWorkflowPermissions === 'write' && withoutPermissions.length > 0 && !onlyCalled) {
      const names = withoutPermissions.map((job) => `\`${job.id}\``);
      const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
      context.report({
        span: workflow.jobsEntry ? workflow.jobsEntry.keySpan : { start: 0, end: 0 },
        message: `No \`permissions:\` for job${names.length > 1 ? 's' : ''} ${list}: the repository's default \`GITHUB_TOKEN\` permission is write (${whose(policy)}), so ${names.length > 1 ? 'they run' : 'it runs'} with a token that can push, publish and change releases${approve ? ' and approve pull requests' : ''}. Add \`permissions: {}\` and grant each job what it needs`,
        related: withoutPermissions.map((job) => ({ span: job.idSpan, message: `job \`${job.id}\` has no \`permissions:\`` })),
      });
    }
    if (!approve) return;
    for (const entry of [workflow.permissions, ...workflow.jobs.map((job) => job.permissions)]) {
      const grant = pullRequestWrite(context, entry);
      if (!grant) continue;
      context.report({
        span: grant.keySpan,
        message: `GitHub Actions may approve pull requests in this repository (${whose(policy)}): with \`${grant.key === 'permissions' ? 'write-all' : 'pull-requests: write'}\` this token can approve a pull request, which counts toward required reviews. Switch off "Allow GitHub Actions to create and approve pull requests"`,
        severity: 'medium',
      });
    }
  },
};

function report(context: RuleContext, site: UsesSite, message: string): void {
  context.report({ span: usesSpan(site), message });
}
