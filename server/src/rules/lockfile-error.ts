import type { Rule } from './types';

export const lockfileError: Rule = {
  id: 'lockfile-error',
  title: 'actions.lock that GitHub refuses',
  kinds: ['lockfile'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary:
      "`.github/workflows/actions.lock` holds something GitHub's lockfile parser refuses: an unknown key, a missing or future `version`, an entry without its `ref`, `commit` or ids, a key that is not `owner/repo@ref`, a dangling or cyclic `uses:`.",
    why: 'The runner executes the commits the lock records; a lock it cannot read fails every onboarded workflow under enforcement, and a lock edited by hand (a `commit` that is not the SHA its key names, an id that is not a number) is the kind of change that slips a different commit into a review.',
    fix: 'Regenerate the lock with `gh actions-lock` rather than editing it by hand, or correct the token the finding points at.',
  },
  check({ file, report }) {
    for (const problem of file.lockfile?.problems ?? []) report({ span: problem.span, message: problem.message });
  },
};
