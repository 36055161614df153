import { closureOf, coverageOf, lockableUses, lockEntry, onboardedWorkflow } from '../lockfile/coverage';
import { removeLockEntries, removeLockWorkflows, rewriteWorkflowList } from '../lockfile/edits';
import type { Lockfile } from '../lockfile/types';
import type { ParsedFile } from '../parse/document';
import { usesTarget } from '../parse/uses';
import type { LockView } from '../views';
import { viewValue } from '../views';
import { refOrValueSpan } from './support/resolved-uses';
import type { Rule, RuleContext } from './types';

export const lockfileDrift: Rule = {
  id: 'lockfile-drift',
  title: 'Workflows and actions.lock disagree',
  kinds: ['workflow', 'lockfile'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  reads: ['lock'],
  docs: {
    summary:
      'An onboarded workflow names an action at another ref than the one the lock holds (the ref was changed by hand), or the lock keeps entries no workflow needs, lists workflows whose file is gone, or lists for a workflow other dependencies than its `uses:` need.',
    why: 'The lock is only a security control while it matches the workflows: a ref changed without re-locking fails the run under enforcement, and entries or lists that no longer match the `uses:` hide in review which commits a workflow really runs.',
    fix: "Re-lock after changing a ref (`gh actions-lock`), or revert the ref to the locked one; remove stale entries and workflows from the lock, and let the tool rewrite a workflow's list.",
  },
  check(context) {
    const view = viewValue(context.lock);
    if (!view) return;
    if (context.file.kind === 'lockfile') checkLockSide(context, view);
    else checkWorkflowSide(context, view);
  },
};

function checkWorkflowSide({ file, report }: RuleContext, view: LockView): void {
  const workflow = onboardedWorkflow(view.lock, view.workflowPath);
  if (!workflow) return;
  const listed = new Set(workflow.pins.map((pin) => pin.normalized));
  for (const site of file.uses) {
    const uses = site.reference;
    if (uses.kind !== 'remote') continue;
    const coverage = coverageOf(view.lock, uses);
    if (coverage?.state !== 'drift') continue;
    const locked = coverage.others.find((entry) => listed.has(entry.normalized)) ?? coverage.others[0];
    const refs = [...new Set(coverage.others.map((entry) => entry.pin?.ref ?? entry.key))];
    const span = refOrValueSpan(site, uses);
    const revert = locked.pin && site.exact ? locked.pin.ref : null;
    report({
      span,
      message: `\`${usesTarget(uses)}@${uses.ref}\` has no entry in actions.lock, which holds \`${uses.repository}\` at ${refs.map((ref) => `\`${ref}\``).join(', ')}: the ref was changed without re-locking, and the run fails under enforcement`,
      fixes: revert
        ? [
            {
              title: `Revert the ref to the locked \`${revert}\``,
              isPreferred: false,
              safety: 'unsafe',
              edits: [{ span, newText: revert }],
            },
          ]
        : [],
    });
  }
}

function checkLockSide({ file, report }: RuleContext, view: LockView): void {
  const lock = file.lockfile;
  if (!lock?.supported || !view.workflow) return;
  const text = file.text;
  const needed = new Set<string>();
  // Repositories whose ref a listed workflow changed without re-locking: reported there (lockfile-drift on
  // the `uses:`), so their entries are not also called stale or extra here.
  const drifted = new Set<string>();
  let allRead = true;
  for (const workflow of lock.workflows) {
    const found = view.workflow(workflow.path);
    if (!found || found === 'missing') continue;
    for (const use of lockableUses(found)) {
      if (coverageOf(lock, use.uses)?.state === 'drift') drifted.add(`${use.uses.owner}/${use.uses.repo}`.toLowerCase());
    }
  }
  const isDrifted = (key: string) => drifted.has(key.slice(0, key.indexOf('@')));
  for (const workflow of lock.workflows) {
    const found = view.workflow(workflow.path);
    if (found === 'missing') {
      report({
        span: workflow.keySpan,
        severity: 'medium',
        message: `\`${workflow.path}\` is listed in the lock but the file no longer exists`,
        fixes: () => fixOf(`Remove \`${workflow.path}\` from the lock`, removeLockWorkflows(text, [workflow.path])),
      });
      continue;
    }
    if (!found) {
      allRead = false;
      for (const key of closureOf(
        lock,
        workflow.pins.map((pin) => pin.normalized),
      ))
        needed.add(key);
      continue;
    }
    const closure = requiredKeys(lock, found);
    for (const key of closure) needed.add(key);
    const listed = workflow.pins.map((pin) => pin.normalized);
    const missing = closure.filter((key) => !listed.includes(key));
    const extra = listed.filter((key) => !closure.includes(key) && !isDrifted(key));
    if (missing.length === 0 && extra.length === 0) continue;
    const parts = [
      ...(missing.length > 0 ? [`does not list ${names(missing)}, which it needs`] : []),
      ...(extra.length > 0 ? [`lists ${names(extra)}, which its \`uses:\` no longer need`] : []),
    ];
    report({
      span: workflow.keySpan,
      severity: 'medium',
      message: `The lock's list for \`${workflow.path}\` ${parts.join(' and ')}`,
      fixes: () => fixOf(`Rewrite the list of \`${workflow.path}\``, rewriteWorkflowList(text, workflow.path, closure)),
    });
  }
  if (!allRead) {
    // Some workflow could not be read: only entries that no list reaches are known to be stale.
    for (const workflow of lock.workflows)
      for (const key of closureOf(
        lock,
        workflow.pins.map((pin) => pin.normalized),
      ))
        needed.add(key);
  }
  for (const entry of lock.entries) {
    if (needed.has(entry.normalized) || isDrifted(entry.normalized)) continue;
    report({
      span: entry.keySpan,
      severity: 'medium',
      message: `\`${entry.key}\` is locked but no listed workflow needs it any more`,
      fixes: () => fixOf(`Remove \`${entry.key}\` from the lock`, removeLockEntries(text, [entry.normalized])),
    });
  }
}

/** The keys a workflow needs that the lock has entries for: its lockable `uses:` and what those use, transitively. */
function requiredKeys(lock: Lockfile, workflow: ParsedFile): string[] {
  return closureOf(
    lock,
    lockableUses(workflow).map((use) => use.key),
  ).filter((key) => lockEntry(lock, key) !== undefined);
}

function names(keys: readonly string[]): string {
  const shown = keys.slice(0, 3).map((key) => `\`${key}\``);
  return keys.length > 3 ? `${shown.join(', ')} and ${keys.length - 3} more` : shown.join(', ');
}

function fixOf(title: string, edits: ReturnType<typeof removeLockEntries>) {
  return edits.length > 0 ? [{ title, isPreferred: true, safety: 'safe' as const, edits }] : [];
}
