/**
 * `--fix` with actions.lock (online): for every workflow the lock beside it lists, the entries its `uses:`
 * need and the lock lacks are computed with the resolver and written into the lock (lockfile/online.ts),
 * each lock once, with one minimal edit per workflow. The lock is read and written only inside the scanned
 * root (files/confined.ts); a lock that does not exist is not created here (onboard a workflow with
 * `gh actions-lock` or the editor's command), and a lock that is not valid UTF-8 or YAML is not touched.
 */
import { relative } from 'node:path';
import { hasUtf8Bom, isValidUtf8, readFileWithin, RefusedError, writeFileWithin, type ConfinedFile } from '../files/confined';
import { applyEdits } from '../fixes/edits';
import { onboardedWorkflow } from '../lockfile/coverage';
import { workflowsFolderOf } from '../lockfile/locate';
import { describePlan, planLock, usesToLock } from '../lockfile/online';
import { parseLockText } from '../lockfile/read';
import { ParsedFile } from '../parse/document';
import type { RepoData } from '../resolve/repo-data';
import { STDIN_PATH, type Target } from './discover';
import { decode, readTargetOf } from './results';

export interface LockFixResult {
  /** The lock's path as shown, its text before and after (for --dry-run's diff). */
  displayPath: string;
  before: string;
  after: string;
  describe: string;
  written: boolean;
}

export async function lockFixes(
  targets: readonly Target[],
  data: RepoData,
  dryRun: boolean,
  cwd: string,
): Promise<{ results: LockFixResult[]; errors: string[] }> {
  const groups = new Map<string, { root: string; workflows: { target: Target; key: string }[] }>();
  for (const target of targets) {
    if (target.kind !== 'workflow' || target.virtual || target.path === STDIN_PATH) continue;
    const folder = workflowsFolderOf(target.path);
    if (!folder) continue;
    const group = groups.get(folder.lockPath) ?? { root: target.root, workflows: [] };
    group.workflows.push({ target, key: folder.key });
    groups.set(folder.lockPath, group);
  }
  const results: LockFixResult[] = [];
  const errors: string[] = [];
  for (const [lockPath, group] of groups) {
    const shown = relative(cwd, lockPath) || lockPath;
    let source: ConfinedFile;
    try {
      source = readFileWithin(group.root, lockPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') continue;
      errors.push(`${shown}: not read: ${error instanceof RefusedError ? error.message : String((error as Error)?.message ?? error)}`);
      continue;
    }
    if (!isValidUtf8(source.bytes)) continue;
    const before = decode(source.bytes).replace(/^\ufeff/, '');
    let text = before;
    const notes: string[] = [];
    for (const { target, key } of group.workflows) {
      if (!onboardedWorkflow(parseLockText(text), key)) continue;
      const read = readTargetOf(target);
      if (!read.ok || !('text' in read)) continue;
      const values = usesToLock(new ParsedFile(target.path, 'workflow', read.text), text, key);
      if (values.length === 0) continue;
      const plan = await planLock(data, text, key, values);
      if (plan.edits.length > 0) text = applyEdits(text, plan.edits);
      if (plan.edits.length > 0 || plan.problems.length > 0 || plan.refused) notes.push(`${key}: ${describePlan(plan)}`);
    }
    if (notes.length === 0) continue;
    if (text === before) {
      errors.push(`${shown}: ${notes.join('; ')}`);
      continue;
    }
    let written = false;
    if (!dryRun) {
      try {
        writeFileWithin(group.root, source, Buffer.from((hasUtf8Bom(source.bytes) ? '\ufeff' : '') + text, 'utf8'));
        written = true;
      } catch (error) {
        errors.push(
          `${shown}: cannot write the lock: ${error instanceof RefusedError ? error.message : String((error as Error)?.message ?? error)}`,
        );
        continue;
      }
    }
    results.push({ displayPath: shown, before, after: text, describe: notes.join('; '), written });
  }
  return { results, errors };
}
