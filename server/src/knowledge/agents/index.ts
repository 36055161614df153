/**
 * What an AI agent step may do and who may trigger it, read from its inputs: each vendor module reads the
 * inputs its action interprets in its own way, every other tool input is read as flags or a tool list, and the
 * readings are combined with the action's defaults (`knowledge/agent-actions.ts`).
 */
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import type { AgentAction, ToolLevel } from '../agent-actions';
import { CLAUDE_ACTIONS, readClaudeNonWriteUsers, readClaudeToolInput } from './claude';
import { CODEX_ACCESS_INPUTS, CODEX_ACTION, readCodexAccess, readCodexToolInput } from './codex';
import { GEMINI_ACTION, readGeminiSettings } from './gemini';
import { genericEffect, readingOf, withValue, type AccessEffect, type ToolReading } from './readings';

export { withValue } from './readings';

export interface AgentTools {
  tools: ToolLevel;
  /** Why the tools are what they are ("`Bash` in `claude_args`"), with the span to point at (null: the defaults). */
  toolsWhy: string;
  toolsSpan: Span | null;
}

export interface AgentAccess {
  /** True when an input lets people without write access make the agent run. */
  open: boolean;
  /** Why it is open, or whom an input lets in without opening it ('' when no input says). */
  openWhy: string;
  openSpan: Span | null;
}

function readToolInput(
  step: StepView,
  action: string,
  ref: string | null,
  name: string,
  key: string,
  text: string,
  span: Span,
): ToolReading {
  let reading: ToolReading | null = null;
  if (CLAUDE_ACTIONS.has(action)) reading = readClaudeToolInput(name, key, text, span, ref);
  else if (action === GEMINI_ACTION && name === 'settings') reading = readGeminiSettings(key, text, span);
  else if (action === CODEX_ACTION) reading = readCodexToolInput(step, name, key, text, span);
  return reading ?? readingOf(genericEffect(name, key, text, span));
}

const RANK: Record<ToolLevel, number> = { none: 0, limited: 1, shell: 2 };

/** The agent's tools: its defaults, replaced by an input that narrows them, raised by inputs that widen them. */
export function agentTools(step: StepView, agent: AgentAction, ref: string | null): AgentTools {
  let tools = agent.tools;
  let toolsWhy = agent.toolsWhy;
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
  for (const effect of readings.flatMap((reading) => reading.effects)) {
    let { level, why } = effect;
    if (shellDenied && effect.shellTool) continue;
    if (shellDenied && effect.bypass && level === 'shell') {
      level = 'limited';
      why = `${why}, but ${shellDenied.why}`;
    }
    if (RANK[level] > RANK[tools] || (!raised && RANK[level] === RANK[tools] && level !== 'none')) {
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
  return { tools, toolsWhy, toolsSpan };
}

function readAccessInput(
  step: StepView,
  action: string,
  ref: string | null,
  name: string,
  key: string,
  text: string,
  span: Span,
): AccessEffect | null {
  if (name === 'require_repo_write' || (action === CODEX_ACTION && CODEX_ACCESS_INPUTS.has(name)))
    return readCodexAccess(name, key, text, span, ref);
  if (name === 'allowed_non_write_users') return readClaudeNonWriteUsers(step, key, text, span);
  if (!/bot/i.test(name) && text === '*') return { open: true, why: `\`${key}: '${text}'\` lets anyone trigger it`, span };
  if (/bot/i.test(name) && /^(\*|true)$/i.test(text)) return { open: false, why: `\`${key}: ${text}\` lets any bot trigger it`, span };
  return null;
}

/**
 * Who the access inputs let trigger the agent. An input that opens it to anyone wins; one that only names
 * logins or bots explains the access as long as nothing opened it.
 */
export function agentAccess(step: StepView, agent: AgentAction, ref: string | null): AgentAccess {
  let open = false;
  let openWhy = '';
  let openSpan: Span | null = null;
  for (const name of agent.openAccessInputs) {
    const value = withValue(step, name);
    if (!value) continue;
    const effect = readAccessInput(step, agent.action, ref, name, value.entry.key, value.text.trim(), value.entry.valueSpan);
    if (!effect || (!effect.open && open)) continue;
    open ||= effect.open;
    openWhy = effect.why;
    openSpan = effect.span;
  }
  return { open, openWhy, openSpan };
}
