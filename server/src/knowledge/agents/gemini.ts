/**
 * google-github-actions/run-gemini-cli: how `settings` changes what the agent may do. The action runs
 * `gemini --yolo`, which approves every tool call; the CLI offers every core tool, `run_shell_command` included,
 * unless the settings list the core tools (`coreTools`, `tools.core`) or exclude the shell (`excludeTools`,
 * `tools.exclude`). The files read for each of these facts are listed in docs/rules/ai-agent-injection.md ("Sources").
 */
import type { Span } from '../../parse/text';
import { quoteList, type ToolReading } from './readings';
import { jsonObject, looseList, stringsAt, objectAt } from './settings-json';

export const GEMINI_ACTION = 'google-github-actions/run-gemini-cli';

const BARE_GEMINI_SHELL = /^(run_shell_command|ShellTool)$/;
const GEMINI_SHELL_PREFIX = /^(run_shell_command|ShellTool)\s*\(/;

/** run-gemini-cli `settings`: the core tool list (`coreTools`, `tools.core`) and the exclusions (`excludeTools`, `tools.exclude`). */
export function readGeminiSettings(key: string, text: string, span: Span): ToolReading {
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
    if (anyShell.length > 0)
      reading.effects.push({
        level: 'shell',
        why: `${input} lists ${quoteList(anyShell)} among its core tools (\`${coreKey}\`): any shell command`,
        span,
        shellTool: true,
      });
    else if (someShell.length > 0)
      reading.effects.push({
        level: 'limited',
        why: `${input} allows some shell commands (${quoteList(someShell)} in \`${coreKey}\`)`,
        span,
        shellTool: true,
      });
  }
  const excludedShell = excluded.find((tool) => BARE_GEMINI_SHELL.test(tool));
  if (excludedShell) {
    const flatExcluded = settings ? stringsAt(settings.excludeTools) : looseList(text, 'excludeTools');
    const where = flatExcluded?.includes(excludedShell) ? 'excludeTools' : 'tools.exclude';
    reading.shellDenied = {
      why: `${input} excludes \`${excludedShell}\` (\`${where}\`)`,
      span,
      left: ', but `gemini --yolo` still approves its other tools, file writes included',
    };
  }
  return reading;
}
