/**
 * Actions documented as safe to run under `pull_request_target`: they act on the pull request through
 * the API (labels, title checks, comments) and never check out or execute the pull request's code.
 * A workflow whose every step uses one of them is the canonical safe use of the trigger. Lowercase
 * `owner/repo`, each with the source that documents the use.
 */
export interface TargetSafeAction {
  repository: string;
  source: string;
}

export const TARGET_SAFE_ACTIONS: readonly TargetSafeAction[] = [
  {
    repository: 'actions/labeler',
    source:
      'GitHub Docs, "Automatic token authentication" (its example workflow runs actions/labeler `on: pull_request_target`); the actions/labeler README reads its configuration from the base branch and does not check out the pull request',
  },
  {
    repository: 'amannn/action-semantic-pull-request',
    source: "the action's README (its example runs `on: pull_request_target`; it only reads the pull request title through the API)",
  },
];

const SAFE = new Set(TARGET_SAFE_ACTIONS.map((action) => action.repository));

/** True when `owner/repo` (any case) is documented as safe to run under `pull_request_target`. */
export function isTargetSafeAction(repository: string): boolean {
  return SAFE.has(repository.toLowerCase());
}
