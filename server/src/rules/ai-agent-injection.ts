/**
 * `ai-agent-injection`: text that someone outside the project writes (an issue title, a comment, a pull
 * request body) reaching the prompt of an AI agent action, on a trigger that outsiders can fire. The
 * model cannot tell the workflow author's instructions from the attacker's, so the attacker steers an
 * agent that holds the job's token, its secrets and whatever tools the step allows (Cline, 2026).
 */
import { agentActionFor, type AgentAction } from '../knowledge/code-sinks';
import { assessSite, scopeOf, scopeTriggers, type LeafVerdict } from '../knowledge/taint';
import { triggerInfo } from '../knowledge/triggers';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { parseUses } from '../parse/uses';
import { stepKeysStart, type JobView, type StepView } from '../parse/views';
import { scalarText, type Entry } from '../parse/yaml-nodes';
import type { Confidence, RelatedSpan, Rule, Severity } from './types';
import { replaceExpressionFences, trimEndOf } from '../parse/strings';

/** What the agent may do besides answering: run any command, run some commands or edit files, or nothing. */
type ToolLevel = 'shell' | 'limited' | 'none';

interface AgentFacts {
  agent: AgentAction;
  repository: string;
  tools: ToolLevel;
  /** Why the tools are what they are ("`Bash` in `claude_args`"), with the span to point at. */
  toolsWhy: string;
  toolsSpan: Span | null;
  /** True when people without write access can make the agent run. */
  open: boolean;
  openWhy: string;
  openSpan: Span | null;
}

/**
 * Per action: whether it refuses to run for people without write access unless told otherwise, and
 * what it may do when no tool input is set. `narrowedBy`: an input value that replaces the default
 * tools (the tool inputs can then only raise them again).
 *
 * Checked against the actions' sources in the public GitHub index (file@commit as the index reported it):
 * - anthropics/claude-code-action: gated: src/entrypoints/run.ts@01fbf36bba6bc8685f4adae2f698beb218ec198c calls
 *   checkWritePermissions for issue / pull request / comment events and workflow_run and fails without write access
 *   (src/github/validation/permissions.ts@0085208689431bbb354d99a595ef3687a8579f08: collaborator permission admin or
 *   write; `allowed_non_write_users` skips it, and only when `github_token` is given); inputs `allowed_non_write_users`,
 *   `allowed_bots`, `prompt`, `claude_args`, `settings` default to "" in action.yml@103450edd930c700b0f2776f5466ca0d890ba3ee
 *   (v0 inputs `allowed_tools`, `direct_prompt`, `override_prompt`, `custom_instructions`:
 *   action.yml@008284398f9706427970c06a406d9ebd6a1cecfa). Tag mode without `prompt` (src/modes/detector.ts@0478993f8ca1d5fc2e5b669bebb55316bf1ec9c7)
 *   runs with `--permission-mode acceptEdits` and `Bash(git add/commit/rm:*)` plus a git push wrapper
 *   (src/modes/tag/index.ts@09163babdc85cc88fb4a25bf78fd1b556433a68c). With `prompt` (agent mode) it adds only the
 *   tools of `claude_args` (src/modes/agent/index.ts@0edbe188537bd908a0a8a9fc46c000f9312e0136); 'limited' is kept.
 * - anthropics/claude-code-base-action: no permission check and no access input (action.yml@005f1e447474821b1349e3a009dcefe91df03f98,
 *   action.yml@8208cd1dcb43ec256c6d3ac42f343998dccabd55); it passes no allowed tools and no permission mode unless
 *   `claude_args` / `allowed_tools` set them (src/parse-sdk-options.ts@433d8156ab8f2c9ea48f770fbe8b97f9b5438006,
 *   src/run-claude.ts@03d620fb6efba6b8a805f4ad6b03213048e58524), and the headless CLI denies whatever would ask
 *   (claude-code-action src/modes/tag/index.ts@09163bab…): read-only tools only, so 'none' (was 'limited', "edits files").
 * - openai/codex-action: gated: action.yml@0006efa62261ffd5c7bb5131ff06a84cf849ed1c always runs check-write-access
 *   (src/checkActorPermissions.ts@2ab995e616515d214e6bbff0c66310822251d673: admin, maintain or write; `allow-users: '*'`
 *   opens it); `sandbox` empty means `workspace-write`; inputs `prompt`, `prompt-file`, `codex-args`, `sandbox`,
 *   `safety-strategy`, `allow-users`, `allow-bots`, `allow-bot-users` exist there. Older v1
 *   (action.yml@c25c0044c719c55ce70bd35625ff9d40c8e199bc) spelt them `prompt_file`, `codex_args`, `safety_strategy`,
 *   `allow_bots` and could skip the check with `require_repo_write: false`.
 * - google-github-actions/run-gemini-cli: no permission check (action.yml@8625910245fcc63a80f91cb677009073a5e13459);
 *   it runs `gemini --yolo` (all tool calls approved; also action.yml@0434cc5d3ee434057dab5ad830056a46906e886d), and
 *   the CLI offers every core tool, `run_shell_command` included, unless settings list `coreTools`
 *   (google-gemini/gemini-cli:docs/cli/configuration.md@175b3a1f3b3a9719b59d154baacf483b2e477c2b;
 *   docs/trust-guidance.md@27a6f892f1ddfc1a58d6effb9cb0a78554bdfc49): 'shell' (was 'limited', "reads and edits files"),
 *   'limited' when `settings` lists the core tools (`coreTools`, or `tools.core` as in
 *   examples/workflows/issue-triage/gemini-triage.yml@1d10fa108872b620fc57b682a0b136bf63faf2cc).
 * - actions/ai-inference: no permission check; `enable-github-mcp` defaults to 'false'
 *   (action.yml@6d144ac4747eb0bccee71c4746c3029357be1633).
 * - warpdotdev/warp-agent-action: no permission check, no access input (action.yml@0362b73c621875dd1d45f1ef9a4f5c0447dcd7cf,
 *   src/index.ts@25615cf7b4b369d6e7657c2b73695e5075d4722b); its README@0445aa77ed3568d78d02869ea16146c40d7d86f2 has
 *   the agent run `git` and `gh`.
 * - github/copilot-swe-agent, cursor/cursor-agent-action: not in the index; unverified.
 *
 * Inputs read since (same index, file@commit):
 * - claude-code-action `allowed_non_write_users` opens the agent only with `github_token`: action.yml@103450ed passes
 *   `github_token` as OVERRIDE_GITHUB_TOKEN, run.ts@01fbf36b hands `!!OVERRIDE_GITHUB_TOKEN` to checkWritePermissions,
 *   and permissions.ts@00852086 skips the collaborator check only when that flag is true (its `'*'` branch also wants an
 *   acknowledgment argument that no caller in the index passes; not modelled).
 * - `settings` of claude-code-action / claude-code-base-action (base action.yml@005f1e44 has the input, INPUT_SETTINGS;
 *   @8208cd1d does not): a JSON string or a file path merged into ~/.claude/settings.json
 *   (claude-code-action base-action/src/setup-claude-code-settings.ts@f0f8a69aa72811ab3560babcef2ecbb772943ed0), whose
 *   `permissions.allow` / `permissions.deny` are tool lists (base-action/src/schemas/settings-schema.ts@9dcac96ecbbc2a0980e336940d25bc9a3db1394e)
 *   and `permissions.defaultMode` the starting permission mode (settings reference, as documented in the docs.rs crate
 *   claude-code-settings 0.1.0 src/permissions.rs). Rules are evaluated deny, then ask, then allow, and a bare tool name in
 *   `deny` (`Bash`) removes the tool from the agent's context altogether, so no mode brings it back; a scoped deny
 *   (`Bash(rm *)`) only blocks matching calls (code.claude.com/docs/zh-CN/permissions.md, the official page).
 *   `--disallowedTools` / `--disallowed-tools` in `claude_args` are the same deny list (base-action/src/parse-sdk-options.ts
 *   in claude-code-action, and claude-code-base-action src/parse-sdk-options.ts@52e47c8c7dd16292bead0bc36095b39adcefb8ab).
 * - codex-action `permission-profile` (action.yml@0006efa6, passed as --permission-profile; mutually exclusive with
 *   `sandbox` and with `safety-strategy: read-only` in scripts/validateActionInputs.mjs@8cac3ff1509c3414da7b0e17a04e21e3e2089df5):
 *   a built-in profile `:read-only` (commands read, never write), `:workspace` (writes inside the workspace roots) or
 *   `:danger-full-access` (no sandbox; `:danger-no-sandbox` in the Codex CLI source), or a profile named in
 *   `codex-home`'s config.toml, which this rule cannot read (docs/security.md@020e5e784b9d989a18a64ce9f90b9a0ab3dd1b59;
 *   developers.openai.com/codex/permissions).
 * - codex-action bots: `allow-bots: true` lets only trusted GitHub bots skip the check — `github-actions[bot]` in the
 *   current action.yml@0006efa6 and docs/security.md@020e5e78 (an intermediate src/checkActorPermissions.ts@2ab995e6 also
 *   trusted `dependabot[bot]`); before that (checkActorPermissions.ts@e9d0a69519d8d8ad9ab793f01cdc4f3d2985faad,
 *   src/main.ts@cc1eac4746bb01bb20bad03a213b1f261d6fd9d6, and v1 `allow_bots` in action.yml@c25c0044) any actor whose login
 *   ends in `[bot]` passed. CHANGELOG.md@4dd3309862ccf1932827ce740002d9b37844282f dates the change: v1.7 "restrict bot
 *   permission bypass", v1.8 "tighten what bots are allowed". `allow-bot-users` names bots one by one; `'*'` is refused
 *   and the check then rejects every actor (checkActorPermissions.ts@2ab995e6).
 * - run-gemini-cli writes `settings` to the project's .gemini/settings.json (action.yml@86259102); `excludeTools` (or
 *   `tools.exclude`) listing the bare `run_shell_command` blocks every shell command and wins over the core list, while
 *   `run_shell_command(cmd)` there only blocks a command prefix, which the CLI calls no security mechanism
 *   (gemini-cli docs/tools/shell.md@1a722c50b912ea91dc52119827b81fba4c7a7fc2, docs/cli/configuration.md@175b3a1f).
 *   With the shell excluded, `--yolo` still approves the file-writing tools: 'limited'.
 *
 * Follow-ups read since (same index, file@commit unless said otherwise):
 * - codex-action read-only settings. `sandbox` takes `read-only`, `workspace-write` or `danger-full-access`
 *   (action.yml@0006efa6; the same three in v1 action.yml@c25c0044). The safety strategy `read-only` runs Codex "in a
 *   sandbox that can read any file on disk, but cannot write to disk or access the network", still as the runner's
 *   default user, which may keep sudo, so the action itself warns Codex could read `openai-api-key` from memory and
 *   print it (action.yml@0006efa6). It is spelt per release: `safety-strategy: read-only` (src/main.ts toSafetyStrategy,
 *   stored version with hyphenated values, commit not reported) and, before v1.0, `safety_strategy: read_only`
 *   (action.yml@c25c0044, src/main.ts@00dca4774b6d5a1bfde8f9e02e03bfb5b7d75827); each accepts only its own spelling,
 *   exactly, and fails the run otherwise. The strategy replaces whatever `sandbox` asks: determineSandboxMode returns
 *   `read-only` for it (src/runCodexExec.ts@07db7939498e85828774328d99b5bdba42d7ce60 and @403d6d08111834a45019a1757eeb36a8d9377c19;
 *   the `read_only` era the same, stored versions without a reported commit), and scripts/validateActionInputs.mjs@8cac3ff1
 *   says "that strategy forces the legacy read-only sandbox". Codex still runs commands there, read-only: the same
 *   judgement as `permission-profile: ':read-only'` ('none'). `--sandbox` goes after `codex-args` on the command line
 *   (runCodexExec.ts@403d6d08); flags in `codex-args` that bypass the sandbox still raise the tools (the newest stored
 *   runCodexExec.ts refuses them with a read-only sandbox, older releases pass them on).
 * - Who counts as "anyone". codex-action: only the whole trimmed value `*` of `allow-users` approves every actor;
 *   anything else is a comma-separated list of logins compared case-insensitively, and a `*` inside a list matches
 *   nobody (src/checkActorPermissions.ts@2ab995e6; action.yml@0006efa6 "or '*' to allow all users").
 *   claude-code-action: only the whole trimmed `*` of `allowed_non_write_users`; anything else is a list of logins
 *   compared exactly (src/github/validation/permissions.ts@00852086, and every stored version of it). `all` and
 *   `everyone` are therefore one login each, not wildcards.
 * - claude_args splitting. base-action/src/parse-sdk-options.ts@1f6f79a38a2603ac2fac2b215674023e6e794d93 (SDK path),
 *   base-action/src/run-claude.ts@e8e8fdc051c3b0181ac63f2ae0699bff48fbff69 (CLI path) and claude-code-base-action
 *   src/parse-sdk-options.ts@52e47c8c run shell-quote's `parse` over `claude_args` and keep only the string tokens.
 *   shell-quote (ljharb/shell-quote parse.js@fcb2e1acd5312a1a1a4e6c66ec688aab383023b5, test/op.js@cb94c105a4e32fac2d356b956f53aff999ae88e8)
 *   returns an unquoted `(`, `)`, `|`, `&`, `;`, `<`, `>` as an operator object, a word with an unquoted `*` or `?` as
 *   a glob object, and ends the input at an unquoted `#`: so `--allowedTools Bash(git:*)` reaches Claude as
 *   `--allowedTools Bash`, any shell command, and `--disallowedTools Bash(rm:*)` denies the whole shell. Quoted values
 *   survive (base-action/test/parse-sdk-options.test.ts@5606b130699d1f4859b481e163295c38e97c5095), lines that are only a
 *   comment are removed first (same test file), and the `allowed_tools` input is split at commas only, never by
 *   shell-quote (parse-sdk-options.ts@1f6f79a3). claude-code-action pull request #1350 (merged 2026-05-23, "prevent
 *   shell-quote from collapsing unquoted Bash(X:*) rules to bare Bash") fixed it; Expensify/App pull request #93664 (a
 *   user, not the maintainers) reports the fix shipped in v1.0.149; the fixed source is not in the index.
 *   .github/workflows/release.yml@2565b54417a7f279f164a16fa7947a71eec832f7 moves `v1` to every v1.0.N release and gives
 *   claude-code-base-action the same tags. So: `@v1`, `@main` and v1.0.149 or later keep the parentheses; `@v0…`,
 *   `@beta` and v1.0.0 … v1.0.148 drop them; a commit SHA or any other ref cannot be dated, so the message says so.
 */
const DEFAULTS: Record<string, { gated: boolean; tools: ToolLevel; toolsWhy: string; tagMode?: boolean }> = {
  // Without `prompt`, claude-code-action follows the instructions of the comment or issue that mentions it.
  'anthropics/claude-code-action': { gated: true, tools: 'limited', toolsWhy: 'by default it edits files and runs git commands', tagMode: true },
  'anthropics/claude-code-base-action': { gated: false, tools: 'none', toolsWhy: 'by default it allows no edit or shell tool, so it only reads files' },
  'openai/codex-action': { gated: true, tools: 'limited', toolsWhy: 'by default it runs commands in a workspace sandbox' },
  'google-github-actions/run-gemini-cli': {
    gated: false,
    tools: 'shell',
    toolsWhy: 'it runs `gemini --yolo`, which approves every tool, `run_shell_command` included, unless `settings` lists the core tools or excludes `run_shell_command`',
  },
  'actions/ai-inference': { gated: false, tools: 'none', toolsWhy: 'it only returns text' },
  'github/copilot-swe-agent': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
  'warpdotdev/warp-agent-action': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
  'cursor/cursor-agent-action': { gated: false, tools: 'shell', toolsWhy: 'it is a coding agent with a shell' },
};

const CLAUDE_ACTIONS: ReadonlySet<string> = new Set(['anthropics/claude-code-action', 'anthropics/claude-code-base-action']);

const OUTSIDER_TRIGGERS_NOTE = 'issues, comments, pull requests, reviews and discussions';

/** What one tool input does to the agent's tools. */
interface ToolEffect {
  level: ToolLevel;
  why: string;
  span: Span;
  /** It comes from allowing the shell tool itself (`Bash`, `run_shell_command`): void when that tool is denied. */
  shellTool?: boolean;
  /** It turns permission checks off; a deny list still holds, so a denied shell leaves the other tools. */
  bypass?: boolean;
}

interface ToolReading {
  /** Replaces the action's default tools (effects can only raise them again). */
  base?: ToolEffect;
  effects: ToolEffect[];
  /** The shell tool is denied or excluded, whatever else allows it; `left` says what the agent keeps. */
  shellDenied?: { why: string; span: Span; left: string };
}

function withValue(step: StepView, name: string): { text: string; entry: Entry } | null {
  const entry = step.with.entries.find((candidate) => candidate.key.toLowerCase() === name.toLowerCase());
  if (!entry) return null;
  const text = scalarText(entry.value);
  return text === null ? null : { text, entry };
}

/** The tools a value grants, read as flags or a tool list (`claude_args`, `allowed_tools`, `sandbox`, …). */
function genericEffect(name: string, key: string, text: string, span: Span): ToolEffect | null {
  const input = `\`${key}\``;
  if (/--dangerously-skip-permissions|bypassPermissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b|"yolo"\s*:\s*true/i.test(text)) return { level: 'shell', why: `${input} turns off permission checks`, span, bypass: true };
  if (/danger-full-access/i.test(text)) return { level: 'shell', why: `${input} is \`danger-full-access\``, span };
  if ((name === 'safety-strategy' || name === 'safety_strategy') && /^\s*unsafe\s*$/i.test(text)) return { level: 'shell', why: `\`${key}: unsafe\``, span };
  if (/\bBash\b(?!\s*\()|\bBash\(\s*(?:\*\s*)?\)|\brun_shell_command\b(?!\s*\()|"ShellTool"/.test(text)) return { level: 'shell', why: `${input} allows any shell command (\`Bash\`)`, span, shellTool: true };
  if (/\bBash\s*\(|\brun_shell_command\s*\(/.test(text)) return { level: 'limited', why: `${input} allows some shell commands`, span, shellTool: true };
  if (/\b(Write|Edit|MultiEdit)\b|\bacceptEdits\b|workspace-write|enable-github-mcp|^\s*true\s*$/.test(text)) return { level: 'limited', why: `${input} allows tools`, span };
  return null;
}

/**
 * Splits a command line at blanks, removing quotes (no expansions): how claude-code-action v1.0.149 and later read
 * `claude_args`, unquoted parentheses included. Not knowledge/shell.ts `parseShell`: there `(` opens a subshell, which
 * would cut `Bash(rm:*)` into a bare `Bash`; for the releases that do that, see `shellQuoteWords`.
 */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: string | null = null;
  for (const ch of text) {
    if (quote !== null) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += ch;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** A word of `claude_args` as releases before v1.0.149 pass it on. */
interface ArgWord {
  text: string;
  /** Where the word ends in the input. */
  end: number;
  /** An unquoted `(` ended the word: `Bash(git:*)` became `Bash`. */
  beforeParen: boolean;
}

/** A line of `claude_args` that is only a comment: the action drops it before splitting. */
const COMMENT_LINE = /^[ \t]*#.*$/gm;

/** Index of the quote that closes the one at `open`, -1 when none does (`\"` inside does not close). */
function closingQuote(text: string, open: number): number {
  const quote = text[open];
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === quote) i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/**
 * The string tokens of shell-quote's `parse`, which claude-code-action before v1.0.149 passes on as `claude_args`:
 * an unquoted `(`, `)`, `|`, `&`, `;`, `<` or `>` ends a word and is dropped, a word with an unquoted `*` or `?` is a
 * glob and dropped, an unquoted `#` ends the input, and a quote never closed is skipped. Lines that are only a comment
 * are removed first, as the action does. `${{ }}` stays inside its word (the runner replaces it before the action reads it).
 */
function shellQuoteWords(text: string): ArgWord[] {
  const source = text.replace(COMMENT_LINE, (line) => ' '.repeat(line.length));
  const words: ArgWord[] = [];
  let word = '';
  let start = -1;
  let glob = false;
  const finish = (at: number, beforeParen = false) => {
    if (start >= 0 && !glob) words.push({ text: word, end: at, beforeParen });
    word = '';
    start = -1;
    glob = false;
  };
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (source.startsWith('${{', i)) {
      const close = source.indexOf('}}', i);
      const stop = close < 0 ? source.length : close + 2;
      if (start < 0) start = i;
      word += source.slice(i, stop);
      i = stop - 1;
    } else if (/\s/.test(ch)) finish(i);
    else if ('|&;()<>'.includes(ch)) finish(i, ch === '(');
    else if (ch === '#') {
      finish(i);
      break;
    } else if (ch === '"' || ch === "'") {
      const close = closingQuote(source, i);
      if (close < 0) continue;
      if (start < 0) start = i;
      const inner = source.slice(i + 1, close);
      word += ch === "'" ? inner : inner.replace(/\\(["\\$])/g, '$1');
      i = close;
    } else {
      if (start < 0) start = i;
      if (ch === '\\') {
        // An escaped `*` still makes a glob in shell-quote; a `\` before a line break leaves an empty word.
        const next = source[i + 1];
        if (next === undefined || next === '\n' || next === '\r') continue;
        if (next === '*' || next === '?') glob = true;
        word += next;
        i++;
      } else {
        if (ch === '*' || ch === '?') glob = true;
        word += ch;
      }
    }
  }
  finish(source.length);
  return words;
}

/** Splits a tool list (`Bash,Read` or `Bash(git log:*) Edit`) at commas and blanks outside parentheses. */
function toolList(values: readonly string[]): string[] {
  const tools: string[] = [];
  for (const value of values) {
    let depth = 0;
    let current = '';
    for (const ch of value) {
      if (ch === '(') depth++;
      else if (ch === ')') depth = Math.max(0, depth - 1);
      if (depth === 0 && (ch === ',' || /\s/.test(ch))) {
        if (current.trim()) tools.push(current.trim());
        current = '';
      } else current += ch;
    }
    if (current.trim()) tools.push(current.trim());
  }
  return tools;
}

const BARE_BASH = /^Bash(\(\s*(?:\*\s*)?\))?$/;
const BARE_GEMINI_SHELL = /^(run_shell_command|ShellTool)$/;
const GEMINI_SHELL_PREFIX = /^(run_shell_command|ShellTool)\s*\(/;

/** A settings value as a JSON object; `${{ }}` expressions count as values. Null for a file path or broken JSON. */
function jsonObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(replaceExpressionFences(trimmed, '0'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function objectAt(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function stringsAt(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string').map((item) => item.trim()) : null;
}

/**
 * Where the value of the first `"key"` followed by `:` and `opener` (after optional white space) starts, or -1:
 * a scan for `"key"\s*:\s*<opener>` that looks at each character a bounded number of times.
 */
function valueAfterKey(text: string, key: string, opener: string): number {
  const needle = `"${key}"`;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    let i = at + needle.length;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== ':') continue;
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] === opener) return i + 1;
  }
  return -1;
}

/** `"key": [ "a", "b" ]` found anywhere in text that does not parse as JSON (the first such list). */
function looseList(text: string, key: string): string[] | null {
  const start = valueAfterKey(text, key, '[');
  if (start === -1) return null;
  const close = text.indexOf(']', start);
  // A later `"key": [` has no `]` after it either.
  if (close === -1) return null;
  return quotedStrings(text.slice(start, close)).map((item) => item.trim());
}

const isLineBreak = (ch: string) => ch === '\n' || ch === '\r' || ch === '\u2028' || ch === '\u2029';

/**
 * The contents of the double-quoted strings in `text` (`\` escapes the next character, except a line
 * break), in one pass. A string that never closes ends the search at the point where it failed: every `"`
 * before that point was escaped, and reading from it would fail there again.
 */
export function quotedStrings(text: string): string[] {
  const found: string[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    if (open === -1) return found;
    let i = open + 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] !== '\\') i++;
      else if (i + 1 < text.length && !isLineBreak(text[i + 1])) i += 2;
      else break;
    }
    if (i < text.length && text[i] === '"') {
      found.push(text.slice(open + 1, i));
      from = i + 1;
    } else {
      from = Math.max(i, open + 1);
    }
  }
}

function looseString(text: string, key: string): string | null {
  const start = valueAfterKey(text, key, '"');
  if (start === -1) return null;
  const close = text.indexOf('"', start);
  return close === -1 ? null : text.slice(start, close);
}

function quoteList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}

/** claude-code-action / claude-code-base-action `settings`: `permissions.allow`, `.deny` and `.defaultMode`. */
function readClaudeSettings(key: string, text: string, span: Span): ToolReading {
  const settings = jsonObject(text);
  const loose = settings === null && text.trim().startsWith('{');
  if (!settings && !loose) return { effects: [] }; // a file path: its content is not in the workflow
  const permissions = settings ? objectAt(settings.permissions) : null;
  const allow = (settings ? stringsAt(permissions?.allow) : looseList(text, 'allow')) ?? [];
  const deny = (settings ? stringsAt(permissions?.deny) : looseList(text, 'deny')) ?? [];
  const modeValue = settings ? permissions?.defaultMode : looseString(text, 'defaultMode');
  const mode = typeof modeValue === 'string' ? modeValue : null;
  const input = `\`${key}\``;
  const effects: ToolEffect[] = [];
  const anyBash = allow.filter((tool) => BARE_BASH.test(tool));
  const someBash = allow.filter((tool) => /^Bash\s*\(/.test(tool) && !BARE_BASH.test(tool));
  const edits = allow.filter((tool) => /^(Write|Edit|MultiEdit|NotebookEdit)\b/.test(tool));
  if (anyBash.length > 0) effects.push({ level: 'shell', why: `${input} allows any shell command (${quoteList(anyBash)} in \`permissions.allow\`)`, span, shellTool: true });
  if (someBash.length > 0) effects.push({ level: 'limited', why: `${input} allows some shell commands (${quoteList(someBash)} in \`permissions.allow\`)`, span, shellTool: true });
  if (edits.length > 0) effects.push({ level: 'limited', why: `${input} allows file edits (${quoteList(edits)} in \`permissions.allow\`)`, span });
  if (mode === 'bypassPermissions') effects.push({ level: 'shell', why: `${input} sets \`permissions.defaultMode: bypassPermissions\`, which turns off permission checks`, span, bypass: true });
  else if (mode === 'acceptEdits') effects.push({ level: 'limited', why: `${input} sets \`permissions.defaultMode: acceptEdits\`, which approves file edits`, span });
  const deniedBash = deny.find((tool) => BARE_BASH.test(tool));
  const shellDenied = deniedBash ? { why: `${input} denies \`${deniedBash}\` (\`permissions.deny\`)`, span, left: ', so it runs no shell command' } : undefined;
  return { effects, shellDenied };
}

/** How a Claude action at a ref splits `claude_args`: dropping unquoted parentheses (before v1.0.149), keeping them, or unknown. */
type ClaudeArgsSplit = 'drops' | 'keeps' | 'unknown';

function claudeArgsSplit(ref: string | null): ClaudeArgsSplit {
  const name = (ref ?? '').trim();
  // `v1` moves to every v1.0.N release (release.yml); `main` is the newest source.
  if (/^(v1|main)$/i.test(name)) return 'keeps';
  if (/^(v0(\.\d+)*|beta)$/i.test(name)) return 'drops';
  const version = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(name);
  if (!version) return 'unknown';
  const [major, minor, patch] = version.slice(1).map(Number);
  return major > 1 || (major === 1 && (minor > 0 || patch >= 149)) ? 'keeps' : 'drops';
}

/** `Bash(…)` as written, when an unquoted `(` cut the word down to a bare `Bash` (last in a `View,Bash(…)` list); else null. */
function cutBash(text: string, word: ArgWord): string | null {
  if (!word.beforeParen || word.text.split(',').pop()!.trim() !== 'Bash') return null;
  const close = text.indexOf(')', word.end);
  const lineEnd = text.indexOf('\n', word.end);
  const stop = close >= 0 && (lineEnd < 0 || close < lineEnd) ? close + 1 : word.end + 1;
  return `Bash${text.slice(word.end, stop)}`;
}

/** A bare `Bash` written as such in the word (not one left by a cut `Bash(…)`). */
function plainBareBash(word: ArgWord): boolean {
  const tools = word.text.split(',');
  return tools.some((tool, index) => BARE_BASH.test(tool.trim()) && !(word.beforeParen && index === tools.length - 1));
}

/** Separates the values of `--disallowedTools` / `--disallowed-tools` from the other words (indexes into `words`). */
function splitDenied(words: readonly string[], emptyEndsFlag: boolean): { kept: number[]; denied: number[]; inline: string[] } {
  const kept: number[] = [];
  const denied: number[] = [];
  const inline: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const match = /^--disallowed-?tools(?:=(.*))?$/i.exec(words[i]);
    if (!match) {
      kept.push(i);
      continue;
    }
    if (match[1] !== undefined) inline.push(match[1]);
    // shell-quote leaves an empty word for `\` before a line break: the action then reads the flag as having no value.
    else if (emptyEndsFlag && words[i + 1] === '') continue;
    else while (i + 1 < words.length && !words[i + 1].startsWith('--')) denied.push(++i);
  }
  return { kept, denied, inline };
}

/**
 * Claude `claude_args`: `--disallowedTools` values are a deny list, the rest is read as flags and tool lists. Releases
 * before v1.0.149 split it with shell-quote, which drops unquoted parentheses: `Bash(git:*)` becomes `Bash`.
 */
function readClaudeArgs(name: string, key: string, text: string, span: Span, ref: string | null): ToolReading {
  const split = claudeArgsSplit(ref);
  const at = ref ? `\`@${ref}\`` : 'this reference';
  const dropped = shellQuoteWords(text);
  const droppedParts = splitDenied(dropped.map((word) => word.text), true);
  const cutAllowed = droppedParts.kept.map((index) => cutBash(text, dropped[index])).filter((tool): tool is string => tool !== null);
  if (split === 'drops') {
    const kept = droppedParts.kept.map((index) => dropped[index]);
    const denied = droppedParts.denied.map((index) => dropped[index]);
    let effect = genericEffect(name, key, kept.map((word) => word.text).join(' '), span);
    if (effect?.shellTool && effect.level === 'shell' && cutAllowed.length > 0 && !kept.some(plainBareBash)) {
      effect = {
        ...effect,
        why: `\`${key}\` allows any shell command: releases before v1.0.149 (this step uses ${at}) split \`claude_args\` like a shell and drop unquoted parentheses, so ${quoteList(cutAllowed)} reaches Claude as a bare \`Bash\`; write it quoted, \`"${cutAllowed[0]}"\``,
      };
    }
    const deniedBash = toolList([...denied.map((word) => word.text), ...droppedParts.inline]).find((tool) => BARE_BASH.test(tool));
    let shellDenied: ToolReading['shellDenied'];
    if (deniedBash) {
      const cut = denied.map((word) => cutBash(text, word)).filter((tool): tool is string => tool !== null);
      const why =
        cut.length > 0 && !denied.some(plainBareBash) && !droppedParts.inline.some((value) => toolList([value]).some((tool) => BARE_BASH.test(tool)))
          ? `\`${key}\` denies \`Bash\` (\`--disallowedTools\`): releases before v1.0.149 (this step uses ${at}) drop the unquoted parentheses of ${quoteList(cut)}, so the whole shell is denied`
          : `\`${key}\` denies \`${deniedBash}\` (\`--disallowedTools\`)`;
      shellDenied = { why, span, left: ', so it runs no shell command' };
    }
    return { effects: effect ? [effect] : [], shellDenied };
  }

  // The action removes the lines that are only a comment before it splits the rest.
  const uncommented = text.replace(COMMENT_LINE, '');
  const words = shellWords(uncommented);
  const parts = splitDenied(words, false);
  const denied = [...parts.denied.map((index) => words[index]), ...parts.inline];
  let effect = genericEffect(name, key, denied.length === 0 ? uncommented : parts.kept.map((index) => words[index]).join(' '), span);
  if (split === 'unknown' && effect?.shellTool && effect.level === 'limited' && cutAllowed.length > 0) {
    effect = {
      ...effect,
      why: `${effect.why}, but ${at} cannot be dated: releases before v1.0.149 drop the unquoted parentheses of ${quoteList(cutAllowed)} and so allow any shell command; write it quoted, \`"${cutAllowed[0]}"\``,
    };
  }
  const deniedBash = toolList(denied).find((tool) => BARE_BASH.test(tool));
  const shellDenied = deniedBash ? { why: `\`${key}\` denies \`${deniedBash}\` (\`--disallowedTools\`)`, span, left: ', so it runs no shell command' } : undefined;
  return { effects: effect ? [effect] : [], shellDenied };
}

/** run-gemini-cli `settings`: the core tool list (`coreTools`, `tools.core`) and the exclusions (`excludeTools`, `tools.exclude`). */
function readGeminiSettings(key: string, text: string, span: Span): ToolReading {
  const settings = jsonObject(text);
  if (!settings && !text.trim().startsWith('{')) return { effects: [] };
  const tools = settings ? objectAt(settings.tools) : null;
  const coreFlat = settings ? stringsAt(settings.coreTools) : looseList(text, 'coreTools');
  const coreNested = settings ? stringsAt(tools?.core) : looseList(text, 'core');
  const core = coreFlat ?? coreNested;
  const coreKey = coreFlat ? 'coreTools' : 'tools.core';
  const excluded = [
    ...((settings ? stringsAt(settings.excludeTools) : looseList(text, 'excludeTools')) ?? []),
    ...((settings ? stringsAt(tools?.exclude) : looseList(text, 'exclude')) ?? []),
  ];
  const input = `\`${key}\``;
  const reading: ToolReading = { effects: [] };
  if (core) {
    reading.base = { level: 'limited', why: `${input} limits its core tools (\`${coreKey}\`)`, span };
    const anyShell = core.filter((tool) => BARE_GEMINI_SHELL.test(tool));
    const someShell = core.filter((tool) => GEMINI_SHELL_PREFIX.test(tool));
    if (anyShell.length > 0) reading.effects.push({ level: 'shell', why: `${input} lists ${quoteList(anyShell)} among its core tools (\`${coreKey}\`): any shell command`, span, shellTool: true });
    else if (someShell.length > 0) reading.effects.push({ level: 'limited', why: `${input} allows some shell commands (${quoteList(someShell)} in \`${coreKey}\`)`, span, shellTool: true });
  }
  const excludedShell = excluded.find((tool) => BARE_GEMINI_SHELL.test(tool));
  if (excludedShell) {
    const flatExcluded = settings ? stringsAt(settings.excludeTools) : looseList(text, 'excludeTools');
    const where = flatExcluded?.includes(excludedShell) ? 'excludeTools' : 'tools.exclude';
    reading.shellDenied = { why: `${input} excludes \`${excludedShell}\` (\`${where}\`)`, span, left: ', but `gemini --yolo` still approves its other tools, file writes included' };
  }
  return reading;
}

/** codex-action `permission-profile`: a built-in profile (`:read-only`, `:workspace`, `:danger-full-access`) or a named one. */
function readCodexProfile(key: string, text: string, span: Span, home: string | null): ToolReading {
  const profile = text.trim();
  if (profile === '' || profile.includes('${{')) return { effects: [] };
  const shown = `\`${key}: '${profile}'\``;
  if (profile === ':read-only') return { base: { level: 'none', why: `${shown} lets the commands it runs read files but not write them or reach the network`, span }, effects: [] };
  if (profile === ':workspace') return { effects: [{ level: 'limited', why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (profile === ':danger-full-access' || profile === ':danger-no-sandbox') return { effects: [{ level: 'shell', why: `${shown} runs its commands without a sandbox`, span }] };
  const where = home && home.trim() !== '' && !home.includes('${{') ? `\`${trimEndOf(home.trim(), '/')}/config.toml\` (\`codex-home\`)` : "the Codex home's `config.toml`";
  return { effects: [{ level: 'limited', why: `${shown} is a profile defined in ${where}, which this check cannot read: it decides what the commands may do`, span }] };
}

const CODEX_READ_ONLY_STRATEGY: Record<string, string> = { 'safety-strategy': 'read-only', safety_strategy: 'read_only' };

/** True when the step sets codex-action's read-only safety strategy, spelt as its input's release accepts it (another spelling fails the run). */
function codexReadOnlyStrategy(step: StepView): boolean {
  return Object.entries(CODEX_READ_ONLY_STRATEGY).some(([name, value]) => withValue(step, name)?.text.trim() === value);
}

/** codex-action `safety-strategy` / `safety_strategy`: `read-only` (`read_only`) forces a read-only sandbox; `unsafe` is a shell. */
function readCodexSafety(name: string, key: string, text: string, span: Span): ToolReading {
  if (text.trim() === CODEX_READ_ONLY_STRATEGY[name]) {
    const why = `\`${key}: ${text.trim()}\` runs Codex in a read-only sandbox whatever \`sandbox\` says: its commands read files but cannot write them or reach the network (the action warns that Codex keeps the runner's sudo and could print \`openai-api-key\`)`;
    return { base: { level: 'none', why, span }, effects: [] };
  }
  const effect = genericEffect(name, key, text, span);
  return { effects: effect ? [effect] : [] };
}

/** codex-action `sandbox`: the mode Codex runs its commands in, unless the read-only safety strategy replaces it. */
function readCodexSandbox(step: StepView, key: string, text: string, span: Span): ToolReading {
  if (codexReadOnlyStrategy(step)) return { effects: [] };
  const mode = text.trim();
  const shown = `\`${key}: ${mode}\``;
  if (mode === 'read-only') return { base: { level: 'none', why: `${shown} lets the commands it runs read files but not write them or reach the network`, span }, effects: [] };
  if (mode === 'workspace-write') return { effects: [{ level: 'limited', why: `${shown} lets the commands it runs write inside the workspace`, span }] };
  if (mode === 'danger-full-access') return { effects: [{ level: 'shell', why: `${shown} runs its commands without a sandbox`, span }] };
  const effect = genericEffect('sandbox', key, text, span);
  return { effects: effect ? [effect] : [] };
}

function readToolInput(step: StepView, action: string, ref: string | null, name: string, key: string, text: string, span: Span): ToolReading {
  if (CLAUDE_ACTIONS.has(action) && name === 'settings') return readClaudeSettings(key, text, span);
  if (CLAUDE_ACTIONS.has(action) && name === 'claude_args') return readClaudeArgs(name, key, text, span, ref);
  if (action === 'google-github-actions/run-gemini-cli' && name === 'settings') return readGeminiSettings(key, text, span);
  if (action === 'openai/codex-action' && name === 'permission-profile') return readCodexProfile(key, text, span, withValue(step, 'codex-home')?.text ?? null);
  if (action === 'openai/codex-action' && (name === 'safety-strategy' || name === 'safety_strategy')) return readCodexSafety(name, key, text, span);
  if (action === 'openai/codex-action' && name === 'sandbox') return readCodexSandbox(step, key, text, span);
  const effect = genericEffect(name, key, text, span);
  return { effects: effect ? [effect] : [] };
}

/**
 * A list of logins given to `allow-users` / `allowed_non_write_users`: only they skip the write-access check. Both
 * actions take only the whole value `*` for everyone; `*` inside a list, `all` or `everyone` is just a login.
 */
function namedUsersWhy(shown: string, text: string): string {
  const entries = text.split(',').map((user) => user.trim()).filter((user) => user !== '');
  const users = entries.filter((user) => user !== '*');
  const who = users.length === 0 ? 'lets no one' : `lets only ${users.length === 1 ? 'the user' : 'the users'} ${quoteList(users)}`;
  const wildcardLike = entries.includes('*') || users.some((user) => /^(all|everyone|anyone)$/i.test(user));
  return `${shown} ${who} skip the write-access check; everyone else still needs write access${wildcardLike ? " (only the whole value `'*'` means everyone)" : ''}`;
}

/** codex-action: who `allow-bots` / `allow_bots: true` lets past the write-access check, by release. */
function codexBotsWhy(name: string, key: string, text: string, ref: string | null): string {
  const minor = /^v?1\.(\d+)(?:\.\d+)*$/.exec(ref ?? '')?.[1];
  const anyBot = 'lets any account whose login ends in `[bot]` (GitHub Apps, Dependabot) skip the write-access check';
  if (name === 'allow_bots') return `\`${key}: ${text}\` ${anyBot}`;
  if (minor !== undefined && Number(minor) < 7) return `\`${key}: ${text}\` ${anyBot} (openai/codex-action before v1.7)`;
  return `\`${key}: ${text}\` lets only \`github-actions[bot]\` (events made by this repository's own workflows) skip the write-access check; other bots still need write access (releases before v1.7 let any \`[bot]\` account through)`;
}

/** Reads the tool and access settings of an agent step. */
function agentFacts(step: StepView, agent: AgentAction, repository: string, ref: string | null, file: ParsedFile, job: JobView | null): AgentFacts {
  const defaults = DEFAULTS[agent.action] ?? { gated: false, tools: 'limited' as ToolLevel, toolsWhy: 'it is an agent' };
  let tools = defaults.tools;
  let toolsWhy = defaults.toolsWhy;
  let toolsSpan: Span | null = null;
  // True once an input raised the tools; until then an input at the same level may still explain them.
  let raised = false;

  const readings: ToolReading[] = [];
  for (const name of agent.toolInputs) {
    const value = withValue(step, name);
    if (value) readings.push(readToolInput(step, agent.action, ref, name, value.entry.key, value.text, value.entry.valueSpan));
  }
  for (const reading of readings) {
    if (!reading.base) continue;
    tools = reading.base.level;
    toolsWhy = reading.base.why;
    toolsSpan = reading.base.span;
  }
  const shellDenied = readings.find((reading) => reading.shellDenied)?.shellDenied;
  const rank = { none: 0, limited: 1, shell: 2 };
  for (const effect of readings.flatMap((reading) => reading.effects)) {
    let { level, why } = effect;
    if (shellDenied && effect.shellTool) continue;
    if (shellDenied && effect.bypass && level === 'shell') {
      level = 'limited';
      why = `${why}, but ${shellDenied.why}`;
    }
    if (rank[level] > rank[tools] || (!raised && rank[level] === rank[tools] && level !== 'none')) {
      tools = level;
      toolsWhy = why;
      toolsSpan = effect.span;
      raised = true;
    }
  }
  if (shellDenied && tools === 'shell') {
    tools = 'limited';
    toolsWhy = `${shellDenied.why}${shellDenied.left}`;
    toolsSpan = shellDenied.span;
  }

  let open = false;
  let openWhy = '';
  let openSpan: Span | null = null;
  for (const name of agent.openAccessInputs) {
    const value = withValue(step, name);
    if (!value) continue;
    const text = value.text.trim();
    const key = value.entry.key;
    const span = value.entry.valueSpan;
    if (name === 'require_repo_write') {
      // codex-action v1: `false` skips the check of the actor's write access.
      if (/^false$/i.test(text)) {
        open = true;
        openWhy = `\`${key}: ${text}\` lets anyone trigger it`;
        openSpan = span;
      }
    } else if (name === 'allowed_non_write_users') {
      // claude-code-action skips its write-access check for these users only when `github_token` is given; only the
      // whole value `*` means everyone, anything else names logins.
      const token = withValue(step, 'github_token');
      if (token === null || token.text.trim() === '') continue;
      if (text === '*') {
        open = true;
        openWhy = `\`${key}: '*'\` with \`github_token\` given lets anyone trigger it`;
        openSpan = span;
      } else if (text !== '' && !text.includes('${{') && !open) {
        openWhy = namedUsersWhy(`\`${key}: ${text}\` with \`github_token\` given`, text);
        openSpan = span;
      }
    } else if (agent.action === 'openai/codex-action' && name === 'allow-users') {
      if (text === '*') {
        open = true;
        openWhy = `\`${key}: '*'\` lets anyone trigger it`;
        openSpan = span;
      } else if (text !== '' && !text.includes('${{') && !open) {
        openWhy = namedUsersWhy(`\`${key}: ${text}\``, text);
        openSpan = span;
      }
    } else if (agent.action === 'openai/codex-action' && (name === 'allow-bots' || name === 'allow_bots')) {
      if (/^(true|1|yes|y)$/i.test(text) && !open) {
        openWhy = codexBotsWhy(name, key, text, ref);
        openSpan = span;
      }
    } else if (agent.action === 'openai/codex-action' && name === 'allow-bot-users') {
      if (text !== '' && !open) {
        const bots = text.split(',').map((bot) => bot.trim()).filter((bot) => bot !== '');
        openWhy = text.includes('*')
          ? `\`${key}: '${text}'\` is refused by the action: its write-access check then rejects every run`
          : `\`${key}: ${text}\` lets the bots ${quoteList(bots)} skip the write-access check`;
        openSpan = span;
      }
    } else if (!/bot/i.test(name) && text === '*') {
      open = true;
      openWhy = `\`${key}: '${text}'\` lets anyone trigger it`;
      openSpan = span;
    } else if (/bot/i.test(name) && /^(\*|true)$/i.test(text) && !open) {
      openWhy = `\`${key}: ${text}\` lets any bot trigger it`;
      openSpan = span;
    }
  }
  if (!defaults.gated && !open && !guardedByCondition(step, job)) {
    const triggers = scopeTriggers(file);
    if (triggers && triggers.some((trigger) => triggerInfo(trigger)?.outsiderCanFire)) {
      open = true;
      openWhy = `${repository} does not check the permissions of whoever triggers it, and no \`if:\` does`;
    }
  }
  return { agent, repository, tools, toolsWhy, toolsSpan, open, openWhy, openSpan };
}

/** True when the job's or step's `if:` looks at who caused the event (association, login, a label set by a writer). */
function guardedByCondition(step: StepView, job: JobView | null): boolean {
  const texts = [scalarText(step.if?.value ?? null), scalarText(job?.if?.value ?? null)];
  return texts.some((text) => text !== null && /author_association|\.actor\b|triggering_actor|sender\.login|user\.login|\.labels?\b|label\.name/i.test(text));
}

function severityFor(facts: AgentFacts): Severity {
  if (facts.tools === 'shell') return 'high';
  if (facts.tools === 'limited') return facts.open ? 'high' : 'medium';
  return 'low';
}

function lower(confidence: Confidence): Confidence {
  return confidence === 'high' ? 'medium' : 'low';
}

function related(facts: AgentFacts): RelatedSpan[] {
  const out: RelatedSpan[] = [];
  if (facts.toolsSpan) out.push({ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` });
  if (facts.openSpan) out.push({ span: facts.openSpan, message: `Who may trigger the agent: ${facts.openWhy}` });
  return out;
}

function aggravation(facts: AgentFacts): string {
  const parts: string[] = [];
  if (facts.tools !== 'none') parts.push(facts.toolsWhy);
  else parts.push(`${facts.repository} only returns text, so an attacker steers its output`);
  if (facts.open) parts.push(facts.openWhy);
  return parts.join('; ');
}

/** Phrases of a prompt that tell the agent to go and read what an outsider wrote. */
const READS_EVENT_TEXT = /\b(issue|pull request|PR|comment|discussion|review)s?\b/i;

export const aiAgentInjection: Rule = {
  id: 'ai-agent-injection',
  title: 'Untrusted text in the prompt of an AI agent',
  kinds: ['workflow', 'action'],
  severity: 'high',
  confidence: 'high',
  persona: 'regular',
  docs: {
    summary: 'Text that outsiders write (issue or pull request titles and bodies, comments, reviews, discussions, branch names) reaches the prompt of an AI agent action such as `anthropics/claude-code-action`, `openai/codex-action` or `google-github-actions/run-gemini-cli`.',
    why: 'A model cannot tell the workflow author\'s instructions from instructions hidden in the text it is given. In Cline (2026), an `issues` workflow passed the issue title to `claude-code-action`, open to non-writers and allowed to run `Bash`; an issue title told the agent to run commands, which poisoned a cache used by the nightly publish and shipped a malicious `cline` release.',
    fix: 'Do not put outsider text in the prompt: have the agent read it through a read-only tool, keep the agent to read-only tools (no `Bash`, no `danger-full-access`), keep the default write-access check (no `allowed_non_write_users: \'*\'`), and give the job `permissions:` no wider than the agent needs, with no secrets other than the model key.',
  },
  check({ file, report }) {
    const reportedSteps = new Set<StepView>();
    const factsCache = new Map<StepView, AgentFacts | null>();
    const factsOf = (step: StepView, job: JobView | null): AgentFacts | null => {
      if (factsCache.has(step)) return factsCache.get(step)!;
      const uses = scalarText(step.uses?.value ?? null);
      let facts: AgentFacts | null = null;
      if (uses) {
        const reference = parseUses(uses);
        if (reference.kind === 'remote') {
          const agent = agentActionFor(reference.owner, reference.repo, reference.subpath);
          if (agent) facts = agentFacts(step, agent, reference.repository, reference.ref, file, job);
        }
      }
      factsCache.set(step, facts);
      return facts;
    };

    // 1. Expressions in prompt inputs.
    const kind = file.workflow ? 'workflow' : 'action';
    for (const site of file.expressions) {
      const path = site.path;
      const base = stepKeysStart(path, kind);
      if (base === -1 || path.length !== base + 2 || path[base] !== 'with' || typeof path[base + 1] !== 'string') continue;
      if (!site.occurrence.terminated || !site.occurrence.parsed.ast) continue;
      const scope = scopeOf(file, path);
      const step = scope.step;
      if (!step) continue;
      const facts = factsOf(step, scope.job);
      if (!facts) continue;
      const input = String(path[base + 1]);
      if (!facts.agent.promptInputs.includes(input.toLowerCase())) continue;
      for (const leaf of assessSite(site, scope)) {
        const verdict = leaf.verdict;
        if (verdict.capability !== 'arbitrary' || (verdict.severity !== 'high' && verdict.severity !== 'medium')) continue;
        reportedSteps.add(step);
        reportLeaf(leaf, input, facts, scope.triggers !== null);
      }
    }

    function reportLeaf(leaf: LeafVerdict, input: string, facts: AgentFacts, knownTriggers: boolean) {
      const verdict = leaf.verdict;
      const outsider = verdict.severity === 'high';
      const severity: Severity = outsider ? severityFor(facts) : 'low';
      const confidence: Confidence = !outsider ? 'low' : knownTriggers ? verdict.confidence : lower(verdict.confidence);
      report({
        span: { start: leaf.start, end: leaf.end },
        message: `\`${leaf.path}\` is written into \`${input}\` of ${facts.repository}, the agent's instructions: ${verdict.reason}. Whoever writes it can steer the agent (${aggravation(facts)})`,
        severity,
        confidence,
        persona: outsider ? 'regular' : 'pedantic',
        related: related(facts),
      });
    }

    // 2. Agents that outsiders can instruct without any expression: an open agent whose prompt is the
    //    triggering comment (no `prompt`), or a prompt telling a tool-using agent to read the event's text.
    const triggers = scopeTriggers(file);
    const outsiderTriggers = (triggers ?? []).filter((trigger) => triggerInfo(trigger)?.outsiderCanFire);
    if (!file.workflow || outsiderTriggers.length === 0) return;
    for (const job of file.workflow.jobs) {
      for (const step of job.steps) {
        if (reportedSteps.has(step)) continue;
        const facts = factsOf(step, job);
        if (!facts || !step.uses) continue;
        const prompts = facts.agent.promptInputs.filter((name) => name !== 'claude_args' && name !== 'codex-args' && name !== 'codex_args').map((name) => withValue(step, name)).filter((value) => value !== null);
        const promptFile = withValue(step, 'prompt-file') ?? withValue(step, 'prompt_file');
        const usesSpan = step.uses.valueSpan;
        const tagMode = DEFAULTS[facts.agent.action]?.tagMode ?? false;
        const triggerText = outsiderTriggers.map((t) => `\`${t}\``).join(', ');
        if (prompts.length === 0 && !promptFile && facts.open && tagMode && facts.openSpan) {
          report({
            span: facts.openSpan,
            message: `${facts.repository} takes its instructions from the triggering comment, issue or pull request, and ${facts.openWhy} (${triggerText}): anyone can instruct the agent (${facts.tools !== 'none' ? facts.toolsWhy : 'no tools'})`,
            severity: facts.tools === 'none' ? 'low' : 'high',
            confidence: 'medium',
            related: facts.toolsSpan ? [{ span: facts.toolsSpan, message: `The agent's tools: ${facts.toolsWhy}` }] : [],
          });
          continue;
        }
        if (facts.tools === 'none') continue;
        // Indirect: the prompt (or a prompt file the job assembles) sends the agent to the event's text.
        const reading = prompts.find((value) => READS_EVENT_TEXT.test(value.text)) ?? promptFile ?? (facts.open ? prompts[0] : undefined);
        if (!reading) continue;
        report({
          span: usesSpan,
          message: `${facts.repository} runs under ${triggerText} with ${reading === promptFile ? 'a prompt file assembled by the job' : 'a prompt about the event'}: text an outsider writes in ${OUTSIDER_TRIGGERS_NOTE} may reach the model (${aggravation(facts)}); check that the agent's tools and token cannot do harm`,
          severity: 'medium',
          confidence: 'low',
          persona: 'auditor',
          related: [{ span: reading.entry.valueSpan, message: 'The prompt' }, ...related(facts)],
        });
      }
    }
  },
};
