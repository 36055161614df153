/**
 * The lock view of a file read through the API (remote scanning): the repository's actions.lock as read at the
 * same commit, from the files already fetched. Nothing is read from disk.
 */
import { ParsedFile } from '../parse/document';
import { parseLockText } from '../lockfile/read';
import { LOCKFILE_PATH } from '../lockfile/types';
import { available, unavailable, type LockView, type View } from '../views';
import type { Target } from './discover';
import type { VirtualFile } from './remote';

const sameRepository = (a: VirtualFile, b: VirtualFile): boolean =>
  a.origin.owner === b.origin.owner && a.origin.repo === b.origin.repo && a.origin.commit === b.origin.commit;

const textOf = (file: VirtualFile): string | undefined => ('text' in file.content ? file.content.text : undefined);

export function virtualLockView(file: VirtualFile, targets: readonly Target[], ownText?: string): View<LockView> {
  const siblings = targets.flatMap((target) => (target.virtual && sameRepository(target.virtual, file) ? [target.virtual] : []));
  if (file.repoPath === LOCKFILE_PATH) {
    const text = ownText ?? textOf(file);
    if (text === undefined) return unavailable('not-indexed');
    const parsed = new Map<string, ParsedFile | 'missing' | undefined>();
    return available({
      lock: parseLockText(text),
      workflowPath: null,
      workflow(path: string) {
        if (parsed.has(path)) return parsed.get(path);
        const sibling = siblings.find((candidate) => candidate.repoPath === path);
        const siblingText = sibling ? textOf(sibling) : undefined;
        const result = !sibling ? 'missing' : siblingText === undefined ? undefined : new ParsedFile(path, 'workflow', siblingText);
        parsed.set(path, result);
        return result;
      },
    });
  }
  if (!file.repoPath.startsWith('.github/workflows/') || file.repoPath.slice('.github/workflows/'.length).includes('/')) {
    return unavailable('not-indexed');
  }
  const lockFile = siblings.find((candidate) => candidate.repoPath === LOCKFILE_PATH);
  const lockText = lockFile ? textOf(lockFile) : undefined;
  if (lockText === undefined) return unavailable('not-indexed');
  return available({ lock: parseLockText(lockText), workflowPath: file.repoPath });
}
