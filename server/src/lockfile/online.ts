/**
 * Locking online: the edits of the lock that add the entries a workflow's `uses:` need ("Add to
 * actions.lock", "Lock all actions of this workflow", the CLI's `--fix`). The entries and their
 * transitive dependencies are computed with the resolver (the peeled commit, the ids, the `uses:` of the
 * action's metadata or the reusable workflow at that commit); the lock is edited as text by
 * addLockEntries, keeping every other byte. Where the lock is read and written is the caller's business:
 * always the lock beside the workflow, inside the workspace folder or the scanned root.
 */
import type { OffsetEdit } from '../findings';
import type { ParsedFile } from '../parse/document';
import { computeClosure, type ClosureProblem, type ComputedLockEntry } from '../resolve/lock-entry';
import type { RepoData } from '../resolve/repo-data';
import { coverageOf, lockableUses, onboardedWorkflow } from './coverage';
import { addLockEntries } from './edits';
import { parseLockText } from './read';

export interface LockPlan {
  /** The edits of the lock's text (the whole text when it is created); empty when nothing is to be done or it cannot be edited. */
  edits: OffsetEdit[];
  /** The pin keys given entries (new ones only). */
  added: string[];
  /** What could not be computed: it is left out of the lock. */
  problems: ClosureProblem[];
  /** Why no edit was made although something was asked (the lock is not valid YAML). */
  refused?: string;
}

/**
 * The `uses:` values of an onboarded workflow the lock does not cover (no entry, or the action locked at
 * another ref: re-locking at the new ref); all of its lockable `uses:` when the workflow is not listed yet.
 */
export function usesToLock(workflow: ParsedFile, lockText: string | undefined, workflowPath: string): string[] {
  const lock = lockText === undefined ? null : parseLockText(lockText);
  const listed = lock ? onboardedWorkflow(lock, workflowPath) : undefined;
  const values: string[] = [];
  for (const { site, uses } of lockableUses(workflow)) {
    if (lock && listed && coverageOf(lock, uses)?.state === 'covered') continue;
    if (!values.includes(site.value)) values.push(site.value);
  }
  return values;
}

/**
 * The edits adding to the lock (`lockText`, undefined when there is none yet) every entry `usesValues`
 * need, transitively, and listing them for `workflowPath`. Entries the lock holds already are listed, not
 * written again; entries that could not be computed are left out (see `problems`).
 */
export async function planLock(
  data: RepoData,
  lockText: string | undefined,
  workflowPath: string,
  usesValues: readonly string[],
): Promise<LockPlan> {
  if (usesValues.length === 0) return { edits: [], added: [], problems: [] };
  const closure = await computeClosure(data, usesValues);
  const entries: ComputedLockEntry[] = closure.keys.map((key) => closure.entries[key]).filter((entry) => entry !== undefined);
  if (entries.length === 0) return { edits: [], added: [], problems: closure.problems };
  const lock = lockText === undefined ? null : parseLockText(lockText);
  const existing = new Set(lock?.entries.map((entry) => entry.normalized) ?? []);
  const edits = addLockEntries(lockText, workflowPath, entries);
  const plan: LockPlan = {
    edits,
    added: entries.map((entry) => entry.key).filter((key) => !existing.has(key)),
    problems: closure.problems,
  };
  if (edits.length === 0 && lockText !== undefined && lock && lock.problems.length > 0) {
    plan.refused = 'actions.lock is not valid YAML: it is not edited';
    plan.added = [];
  }
  return plan;
}

/** One line saying what a plan did, for a notice or the CLI. */
export function describePlan(plan: LockPlan): string {
  const parts: string[] = [];
  if (plan.refused) parts.push(plan.refused);
  else if (plan.added.length > 0)
    parts.push(`locked ${plan.added.length} ${plan.added.length === 1 ? 'entry' : 'entries'} (${shortList(plan.added)})`);
  else if (plan.edits.length > 0) parts.push("updated the workflow's list in actions.lock");
  else parts.push('nothing to lock');
  if (plan.problems.length > 0)
    parts.push(
      `could not lock ${plan.problems.length}: ${plan.problems
        .slice(0, 3)
        .map((problem) => `${problem.key} (${problem.error.message})`)
        .join('; ')}${plan.problems.length > 3 ? '; …' : ''}`,
    );
  return parts.join('; ');
}

function shortList(keys: readonly string[]): string {
  return keys.length > 3 ? `${keys.slice(0, 3).join(', ')} and ${keys.length - 3} more` : keys.join(', ');
}
