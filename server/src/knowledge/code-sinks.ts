/**
 * Inputs of well-known actions whose value is run as code (a script, a command line, an expression). Each
 * entry was checked against the action's own `action.yml`/README: an input only appears here when the action
 * evaluates it. AI agent actions, whose inputs become instructions to a model, are in `agent-actions.ts`.
 * Deliberately absent: docker/build-push-action `context` (a path), addnab/docker-run-action `options`
 * (docker flags, not a script). The shell-script inputs of `script-inputs.ts` (ssh-action `script`,
 * run-on-arch-action `run`, vmactions `prepare`/`run`, ...) are sinks too, appended below.
 */
import { findAction } from './action-lookup';
import { SCRIPT_INPUTS } from './script-inputs';

export type SinkLanguage = 'javascript' | 'shell' | 'pwsh' | 'python' | 'yq' | 'other';

export interface CodeSink {
  /** `owner/repo` (lowercase), optionally with a sub-path. */
  action: string;
  inputs: readonly string[];
  language: SinkLanguage;
}

const OWN_SINKS: readonly CodeSink[] = [
  { action: 'actions/github-script', inputs: ['script'], language: 'javascript' },
  { action: 'cardinalby/js-eval-action', inputs: ['expression'], language: 'javascript' },
  { action: 'azure/cli', inputs: ['inlinescript'], language: 'shell' },
  { action: 'azure/powershell', inputs: ['inlinescript'], language: 'pwsh' },
  { action: 'amadevus/pwsh-script', inputs: ['script'], language: 'pwsh' },
  { action: 'jannekem/run-python-script-action', inputs: ['script'], language: 'python' },
  { action: 'mikefarah/yq', inputs: ['cmd'], language: 'yq' },
  { action: 'garygrossgarten/github-action-ssh', inputs: ['command'], language: 'shell' },
  { action: 'cloudflare/wrangler-action', inputs: ['command', 'precommands', 'postcommands'], language: 'shell' },
  { action: 'nick-fields/retry', inputs: ['command', 'on_retry_command'], language: 'shell' },
  { action: 'aws-actions/aws-cli', inputs: ['command'], language: 'shell' },
  { action: 'docker://', inputs: ['entrypoint', 'args'], language: 'other' },
  // tibdex/backport@v2.0.4 action.yml: `title_template` / `body_template` are "Lodash template[s]" for the
  // backport PR; lodash's `_.template` runs `<% %>` and `${ }` in them as JavaScript in the action's process.
  { action: 'tibdex/backport', inputs: ['title_template', 'body_template'], language: 'other' },
];

export const CODE_SINKS: readonly CodeSink[] = [
  ...OWN_SINKS,
  ...SCRIPT_INPUTS.map((entry): CodeSink => ({ action: entry.action, inputs: entry.inputs, language: 'shell' })),
];

export function codeSinkFor(owner: string, repo: string, path: string | null): CodeSink | undefined {
  return findAction(CODE_SINKS, owner, repo, path);
}
