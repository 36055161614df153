/**
 * Inputs of well-known actions whose value is run as code (a script, a command line, an expression) and
 * inputs of AI agent actions whose value becomes the agent's instructions. Each entry was checked against
 * the action's own `action.yml`/README: an input only appears here when the action evaluates it.
 * Deliberately absent: docker/build-push-action `context` (a path, zizmor#1705), addnab/docker-run-action
 * `options` (docker flags, not a script).
 */

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

export interface AgentAction {
  action: string;
  /** Inputs whose text becomes instructions to the model. */
  promptInputs: readonly string[];
  /** Inputs that let people without write access trigger the agent. */
  openAccessInputs: readonly string[];
  /** Inputs that widen the tools (shell, file writes) the agent may use. */
  toolInputs: readonly string[];
}

export const AGENT_ACTIONS: readonly AgentAction[] = [
  {
    action: 'anthropics/claude-code-action',
    promptInputs: ['prompt', 'direct_prompt', 'override_prompt', 'custom_instructions', 'claude_args', 'system_prompt', 'append_system_prompt'],
    openAccessInputs: ['allowed_non_write_users', 'allowed_bots'],
    toolInputs: ['allowed_tools', 'claude_args', 'settings'],
  },
  { action: 'anthropics/claude-code-base-action', promptInputs: ['prompt', 'system_prompt', 'append_system_prompt'], openAccessInputs: [], toolInputs: ['allowed_tools', 'claude_args', 'settings'] },
  // v1 spelt some inputs with underscores (`codex_args`, `safety_strategy`, `allow_bots`) and could skip its
  // write-access check with `require_repo_write: false` (openai/codex-action:action.yml@c25c004).
  {
    action: 'openai/codex-action',
    promptInputs: ['prompt', 'codex-args', 'codex_args'],
    openAccessInputs: ['allow-users', 'allow-bots', 'allow-bot-users', 'allow_bots', 'require_repo_write'],
    toolInputs: ['sandbox', 'safety-strategy', 'safety_strategy', 'codex-args', 'codex_args', 'permission-profile'],
  },
  { action: 'google-github-actions/run-gemini-cli', promptInputs: ['prompt'], openAccessInputs: [], toolInputs: ['settings'] },
  { action: 'actions/ai-inference', promptInputs: ['prompt', 'system-prompt'], openAccessInputs: [], toolInputs: ['enable-github-mcp'] },
  { action: 'github/copilot-swe-agent', promptInputs: ['prompt'], openAccessInputs: [], toolInputs: [] },
  { action: 'warpdotdev/warp-agent-action', promptInputs: ['prompt'], openAccessInputs: [], toolInputs: [] },
  { action: 'cursor/cursor-agent-action', promptInputs: ['prompt'], openAccessInputs: [], toolInputs: [] },
];

function lowerTarget(owner: string, repo: string, path: string | null): string {
  return `${owner}/${repo}${path ? `/${path}` : ''}`.toLowerCase();
}

export function codeSinkFor(owner: string, repo: string, path: string | null): CodeSink | undefined {
  const full = lowerTarget(owner, repo, path);
  const base = lowerTarget(owner, repo, null);
  return CODE_SINKS.find((sink) => sink.action === full) ?? CODE_SINKS.find((sink) => sink.action === base);
}

export function agentActionFor(owner: string, repo: string, path: string | null): AgentAction | undefined {
  const full = lowerTarget(owner, repo, path);
  const base = lowerTarget(owner, repo, null);
  return AGENT_ACTIONS.find((agent) => agent.action === full) ?? AGENT_ACTIONS.find((agent) => agent.action === base);
}
