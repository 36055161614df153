/**
 * `wait:` and `cancel:` name background steps by id. GitHub's workflow parser accepts only the id of an
 * earlier step of the same `steps:` list (not of a step inside a `parallel:` group, not of a later step, not
 * the step itself); anything else is a typo or a misunderstanding of what runs concurrently.
 */
import type { JobView, StepView } from '../parse/views';
import { asSeq, seqItems, spannedString, valueOffsetInSource, type Entry, type SpannedString } from '../parse/yaml-nodes';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { editDistance } from '../parse/edit-distance';
import type { Fix } from '../findings';
import type { Rule, RuleContext } from './types';

/** Characters an id may have for the "did you mean" fix to write it as it is, in any scalar style. */
const PLAIN_ID = /^[A-Za-z0-9_-]+$/;
/** Suggestions compare ids of at most this length (longer ids get no suggestion). */
const MAX_SUGGESTED_LENGTH = 100;
/** Edit-distance cells computed per file for suggestions: a file with thousands of bad references stays linear. */
const SUGGESTION_BUDGET = 2_000_000;

/** A `wait:` / `cancel:` target as written, with the span of the id itself (inside any quotes). */
interface Target {
  value: string;
  span: Span;
  /** True when `span` holds exactly `value` (false for escaped or folded scalars: then it is the token). */
  exact: boolean;
}

function targetOf(file: ParsedFile, node: SpannedString, source: Entry['value']): Target {
  const start = source ? valueOffsetInSource(source, file.text) : null;
  if (start === null) return { value: node.value, span: node.span, exact: false };
  // A plain scalar's value is its trimmed source, so the id starts where the token does.
  return { value: node.value, span: { start, end: start + node.value.length }, exact: true };
}

/** The targets of a step's `wait:` (an id or a list of ids) or `cancel:` (an id). */
function targets(file: ParsedFile, entry: Entry | undefined, list: boolean): Target[] {
  if (!entry || !entry.value) return [];
  const single = spannedString(entry.value);
  if (single) return [targetOf(file, single, entry.value)];
  if (!list) return [];
  const found: Target[] = [];
  for (const item of seqItems(asSeq(entry.value), file.doc)) {
    const id = spannedString(item);
    if (id) found.push(targetOf(file, id, item));
  }
  return found;
}

interface Budget {
  left: number;
}

/** The ids defined so far, with their lower-case forms (for suggestions). */
interface KnownIds {
  list: string[];
  lower: string[];
  exact: Set<string>;
  /** Lower-case id → the first id spelt so. */
  byLower: Map<string, string>;
}

/**
 * The id among the known ones closest to `wanted` (a case-only difference first), or null when none is close.
 * Every candidate looked at and every edit-distance cell is paid from the file's budget, so a file with
 * thousands of bad references costs a bounded amount: past the budget, findings come without a suggestion.
 */
function closest(wanted: string, known: KnownIds, budget: Budget): string | null {
  const lower = wanted.toLowerCase();
  const sameLetters = known.byLower.get(lower);
  if (sameLetters !== undefined) return sameLetters;
  if (wanted.length > MAX_SUGGESTED_LENGTH || budget.left <= 0) return null;
  const limit = Math.max(1, Math.min(3, Math.floor(wanted.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (let i = 0; i < known.list.length; i++) {
    const candidate = known.lower[i];
    budget.left -= 1;
    if (budget.left < 0) return best;
    if (candidate.length > MAX_SUGGESTED_LENGTH || Math.abs(candidate.length - lower.length) > limit) continue;
    budget.left -= (lower.length + 1) * (candidate.length + 1);
    const distance = editDistance(lower, candidate, { limit });
    if (distance < bestDistance) {
      best = known.list[i];
      bestDistance = distance;
    }
  }
  return best;
}

function checkJob(ctx: RuleContext, job: JobView, budget: Budget): void {
  const { file } = ctx;
  // Ids of the steps of `steps:` itself (what GitHub accepts, once defined), and of the steps inside groups.
  const top = job.steps.filter((step) => step.parallel === null);
  const laterIds = new Map<string, StepView>();
  const groupIds = new Map<string, StepView>();
  for (const step of job.steps) {
    const id = step.id?.value;
    if (id === undefined) continue;
    if (step.parallel === null) {
      if (!laterIds.has(id)) laterIds.set(id, step);
    } else if (!groupIds.has(id)) groupIds.set(id, step);
  }
  const known: KnownIds = { list: [], lower: [], exact: new Set(), byLower: new Map() };
  for (const step of top) {
    const own = step.id?.value ?? null;
    for (const [key, list] of [
      ['wait', true],
      ['cancel', false],
    ] as const) {
      for (const target of targets(file, step.get(key), list)) {
        if (target.value === '' || target.value.includes('${{')) continue;
        if (known.exact.has(target.value)) continue;
        report(ctx, job, step, key, target, own, known, laterIds.get(target.value) ?? null, groupIds.get(target.value) ?? null, budget);
      }
    }
    if (own !== null && !known.exact.has(own)) {
      const lower = own.toLowerCase();
      known.exact.add(own);
      known.list.push(own);
      known.lower.push(lower);
      if (!known.byLower.has(lower)) known.byLower.set(lower, own);
    }
  }
}

function report(
  ctx: RuleContext,
  job: JobView,
  step: StepView,
  key: 'wait' | 'cancel',
  target: Target,
  own: string | null,
  known: KnownIds,
  later: StepView | null,
  inGroup: StepView | null,
  budget: Budget,
): void {
  const id = target.value;
  const where = `\`${key}:\` of step ${step.name || step.id ? `\`${step.label}\`` : step.position} in job \`${job.id}\``;
  let message: string;
  let suggestion: string | null = null;
  if (own !== null && own.toLowerCase() === id.toLowerCase()) {
    message = `${where} names the step itself (\`${id}\`): a step cannot ${key === 'wait' ? 'wait for' : 'cancel'} itself`;
  } else if (later && later !== step) {
    message = `${where} names \`${id}\`, a later step (step ${later.position}): only a step defined earlier can be ${key === 'wait' ? 'waited for' : 'cancelled'}`;
  } else if (inGroup) {
    message = `${where} names \`${id}\`, a step inside the \`parallel:\` group at step ${inGroup.parallel?.position ?? '?'}: the group already waits for its own steps, and GitHub does not accept their ids here`;
  } else {
    suggestion = closest(id, known, budget);
    const hint =
      suggestion !== null
        ? `: did you mean \`${suggestion}\`?`
        : known.list.length > 0
          ? ` (ids defined before it: ${known.list
              .slice(0, 5)
              .map((k) => `\`${k}\``)
              .join(', ')}${known.list.length > 5 ? ', …' : ''})`
          : ': no step before it has an `id:`';
    message = `${where} names \`${id}\`, which is not the id of an earlier step${hint}`;
  }
  const fixes: Fix[] =
    suggestion !== null && target.exact && PLAIN_ID.test(suggestion)
      ? [
          {
            title: `Change \`${id}\` to \`${suggestion}\``,
            isPreferred: true,
            safety: 'unsafe',
            edits: [{ span: target.span, newText: suggestion }],
          },
        ]
      : [];
  ctx.report({ span: target.span, message, fixes });
}

export const unknownStepReference: Rule = {
  id: 'unknown-step-reference',
  title: '`wait:` or `cancel:` names no earlier step of the job',
  kinds: ['workflow'],
  severity: 'medium',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      'A `wait:` or `cancel:` step names a step id that no earlier step of the job has (a typo, a later step, a step inside a `parallel:` group, or the step itself).',
    why: "Background steps (`background: true`) keep running while the job continues: `wait:` is what keeps a later step from reading a file, a cache or credentials before a background step has finished writing them, and `cancel:` is what stops a background server, tunnel or debugging session before the steps that handle secrets or publish run. An id that names no earlier step means the step you meant is neither waited for nor stopped. GitHub's own parser (`@actions/workflow-parser` 0.3.61) rejects such a reference, so the workflow fails to start once pushed; this rule reports it as you type, says why (a typo, a later step, a step inside a `parallel:` group, the step itself) and offers the closest id.",
    fix: 'Name the `id:` of an earlier step of the same `steps:` list (ids are case-sensitive here). The quick fix replaces the id with the closest one defined before the step.',
  },
  check(ctx) {
    const workflow = ctx.file.workflow;
    if (!workflow) return;
    const budget: Budget = { left: SUGGESTION_BUDGET };
    for (const job of workflow.jobs) checkJob(ctx, job, budget);
  },
};
