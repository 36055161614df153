import { triggerInfo } from '../knowledge/triggers';
import type { Rule } from './types';

const DANGEROUS = new Set(['pull_request_target', 'workflow_run']);

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
    why: 'These triggers are behind most CI compromises of 2024–2026: spotbugs (the start of the reviewdog → tj-actions chain), Ultralytics, PostHog, Trivy (hackerbot-claw), TanStack and the prt-scan wave all ran attacker-controlled code or text in a `pull_request_target` workflow that held secrets or a write token. Astral forbids both triggers organisation-wide.',
    fix: 'Use `pull_request` (fork runs get no secrets and a read-only token). To comment on pull requests, let a `pull_request` workflow upload its results and have a GitHub App or a separate, minimal workflow act on them without checking out or executing pull request code.',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow) return;
    for (const trigger of workflow.triggers) {
      if (!DANGEROUS.has(trigger.name)) continue;
      const info = triggerInfo(trigger.name)!;
      const jobs = workflow.jobs.length;
      const subject = jobs === 1 ? 'its job' : `its ${jobs} jobs`;
      const verb = info.privileged
        ? jobs === 1
          ? 'inherits that privilege'
          : 'inherit that privilege'
        : jobs === 1
          ? 'runs with it'
          : 'run with it';
      report({
        span: trigger.span,
        message: `\`${trigger.name}\` runs with the base repository's secrets and a token that can write, and can be fired by ${trigger.name === 'workflow_run' ? 'a run started from a fork pull request' : 'any fork pull request'}; ${subject} ${verb}`,
      });
    }
  },
};
