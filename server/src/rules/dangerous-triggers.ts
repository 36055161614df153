import { isTargetSafeAction } from '../knowledge/target-safe-actions';
import { triggerInfo } from '../knowledge/triggers';
import type { ParsedFile } from '../parse/document';
import type { StepView } from '../parse/views';
import type { Rule } from './types';

const DANGEROUS = new Set(['pull_request_target', 'workflow_run']);

/**
 * The actions of a workflow whose every job only runs actions documented as safe under
 * `pull_request_target` (knowledge/target-safe-actions.ts: no `run:`, no checkout, no reusable workflow),
 * lowercase and deduplicated; null otherwise.
 */
function onlySafeActions(file: ParsedFile): string[] | null {
  const workflow = file.workflow;
  if (!workflow || workflow.jobs.length === 0) return null;
  const repositoryOf = new Map<StepView, string>();
  for (const site of file.uses) if (site.step && site.reference.kind === 'remote') repositoryOf.set(site.step, site.reference.repository);
  const used = new Set<string>();
  for (const job of workflow.jobs) {
    if (job.isReusableWorkflowCall || job.steps.length === 0) return null;
    for (const step of job.steps) {
      const repository = step.run ? undefined : repositoryOf.get(step);
      if (!repository || !isTargetSafeAction(repository)) return null;
      used.add(repository.toLowerCase());
    }
  }
  return [...used];
}

export const dangerousTriggers: Rule = {
  id: 'dangerous-triggers',
  title: 'Privileged trigger reachable by outsiders',
  kinds: ['workflow'],
  severity: 'high',
  confidence: 'medium',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "`pull_request_target` and `workflow_run` run with the base repository's secrets and a token that can write, on events that anyone with a fork can cause.",
    why: "These triggers are behind most CI compromises of 2024–2026: spotbugs (the start of the reviewdog → tj-actions chain), Ultralytics, PostHog, Trivy (hackerbot-claw), TanStack and the prt-scan wave all ran attacker-controlled code or text in a `pull_request_target` workflow that held secrets or a write token. Since 2025-12-08 GitHub runs `pull_request_target` from the workflow file of the default branch, so a pull request can no longer change the workflow itself through its base branch; the code a workflow checks out from the pull request, its title, branch name and artifacts are still the contributor's. Astral forbids both triggers organisation-wide.",
    fix: 'Use `pull_request` (fork runs get no secrets and a read-only token). To comment on pull requests, let a `pull_request` workflow upload its results and have a GitHub App or a separate, minimal workflow act on them without checking out or executing pull request code.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    let safe: string[] | null | undefined;
    for (const trigger of workflow.triggers) {
      if (!DANGEROUS.has(trigger.name)) continue;
      const info = triggerInfo(trigger.name)!;
      const jobs = workflow.jobs.length;
      const subject = jobs === 1 ? 'its job' : `its ${jobs} jobs`;
      const base = `\`${trigger.name}\` runs with the base repository's secrets and a token that can write, and can be fired by ${trigger.name === 'workflow_run' ? 'a run started from a fork pull request' : 'any fork pull request'}`;
      if (trigger.name === 'pull_request_target' && (safe ??= onlySafeActions(file))) {
        // The canonical safe use (labelling, title checks): only an auditor hears about it.
        report({
          span: trigger.span,
          message: `${base}; ${subject} only ${jobs === 1 ? 'runs' : 'run'} ${safe.map((name) => `\`${name}\``).join(', ')}, documented as safe for this trigger (no pull request code is checked out or run)`,
          severity: 'informational',
          persona: 'auditor',
        });
        continue;
      }
      const verb = info.privileged
        ? jobs === 1
          ? 'inherits that privilege'
          : 'inherit that privilege'
        : jobs === 1
          ? 'runs with it'
          : 'run with it';
      report({ span: trigger.span, message: `${base}; ${subject} ${verb}` });
    }
  },
};
