import { lockEntryKey, lockedEntryOf } from '../resolve/snapshot';
import type { Fix } from '../findings';
import { relockEdits } from '../lockfile/edits';
import type { Rule } from './types';

export const lockfileUnverified: Rule = {
  id: 'lockfile-unverified',
  title: 'actions.lock entry that GitHub does not confirm',
  kinds: ['lockfile'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: true,
  docs: {
    summary:
      'An entry of `.github/workflows/actions.lock` whose locked commit is reachable neither from its ref nor from any branch, whose repository or owner id is not the one recorded, whose ref moved since it was locked, or that could not be checked (online check).',
    why: "The lock is what the runner executes, so a wrong entry runs the wrong code with every check green: a commit pushed to a fork and written into the lock by hand (Chainguard's impostor commits, 2023), a tag rewritten to malicious code after locking (`tj-actions/changed-files`, CVE-2025-30066, shows tags do get rewritten), or a repository deleted and registered again under the same name (repo-jacking) all keep the key while changing what runs. GitHub's verifier fails closed on these; this rule says so while you edit.",
    fix: "For an unreachable commit or an id mismatch, find out where the entry came from before re-locking (`gh actions-lock`). For a ref that moved forward, re-lock (the quick fix writes the ref's current commit when its dependencies did not change).",
  },
  check({ file, online, report }) {
    if (!online.available) return;
    const snapshot = online.value;
    const lock = file.lockfile;
    if (!lock?.supported || !snapshot.lockVerifications) return;
    const text = file.text;
    for (const entry of lock.entries) {
      const locked = lockedEntryOf(entry);
      if (!locked) continue;
      const key = lockEntryKey(locked);
      const result = snapshot.lockVerifications.get(key);
      if (!result) continue;
      switch (result.status) {
        case 'ok':
          break;
        case 'unreachable':
        case 'identity-mismatch':
          report({ span: entry.keySpan, message: result.message });
          break;
        case 'inconclusive':
          report({
            span: entry.keySpan,
            severity: 'low',
            confidence: 'low',
            persona: 'auditor',
            message: `Inconclusive, not verified: ${result.message}`,
          });
          break;
        case 'moved': {
          if (!result.descendant) {
            report({ span: entry.keySpan, severity: 'medium', message: result.message });
            break;
          }
          const relock = snapshot.relocks?.get(key);
          report({
            span: entry.keySpan,
            severity: 'informational',
            message: result.message,
            fixes: (): Fix[] => {
              if (!relock?.ok) return [];
              const edits = relockEdits(text, entry, relock.value);
              return edits.length > 0
                ? [{ title: `Re-lock \`${entry.key}\` at ${relock.value.commit.slice(5, 17)}`, isPreferred: true, safety: 'unsafe', edits }]
                : [];
            },
          });
          break;
        }
      }
    }
  },
};
