/**
 * Inputs of well-known actions whose value is run as code (a script, a command line, an expression). Each
 * entry was checked against the action's own `action.yml`/README: an input only appears here when the action
 * evaluates it. AI agent actions, whose inputs become instructions to a model, are in `agent-actions.ts`.
 * Deliberately absent: docker/build-push-action `context` (a path, zizmor#1705), addnab/docker-run-action
 * `options` (docker flags, not a script).
 */
import { findAction } from './action-lookup';

export type SinkLanguage = 'javascript' | 'shell' | 'pwsh' | 'python' | 'yq' | 'other';

export interface CodeSink {
  /** `owner/repo` (lowercase), optionally with a sub-path. */
  action: string;
  inputs: readonly string[];
  language: SinkLanguage;
}

export const CODE_SINKS: readonly CodeSink[] = [
  { action: 'actions/github-script', inputs: ['script'], language: 'javascript' },
  { action: 'cardinalby/js-eval-action', inputs: ['expression'], language: 'javascript' },
  { action: 'azure/cli', inputs: ['inlinescript'], language: 'shell' },
  { action: 'azure/powershell', inputs: ['inlinescript'], language: 'pwsh' },
  { action: 'amadevus/pwsh-script', inputs: ['script'], language: 'pwsh' },
  { action: 'jannekem/run-python-script-action', inputs: ['script'], language: 'python' },
  { action: 'mikefarah/yq', inputs: ['cmd'], language: 'yq' },
  { action: 'appleboy/ssh-action', inputs: ['script'], language: 'shell' },
  { action: 'garygrossgarten/github-action-ssh', inputs: ['command'], language: 'shell' },
  { action: 'addnab/docker-run-action', inputs: ['run'], language: 'shell' },
  { action: 'cloudflare/wrangler-action', inputs: ['command', 'precommands', 'postcommands'], language: 'shell' },
  { action: 'nick-fields/retry', inputs: ['command', 'on_retry_command'], language: 'shell' },
  { action: 'aws-actions/aws-cli', inputs: ['command'], language: 'shell' },
  { action: 'docker://', inputs: ['entrypoint', 'args'], language: 'other' },
];

export function codeSinkFor(owner: string, repo: string, path: string | null): CodeSink | undefined {
  return findAction(CODE_SINKS, owner, repo, path);
}
