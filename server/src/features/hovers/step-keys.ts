/**
 * Hover on the keys of parallel and background steps (`background`, `wait`, `wait-all`, `cancel`,
 * `parallel`): what each does, and for `wait:` / `cancel:` which step each id names.
 */
import type { Analysis } from '../../document-cache';
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import { asSeq, scalarText, seqItems, spannedString } from '../../parse/yaml-nodes';
import { inside, type HoverSection } from '../hover';

const KEYS: Record<string, string> = {
  background:
    "**`background: true`** — the step starts and the job goes on to the next step at once, without waiting for it to finish. A later `wait:` naming this step's `id:`, or a `wait-all:`, blocks until it has finished; `cancel:` stops it.\n\nIt runs beside the later steps on the same runner, so it can read what they write (the workspace, credentials files) while it runs.",
  wait: '**`wait:`** — blocks until the named background steps (one `id:` or a list of ids) have finished. GitHub accepts only ids of earlier steps of the same `steps:` list.',
  'wait-all':
    '**`wait-all:`** — blocks until every background step started before it has finished. Written bare (`wait-all:`) or as `wait-all: true`.',
  cancel: '**`cancel:`** — stops the background step with this `id:` (an earlier step of the same `steps:` list).',
  parallel:
    '**`parallel:`** — runs the steps listed under it at the same time, as background steps, and waits for all of them before the next step. `background`, `wait`, `wait-all`, `cancel` and another `parallel:` are not allowed inside the group.\n\nThe steps of the group share the runner, the workspace and the environment files while they run. Actions Warden checks each of them as a step of the job.',
};

/** Steps of the file whose mapping holds the offset (a `parallel:` step and the step of its group inside it). */
function stepsAround(analysis: Analysis, offset: number): { step: StepView; steps: readonly StepView[] }[] {
  const found: { step: StepView; steps: readonly StepView[] }[] = [];
  const lists: (readonly StepView[])[] = [];
  const workflow = analysis.file.workflow;
  if (workflow) {
    for (const job of workflow.jobs) if (inside(job.span, offset)) lists.push(job.steps);
  } else if (analysis.file.action) lists.push(analysis.file.action.steps);
  for (const steps of lists) {
    for (const step of steps) {
      const span = step.nodeSpan;
      if (span && inside(span, offset)) found.push({ step, steps });
    }
  }
  return found;
}

/** What an id of `wait:` / `cancel:` names: the earlier step of the same list with that `id:`. */
function describeTarget(id: string, step: StepView, steps: readonly StepView[]): string {
  const target = steps.find((candidate) => candidate.parallel === null && candidate.index < step.index && candidate.id?.value === id);
  if (!target) return `⚠ No earlier step of this \`steps:\` list has \`id: ${id}\` (see \`unknown-step-reference\`).`;
  const background = scalarText(target.get('background')?.value ?? null)?.toLowerCase() === 'true';
  return `\`${id}\` is step ${target.position}${target.name ? ` (\`${target.name.value}\`)` : ''}${background ? ', a background step' : ', which does not run in the background'}.`;
}

export function stepKeyHover(analysis: Analysis, offset: number): HoverSection[] {
  const sections: HoverSection[] = [];
  for (const { step, steps } of stepsAround(analysis, offset)) {
    for (const entry of step.entries) {
      const text = KEYS[entry.key];
      if (text === undefined) continue;
      if (inside(entry.keySpan, offset)) {
        sections.push({ markdown: text, span: entry.keySpan });
        continue;
      }
      if (entry.key !== 'wait' && entry.key !== 'cancel') continue;
      const single = spannedString(entry.value);
      const ids: { value: string; span: Span }[] = single
        ? [single]
        : entry.key === 'wait'
          ? seqItems(asSeq(entry.value), analysis.file.doc).flatMap((item) => spannedString(item) ?? [])
          : [];
      const hit = ids.find((id) => inside(id.span, offset));
      if (hit) sections.push({ markdown: describeTarget(hit.value, step, steps), span: hit.span });
    }
  }
  return sections;
}
