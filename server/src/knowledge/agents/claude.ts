/**
 * anthropics/claude-code-action and anthropics/claude-code-base-action: how their tool inputs (`settings`,
 * `claude_args`) and `allowed_non_write_users` change what the agent may do and who may trigger it.
 *
 * `settings` is JSON (or a file path) merged into Claude Code's settings: `permissions.allow` / `.deny` are tool
 * lists, `permissions.defaultMode` the starting mode, and a bare tool name in `deny` takes the tool away whatever
 * allows it. `claude_args` is split into words by shell-quote in releases before v1.0.149, which drops unquoted
 * parentheses (`Bash(git:*)` reaches Claude as `Bash`), and like a plain command line from v1.0.149 on.
 * The files read for each of these facts are listed in docs/rules/ai-agent-injection.md ("Sources").
 */
import type { Span } from '../../parse/text';
import type { StepView } from '../../parse/views';
import { genericEffect, namedUsersWhy, quoteList, withValue, type AccessEffect, type ToolEffect, type ToolReading } from './readings';
import { jsonObject, looseList, looseString, objectAt, stringsAt } from './settings-json';

export const CLAUDE_ACTIONS: ReadonlySet<string> = new Set(['anthropics/claude-code-action', 'anthropics/claude-code-base-action']);

/**
 * Splits a command line at blanks, removing quotes (no expansions): how claude-code-action v1.0.149 and later read
 * `claude_args`, unquoted parentheses included. Not knowledge/shell `parseShell`: there `(` opens a subshell, which
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
  if (anyBash.length > 0)
    effects.push({
      level: 'shell',
      why: `${input} allows any shell command (${quoteList(anyBash)} in \`permissions.allow\`)`,
      span,
      shellTool: true,
    });
  if (someBash.length > 0)
    effects.push({
      level: 'limited',
      why: `${input} allows some shell commands (${quoteList(someBash)} in \`permissions.allow\`)`,
      span,
      shellTool: true,
    });
  if (edits.length > 0)
    effects.push({ level: 'limited', why: `${input} allows file edits (${quoteList(edits)} in \`permissions.allow\`)`, span });
  if (mode === 'bypassPermissions')
    effects.push({
      level: 'shell',
      why: `${input} sets \`permissions.defaultMode: bypassPermissions\`, which turns off permission checks`,
      span,
      bypass: true,
    });
  else if (mode === 'acceptEdits')
    effects.push({ level: 'limited', why: `${input} sets \`permissions.defaultMode: acceptEdits\`, which approves file edits`, span });
  const deniedBash = deny.find((tool) => BARE_BASH.test(tool));
  const shellDenied = deniedBash
    ? { why: `${input} denies \`${deniedBash}\` (\`permissions.deny\`)`, span, left: ', so it runs no shell command' }
    : undefined;
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
  const droppedParts = splitDenied(
    dropped.map((word) => word.text),
    true,
  );
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
        cut.length > 0 &&
        !denied.some(plainBareBash) &&
        !droppedParts.inline.some((value) => toolList([value]).some((tool) => BARE_BASH.test(tool)))
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
  const shellDenied = deniedBash
    ? { why: `\`${key}\` denies \`${deniedBash}\` (\`--disallowedTools\`)`, span, left: ', so it runs no shell command' }
    : undefined;
  return { effects: effect ? [effect] : [], shellDenied };
}

/** A tool input of a Claude action read by its own rules (`settings`, `claude_args`); null for the others. */
export function readClaudeToolInput(name: string, key: string, text: string, span: Span, ref: string | null): ToolReading | null {
  if (name === 'settings') return readClaudeSettings(key, text, span);
  if (name === 'claude_args') return readClaudeArgs(name, key, text, span, ref);
  return null;
}

/**
 * claude-code-action `allowed_non_write_users`: the action skips its write-access check for these users only when
 * `github_token` is given; only the whole value `*` means everyone, anything else names logins.
 */
export function readClaudeNonWriteUsers(step: StepView, key: string, text: string, span: Span): AccessEffect | null {
  const token = withValue(step, 'github_token');
  if (token === null || token.text.trim() === '') return null;
  if (text === '*') return { open: true, why: `\`${key}: '*'\` with \`github_token\` given lets anyone trigger it`, span };
  if (text !== '' && !text.includes('${{'))
    return { open: false, why: namedUsersWhy(`\`${key}: ${text}\` with \`github_token\` given`, text), span };
  return null;
}
