import { usesTarget } from '../parse/uses';
import type { Persona } from '../findings';
import type { Rule } from './types';

interface Superfluous {
  /** The command(s) that do the same; a function of the ref when the ref names what to install. */
  replacement: string | ((ref: string | null) => string);
  persona: Persona;
}

/** Actions that wrap a tool already on GitHub-hosted runners (gh, git, jq, yq, docker, the shell). */
const SUPERFLUOUS = new Map<string, Superfluous>([
  ['actions/create-release', { replacement: '`gh release create`', persona: 'regular' }],
  ['actions/upload-release-asset', { replacement: '`gh release upload`', persona: 'regular' }],
  ['softprops/action-gh-release', { replacement: '`gh release create` / `gh release upload`', persona: 'pedantic' }],
  ['ncipollo/release-action', { replacement: '`gh release create`', persona: 'pedantic' }],
  ['svenstaro/upload-release-action', { replacement: '`gh release upload`', persona: 'pedantic' }],
  ['andstor/file-existence-action', { replacement: '`test -e <path>` in a `run:` step', persona: 'regular' }],
  ['dcarbone/install-jq-action', { replacement: 'the preinstalled `jq`', persona: 'regular' }],
  ['sergeysova/jq-action', { replacement: 'the preinstalled `jq`', persona: 'regular' }],
  ['mikefarah/yq', { replacement: 'the preinstalled `yq`', persona: 'pedantic' }],
  ['juliangruber/read-file-action', { replacement: '`cat` into `$GITHUB_OUTPUT`', persona: 'regular' }],
  ['stefanzweifel/git-auto-commit-action', { replacement: '`git commit` and `git push`', persona: 'pedantic' }],
  ['endbug/add-and-commit', { replacement: '`git add`, `git commit` and `git push`', persona: 'pedantic' }],
  ['ad-m/github-push-action', { replacement: '`git push`', persona: 'pedantic' }],
  ['actions-ecosystem/action-add-labels', { replacement: '`gh issue edit --add-label` / `gh pr edit --add-label`', persona: 'pedantic' }],
  ['peter-evans/repository-dispatch', { replacement: '`gh api repos/{owner}/{repo}/dispatches`', persona: 'pedantic' }],
  ['benc-uk/workflow-dispatch', { replacement: '`gh workflow run`', persona: 'pedantic' }],
  [
    'actions-ecosystem/action-remove-labels',
    { replacement: '`gh issue edit --remove-label` / `gh pr edit --remove-label`', persona: 'pedantic' },
  ],
  // A composite of `rustup toolchain install` and `rustup default`; rustup is on every GitHub-hosted image.
  ['dtolnay/rust-toolchain', { replacement: RUSTUP, persona: 'pedantic' }],
  [
    'peter-evans/create-or-update-comment',
    { replacement: '`gh issue comment` / `gh pr comment` (`--edit-last` to update)', persona: 'pedantic' },
  ],
  ['peter-evans/find-comment', { replacement: "`gh api repos/{owner}/{repo}/issues/<n>/comments --jq '…'`", persona: 'pedantic' }],
  ['peter-evans/create-pull-request', { replacement: '`git switch -c`, `git commit`, `git push` and `gh pr create`', persona: 'pedantic' }],
  ['addnab/docker-run-action', { replacement: '`docker run <image> sh -c …` in a `run:` step', persona: 'regular' }],
  ['dacbd/create-issue-action', { replacement: '`gh issue create --title … --body …`', persona: 'pedantic' }],
  ['elgohr/github-release-action', { replacement: '`gh release create <tag> --title …`', persona: 'pedantic' }],
]);

/** `dtolnay/rust-toolchain@<toolchain>`: the two rustup commands, naming the toolchain when the ref is one. */
function RUSTUP(ref: string | null): string {
  const toolchain = ref && /^(stable|beta|nightly|1\.\d+(\.\d+)?)$/.test(ref) ? ref : '<toolchain>';
  return `\`rustup toolchain install ${toolchain} --profile minimal\` and \`rustup default ${toolchain}\``;
}

export const superfluousActions: Rule = {
  id: 'superfluous-actions',
  title: 'Action that a preinstalled tool replaces',
  kinds: ['workflow', 'action'],
  severity: 'informational',
  confidence: 'high',
  persona: 'regular',
  online: false,
  docs: {
    summary: 'A `uses:` pulls in third-party code for something `gh`, `git`, `jq`, `yq` or the shell on GitHub-hosted runners already do.',
    why: "Every action is code from another owner running with your job's token and secrets; each one is a place where a moved tag or hijacked account (tj-actions/changed-files and reviewdog in 2025) reaches you. A one-line `gh` or `git` command has no such supply chain.",
    fix: 'Replace the step with the command the message names (with `GH_TOKEN: ${{ github.token }}` in `env:` for `gh`).',
  },
  check({ file, report }) {
    for (const site of file.uses) {
      const reference = site.reference;
      if (reference.kind !== 'remote' || reference.subpath !== null) continue;
      const entry = SUPERFLUOUS.get(reference.repository.toLowerCase());
      if (!entry) continue;
      const end = reference.ref === null ? site.value.length : reference.refStart - 1;
      const span = site.exact ? { start: site.valueStart, end: site.valueStart + end } : site.entry.valueSpan;
      report({
        span,
        message: `\`${usesTarget(reference)}\` can be replaced by ${typeof entry.replacement === 'string' ? entry.replacement : entry.replacement(reference.ref)}, with no third-party code in the job`,
        persona: entry.persona,
      });
    }
  },
};
