import type { MapView } from '../parse/views';
import type { Entry } from '../parse/yaml-nodes';
import { asMap } from '../parse/yaml-nodes';
import { MapView as View } from '../parse/views';
import type { Rule } from './types';

/** Triggers where a newer run makes a running one obsolete. */
const SUPERSEDING = new Set(['push', 'pull_request', 'pull_request_target', 'merge_group']);

/**
 * The events of this workflow's triggers that start a newer run, as one noun phrase after "every": `push`,
 * `push to a pull request`, `push to a branch or to a pull request`, each possibly `or merge-queue update`;
 * '' for none.
 */
function supersedingEvents(triggers: readonly { name: string }[]): string {
  const names = new Set(triggers.map((trigger) => trigger.name).filter((name) => SUPERSEDING.has(name)));
  const pullRequest = names.has('pull_request') || names.has('pull_request_target');
  const push = names.has('push');
  const phrases: string[] = [];
  if (push && pullRequest) phrases.push('push to a branch or to a pull request');
  else if (push) phrases.push('push');
  else if (pullRequest) phrases.push('push to a pull request');
  if (names.has('merge_group')) phrases.push('merge-queue update');
  return phrases.length > 0 ? `every ${phrases.join(' or ')}` : '';
}

function declaresCancel(entry: Entry | undefined, doc: MapView['doc']): boolean {
  if (!entry) return false;
  return new View(asMap(entry.value), doc).has('cancel-in-progress');
}

export const concurrencyLimits: Rule = {
  id: 'concurrency-limits',
  title: 'Workflow without a concurrency limit',
  kinds: ['workflow'],
  severity: 'low',
  confidence: 'high',
  persona: 'pedantic',
  online: false,
  docs: {
    summary:
      'A workflow run by `push` or pull-request events has no `concurrency:` with `cancel-in-progress`, neither at the top nor in every job, so superseded runs keep running.',
    why: 'Without a limit every new event (a push, a pull-request update) starts another full run: runner minutes, and for self-hosted runners a queue an attacker can flood by pushing to a pull request. A `concurrency` group also stops two deployments from racing.',
    fix: 'Add at the top: `concurrency: { group: ${{ github.workflow }}-${{ github.ref }}, cancel-in-progress: true }` (or `cancel-in-progress: false` for deployments you want queued, which states the choice).',
  },
  check({ file, report }) {
    const workflow = file.workflow;
    if (!workflow || workflow.jobs.length === 0) return;
    const events = supersedingEvents(workflow.triggers);
    if (!events) return;
    const top = workflow.get('concurrency');
    if (declaresCancel(top, workflow.doc)) return;
    if (workflow.jobs.every((job) => declaresCancel(job.get('concurrency'), job.doc))) return;
    const span = top ? top.keySpan : (workflow.on?.keySpan ?? { start: 0, end: 0 });
    report({
      span,
      message: top
        ? '`concurrency` has no `cancel-in-progress`, so superseded runs of this workflow keep running'
        : `This workflow has no \`concurrency\` group with \`cancel-in-progress\`: ${events} starts another full run while older ones continue`,
    });
  },
};
