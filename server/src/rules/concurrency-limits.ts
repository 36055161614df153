import type { MapView } from '../parse/views';
import type { Entry } from '../parse/yaml-nodes';
import { asMap } from '../parse/yaml-nodes';
import { MapView as View } from '../parse/views';
import type { Rule } from './types';

/** Triggers where a newer run makes a running one obsolete, with the event that starts the newer run. */
const SUPERSEDING: ReadonlyMap<string, string> = new Map([
  ['push', 'every push'],
  ['pull_request', 'every push to a pull request'],
  ['pull_request_target', 'every push to a pull request'],
  ['merge_group', 'every merge-queue update'],
]);

/** `every push to a pull request`, ...: the events of this workflow's triggers that start a newer run ('' for none). */
function supersedingEvents(triggers: readonly { name: string }[]): string {
  const events = new Set(triggers.flatMap((trigger) => SUPERSEDING.get(trigger.name) ?? []));
  if (events.has('every push') && events.has('every push to a pull request')) {
    events.delete('every push');
    events.delete('every push to a pull request');
    return ['every push, to a branch or to a pull request,', ...events].join(' or ');
  }
  return [...events].join(' or ');
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
