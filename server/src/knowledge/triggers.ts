/**
 * What each workflow trigger runs with: who can fire it, which token it gets and whether secrets are
 * available. Source: GitHub Docs, "Events that trigger workflows" and "Automatic token authentication".
 */

export interface TriggerInfo {
  /** Who can make the workflow run. */
  firedBy: string;
  /** Token and secrets the run receives: one or two whole sentences, ending with a full stop. */
  privileges: string;
  /** True when someone without write access to the repository can fire it. */
  outsiderCanFire: boolean;
  /** True when the run has the base repository's secrets and a token that may write, even for outsiders. */
  privileged: boolean;
  /** A change of GitHub's behaviour worth knowing, with its date and source. */
  note?: string;
}

const PR_FROM_FORK = 'anyone who can open a pull request, including from a fork';

export const TRIGGERS: Record<string, TriggerInfo> = {
  pull_request_target: {
    firedBy: `${PR_FROM_FORK} (opened, synchronize, reopened by default)`,
    privileges:
      'The run is in the context of the **base** repository: it gets the repository secrets and a `GITHUB_TOKEN` that can write (unless `permissions:` narrows it), even when the pull request comes from a fork.',
    outsiderCanFire: true,
    privileged: true,
    note: "Since 2025-12-08 (GitHub changelog, 2025-11-07) the workflow file always comes from the **default branch**, whatever branch the pull request targets: a pull request against an old branch can no longer run an outdated, vulnerable copy of the workflow, and fixing the workflow on the default branch fixes it for every pull request. What it does not change: the run still has the secrets and a write token, and whatever the workflow checks out from the pull request (its code, scripts, `./` actions) and the pull request's title, body and branch name are still the contributor's, so running or expanding them is as dangerous as before.",
  },
  workflow_run: {
    firedBy: 'the completion of another workflow, which may itself have been started by a fork pull request',
    privileges:
      "The run is in the context of the default branch: it gets the repository secrets and a token that can write. Artifacts and outputs of the triggering run may carry an attacker's data.",
    outsiderCanFire: true,
    privileged: true,
  },
  pull_request: {
    firedBy: PR_FROM_FORK,
    privileges:
      'For a pull request from a fork, the run gets no secrets (except `GITHUB_TOKEN`) and a read-only token; for a branch of the same repository, it gets the secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: false,
  },
  issue_comment: {
    firedBy: 'anyone who can comment on an issue or pull request (on public repositories: any GitHub user)',
    privileges: 'The run is on the default branch: it gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  issues: {
    firedBy: 'anyone who can open or edit an issue (on public repositories: any GitHub user)',
    privileges: 'The run is on the default branch: it gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  discussion: {
    firedBy: 'anyone who can start a discussion',
    privileges: 'The run is on the default branch: it gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  discussion_comment: {
    firedBy: 'anyone who can comment on a discussion',
    privileges: 'The run is on the default branch: it gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  pull_request_review: {
    firedBy: 'anyone who can review a pull request',
    privileges: 'As for `pull_request`: for a pull request from a fork, the run gets no secrets and a read-only token.',
    outsiderCanFire: true,
    privileged: false,
  },
  pull_request_review_comment: {
    firedBy: 'anyone who can comment on a pull request diff',
    privileges: 'As for `pull_request`: for a pull request from a fork, the run gets no secrets and a read-only token.',
    outsiderCanFire: true,
    privileged: false,
  },
  fork: {
    firedBy: 'anyone who forks the repository',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  watch: {
    firedBy: 'anyone who stars the repository',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: true,
    privileged: true,
  },
  push: {
    firedBy: 'people and apps with write access who push commits or tags',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: false,
    privileged: true,
  },
  workflow_dispatch: {
    firedBy: 'people with write access, by hand or through the API',
    privileges: 'The run gets the repository secrets and the configured token permissions; whoever dispatches it chooses the inputs.',
    outsiderCanFire: false,
    privileged: true,
  },
  workflow_call: {
    firedBy: 'the workflows that call this one',
    privileges: "The run gets the caller's token permissions (which this workflow can only narrow) and the secrets the caller passes.",
    outsiderCanFire: false,
    privileged: false,
  },
  schedule: {
    firedBy: 'the scheduler, on the default branch',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: false,
    privileged: true,
  },
  release: {
    firedBy: 'people with write access who publish or edit releases',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: false,
    privileged: true,
  },
  repository_dispatch: {
    firedBy: 'anyone holding a token with write access to the repository, through the API',
    privileges: 'The run gets the repository secrets and the configured token permissions; the caller chooses `client_payload`.',
    outsiderCanFire: false,
    privileged: true,
  },
  merge_group: {
    firedBy: 'the merge queue, for pull requests that passed review',
    privileges: 'The run gets the repository secrets and the configured token permissions.',
    outsiderCanFire: false,
    privileged: true,
  },
};

export function triggerInfo(name: string): TriggerInfo | undefined {
  return Object.prototype.hasOwnProperty.call(TRIGGERS, name) ? TRIGGERS[name] : undefined;
}
