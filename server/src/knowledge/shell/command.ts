/**
 * Builds a simple command from the words the reader collected: leading assignments, keywords and wrappers
 * (`sudo`, `env`, `then`, `!`, `time`...) are set apart from the command name and its arguments.
 */
import type { Connector, Heredoc, Redirection, ShellCommand, ShellWord } from './types';

/** Words before the command name that are not the command: keywords and wrappers that run what follows. */
const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  '{',
  'time',
  'exec',
  'command',
  'builtin',
  'nohup',
  'sudo',
  'doas',
  'eval',
]);
/** Wrappers whose own options and `NAME=value` words come before the command name. */
const SKIP_ARG_WRAPPERS = new Set(['env']);

/** `NAME=…` or `NAME+=…` (the test /^[A-Za-z_][A-Za-z0-9_]*\+?=/, without a regex per word). */
function isAssignment(raw: string): boolean {
  const first = raw.charCodeAt(0);
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122) || first === 95)) return false;
  let i = 1;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) break;
  }
  if (raw.charCodeAt(i) === 43 /* + */) i++;
  return raw.charCodeAt(i) === 61 /* = */;
}

export function buildCommand(
  words: ShellWord[],
  redirects: Redirection[],
  heredocs: Heredoc[],
  start: number,
  end: number,
  connector: Connector,
  inSubstitution: boolean,
): ShellCommand {
  let i = 0;
  const assignments: ShellWord[] = [];
  while (i < words.length) {
    const word = words[i];
    if (isAssignment(word.raw)) {
      assignments.push(word);
      i++;
    } else if (KEYWORDS.has(word.text)) {
      i++;
      // sudo's own options (`sudo -E -u x cmd`): skip dash words.
      if (word.text === 'sudo' || word.text === 'doas')
        while (i < words.length && words[i].text.startsWith('-')) i += words[i].text === '-u' ? 2 : 1;
    } else if (SKIP_ARG_WRAPPERS.has(word.text)) {
      i++;
      while (i < words.length && (words[i].text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].text))) i++;
    } else {
      break;
    }
  }
  const argv = words.slice(i);
  const first = argv[0]?.text ?? '';
  const name = first.replace(/^.*[\\/]/, '').toLowerCase();
  return {
    words,
    argv,
    name,
    assignments,
    redirects,
    heredocs,
    span: { start, end },
    connector,
    pipeline: 0,
    pipesTo: false,
    inSubstitution,
    line: 0, // set by parseShell
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers over commands
