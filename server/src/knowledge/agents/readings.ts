/**
 * What reading one input of an agent step yields: an effect on the agent's tools, or on who may trigger it.
 * The vendor modules (`claude.ts`, `codex.ts`, `gemini.ts`) produce these; `index.ts` combines them.
 */
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import { scalarText, type Entry } from '../../parse/yaml-nodes';
import type { ToolLevel } from '../agent-actions';

/** What one tool input does to the agent's tools. */
export interface ToolEffect {
  level: ToolLevel;
  why: string;
  span: Span;
  /** It comes from allowing the shell tool itself (`Bash`, `run_shell_command`): void when that tool is denied. */
  shellTool?: boolean;
  /** It turns permission checks off; a deny list still holds, so a denied shell leaves the other tools. */
  bypass?: boolean;
}

export interface ToolReading {
  /** Replaces the action's default tools (effects can only raise them again). */
  base?: ToolEffect;
  effects: ToolEffect[];
  /** The shell tool is denied or excluded, whatever else allows it; `left` says what the agent keeps. */
  shellDenied?: { why: string; span: Span; left: string };
}

/**
 * What one access input does: `open` when it lets anyone trigger the agent; otherwise it only names who
 * may (some logins, some bots), which explains the access without opening it.
 */
export interface AccessEffect {
  open: boolean;
  why: string;
  span: Span;
}

/** The scalar text of a step's `with:` input (names compared case-insensitively), with its entry. */
export function withValue(step: StepView, name: string): { text: string; entry: Entry } | null {
  const entry = step.with.entries.find((candidate) => candidate.key.toLowerCase() === name.toLowerCase());
  if (!entry) return null;
  const text = scalarText(entry.value);
  return text === null ? null : { text, entry };
}

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `\`${item}\``).join(', ');
}

/** The reading of an input that grants at most `effect`. */
export function readingOf(effect: ToolEffect | null): ToolReading {
  return { effects: effect ? [effect] : [] };
}

/** The tools a value grants, read as flags or a tool list (`claude_args`, `allowed_tools`, `sandbox`, …). */
export function genericEffect(name: string, key: string, text: string, span: Span): ToolEffect | null {
  const input = `\`${key}\``;
  if (/--dangerously-skip-permissions|bypassPermissions|--dangerously-bypass-approvals-and-sandbox|--yolo\b|"yolo"\s*:\s*true/i.test(text))
    return { level: 'shell', why: `${input} turns off permission checks`, span, bypass: true };
  if (/danger-full-access/i.test(text)) return { level: 'shell', why: `${input} is \`danger-full-access\``, span };
  if ((name === 'safety-strategy' || name === 'safety_strategy') && /^\s*unsafe\s*$/i.test(text))
    return { level: 'shell', why: `\`${key}: unsafe\``, span };
  if (/\bBash\b(?!\s*\()|\bBash\(\s*(?:\*\s*)?\)|\brun_shell_command\b(?!\s*\()|"ShellTool"/.test(text))
    return { level: 'shell', why: `${input} allows any shell command (\`Bash\`)`, span, shellTool: true };
  if (/\bBash\s*\(|\brun_shell_command\s*\(/.test(text))
    return { level: 'limited', why: `${input} allows some shell commands`, span, shellTool: true };
  if (/\b(Write|Edit|MultiEdit)\b|\bacceptEdits\b|workspace-write|enable-github-mcp|^\s*true\s*$/.test(text))
    return { level: 'limited', why: `${input} allows tools`, span };
  return null;
}

/**
 * A list of logins given to `allow-users` / `allowed_non_write_users`: only they skip the write-access check. Both
 * actions take only the whole value `*` for everyone; `*` inside a list, `all` or `everyone` is just a login.
 */
export function namedUsersWhy(shown: string, text: string): string {
  const entries = text
    .split(',')
    .map((user) => user.trim())
    .filter((user) => user !== '');
  const users = entries.filter((user) => user !== '*');
  const who = users.length === 0 ? 'lets no one' : `lets only ${users.length === 1 ? 'the user' : 'the users'} ${quoteList(users)}`;
  const wildcardLike = entries.includes('*') || users.some((user) => /^(all|everyone|anyone)$/i.test(user));
  return `${shown} ${who} skip the write-access check; everyone else still needs write access${wildcardLike ? " (only the whole value `'*'` means everyone)" : ''}`;
}
