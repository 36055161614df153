/**
 * AI agent actions: which inputs become the model's instructions, which let people without write access
 * trigger it, which change its tools, and what it does when none of them is set. Each entry names the
 * files it was read from, at the commit read (in the action's own repository unless another is named);
 * docs/rules/ai-agent-injection.md ("Sources") says what each of them established. How the tool and
 * access inputs are read per vendor is in `knowledge/agents/`.
 */
import { findAction } from './action-lookup';

/** What the agent may do besides answering: run any command, run some commands or edit files, or nothing. */
export type ToolLevel = 'shell' | 'limited' | 'none';

export interface AgentSource {
  /** A path in the action's repository, or `owner/repo:path` for another repository. */
  file: string;
  /** The commit of the file that was read. */
  commit: string;
}

export interface AgentAction {
  /** `owner/repo` (lowercase). */
  action: string;
  /** Inputs whose text becomes instructions to the model. */
  promptInputs: readonly string[];
  /** Inputs that let people without write access trigger the agent. */
  openAccessInputs: readonly string[];
  /** Inputs that widen (or narrow) the tools the agent may use. */
  toolInputs: readonly string[];
  /** It refuses to run for people without write access unless an access input says otherwise. */
  gated: boolean;
  /** What it may do when no tool input is set, and why. */
  tools: ToolLevel;
  toolsWhy: string;
  /** Without a prompt input it follows the instructions of the comment or issue that mentions it. */
  tagMode: boolean;
  /** What the entry was read from; empty when the action's source is not public (the entry is unverified). */
  sources: readonly AgentSource[];
}

const SHELL_AGENT = 'it is a coding agent with a shell';

export const AGENT_ACTIONS: readonly AgentAction[] = [
  {
    action: 'anthropics/claude-code-action',
    promptInputs: [
      'prompt',
      'direct_prompt',
      'override_prompt',
      'custom_instructions',
      'claude_args',
      'system_prompt',
      'append_system_prompt',
    ],
    openAccessInputs: ['allowed_non_write_users', 'allowed_bots'],
    toolInputs: ['allowed_tools', 'claude_args', 'settings'],
    gated: true,
    tools: 'limited',
    toolsWhy: 'by default it edits files and runs git commands',
    tagMode: true,
    sources: [
      { file: 'action.yml', commit: '103450edd930c700b0f2776f5466ca0d890ba3ee' },
      { file: 'action.yml', commit: '008284398f9706427970c06a406d9ebd6a1cecfa' },
      { file: 'src/entrypoints/run.ts', commit: '01fbf36bba6bc8685f4adae2f698beb218ec198c' },
      { file: 'src/github/validation/permissions.ts', commit: '0085208689431bbb354d99a595ef3687a8579f08' },
      { file: 'src/modes/detector.ts', commit: '0478993f8ca1d5fc2e5b669bebb55316bf1ec9c7' },
      { file: 'src/modes/tag/index.ts', commit: '09163babdc85cc88fb4a25bf78fd1b556433a68c' },
      { file: 'src/modes/agent/index.ts', commit: '0edbe188537bd908a0a8a9fc46c000f9312e0136' },
    ],
  },
  {
    action: 'anthropics/claude-code-base-action',
    promptInputs: ['prompt', 'system_prompt', 'append_system_prompt'],
    openAccessInputs: [],
    toolInputs: ['allowed_tools', 'claude_args', 'settings'],
    gated: false,
    tools: 'none',
    toolsWhy: 'by default it allows no edit or shell tool, so it only reads files',
    tagMode: false,
    sources: [
      { file: 'action.yml', commit: '005f1e447474821b1349e3a009dcefe91df03f98' },
      { file: 'action.yml', commit: '8208cd1dcb43ec256c6d3ac42f343998dccabd55' },
      { file: 'src/parse-sdk-options.ts', commit: '433d8156ab8f2c9ea48f770fbe8b97f9b5438006' },
      { file: 'src/run-claude.ts', commit: '03d620fb6efba6b8a805f4ad6b03213048e58524' },
    ],
  },
  {
    action: 'openai/codex-action',
    // v1 spelt some inputs with underscores (`codex_args`, `safety_strategy`, `allow_bots`) and could skip its
    // write-access check with `require_repo_write: false`.
    promptInputs: ['prompt', 'codex-args', 'codex_args'],
    openAccessInputs: ['allow-users', 'allow-bots', 'allow-bot-users', 'allow_bots', 'require_repo_write'],
    toolInputs: ['sandbox', 'safety-strategy', 'safety_strategy', 'codex-args', 'codex_args', 'permission-profile'],
    gated: true,
    tools: 'limited',
    toolsWhy: 'by default it runs commands in a workspace sandbox',
    tagMode: false,
    sources: [
      { file: 'action.yml', commit: '0006efa62261ffd5c7bb5131ff06a84cf849ed1c' },
      { file: 'action.yml', commit: 'c25c0044c719c55ce70bd35625ff9d40c8e199bc' },
      { file: 'src/checkActorPermissions.ts', commit: '2ab995e616515d214e6bbff0c66310822251d673' },
    ],
  },
  {
    action: 'google-github-actions/run-gemini-cli',
    promptInputs: ['prompt'],
    openAccessInputs: [],
    toolInputs: ['settings'],
    gated: false,
    tools: 'shell',
    toolsWhy:
      'it runs `gemini --yolo`, which approves every tool, `run_shell_command` included, unless `settings` lists the core tools or excludes `run_shell_command`',
    tagMode: false,
    sources: [
      { file: 'action.yml', commit: '8625910245fcc63a80f91cb677009073a5e13459' },
      { file: 'action.yml', commit: '0434cc5d3ee434057dab5ad830056a46906e886d' },
      { file: 'google-gemini/gemini-cli:docs/cli/configuration.md', commit: '175b3a1f3b3a9719b59d154baacf483b2e477c2b' },
      { file: 'google-gemini/gemini-cli:docs/trust-guidance.md', commit: '27a6f892f1ddfc1a58d6effb9cb0a78554bdfc49' },
    ],
  },
  {
    action: 'actions/ai-inference',
    promptInputs: ['prompt', 'system-prompt'],
    openAccessInputs: [],
    toolInputs: ['enable-github-mcp'],
    gated: false,
    tools: 'none',
    toolsWhy: 'it only returns text',
    tagMode: false,
    sources: [{ file: 'action.yml', commit: '6d144ac4747eb0bccee71c4746c3029357be1633' }],
  },
  {
    action: 'github/copilot-swe-agent',
    promptInputs: ['prompt'],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: 'shell',
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: [],
  },
  {
    action: 'warpdotdev/warp-agent-action',
    promptInputs: ['prompt'],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: 'shell',
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: [
      { file: 'action.yml', commit: '0362b73c621875dd1d45f1ef9a4f5c0447dcd7cf' },
      { file: 'src/index.ts', commit: '25615cf7b4b369d6e7657c2b73695e5075d4722b' },
      { file: 'README.md', commit: '0445aa77ed3568d78d02869ea16146c40d7d86f2' },
    ],
  },
  {
    action: 'cursor/cursor-agent-action',
    promptInputs: ['prompt'],
    openAccessInputs: [],
    toolInputs: [],
    gated: false,
    tools: 'shell',
    toolsWhy: SHELL_AGENT,
    tagMode: false,
    sources: [],
  },
];

/** The agent action a `uses:` names, by its full path first and then by its repository. */
export function agentActionFor(owner: string, repo: string, path: string | null): AgentAction | undefined {
  return findAction(AGENT_ACTIONS, owner, repo, path);
}
