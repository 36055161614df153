/**
 * The lock view of a file read through the API (remote scanning): the repository's actions.lock as read at the
 * same commit, from the files already fetched. Nothing is read from disk.
 */
import { ParsedFile } from '../parse/document';
import { parseLockText } from '../lockfile/read';
import { LOCKFILE_PATH, type Lockfile } from '../lockfile/types';
import { available, unavailable, type LockView, type View } from '../views';
import type { Target } from './discover';
import type { VirtualFile } from './remote';

const sameRepository = (a: VirtualFile, b: VirtualFile): boolean =>
  a.origin.owner === b.origin.owner && a.origin.repo === b.origin.repo && a.origin.commit === b.origin.commit;

const textOf = (file: VirtualFile): string | undefined => ('text' in file.content ? file.content.text : undefined);

/** Each repository's lock is parsed once, however many of its workflows read it. */
const parsedLocks = new WeakMap<VirtualFile, { text: string; lock: Lockfile }>();
function parsedLock(file: VirtualFile, text: string): Lockfile {
  const cached = parsedLocks.get(file);
  if (cached && cached.text === text) return cached.lock;
  const lock = parseLockText(text);
  parsedLocks.set(file, { text, lock });
  return lock;
}

export function virtualLockView(file: VirtualFile, targets: readonly Target[], ownText?: string): View<LockView> {
  const siblings = targets.flatMap((target) => (target.virtual && sameRepository(target.virtual, file) ? [target.virtual] : []));
  if (file.repoPath === LOCKFILE_PATH) {
    const text = ownText ?? textOf(file);
    if (text === undefined) return unavailable('not-indexed');
    const parsed = new Map<string, ParsedFile | 'missing' | undefined>();
    return available({
      lock: parsedLock(file, text),
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
  return available({ lock: parsedLock(lockFile as VirtualFile, lockText), workflowPath: file.repoPath });
}
