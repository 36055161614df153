/**
 * Shell text whose value can only be a number: `$(( … ))`, `$(wc -l < f)`, `$(grep -c …)`, `$(gh … --jq '.number')`,
 * `$(jq 'length' f)`, a file such a command wrote (`$(cat f)`), a variable only ever assigned such values. A
 * number (even several, one a line) written to an environment file cannot set a variable: every line of
 * `GITHUB_ENV` needs `NAME=` or `NAME<<DELIMITER`. Hand-written scanners: the text is the scanned repository's.
 */
import { args, parseShell, positionals, type ShellCommand, type ShellScript } from '../../knowledge/shell';

/**
 * `jq` filter endings that always give numbers: GitHub's API has integer `number`/`id` fields for issues, pull
 * requests, runs, comments; `length` counts.
 */
const NUMERIC_FIELDS = ['.number', '.id', '.databaseId', '.total_count', '.run_number', '.run_attempt', '.run_id', '.workflow_id'];

function numericFilter(filter: string): boolean {
  const text = filter.trim();
  if (text === 'length' || text.endsWith('| length') || text.endsWith('|length')) return true;
  return NUMERIC_FIELDS.some((field) => text.endsWith(field) && !/[\w$]/.test(text[text.length - field.length - 1] ?? ''));
}

/** The index just after the `)` closing the `(` before `from` (quotes respected), or -1. Linear. */
export function closingParen(text: string, from: number): number {
  let depth = 1;
  let quote: string | null = null;
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '\\') i++;
    else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** The letters of a bundle of short flags (`-Ec` → `Ec`), '' for anything else. */
function shortFlags(word: string): string {
  if (word.length < 2 || word[0] !== '-' || word[1] === '-') return '';
  for (let i = 1; i < word.length; i++) if (!/[a-zA-Z]/.test(word[i])) return '';
  return word.slice(1);
}

/** True when this command prints only numbers. `files`: files earlier commands wrote only numbers to. */
function numericCommand(command: ShellCommand, files: ReadonlySet<string>): boolean {
  const rest = args(command);
  switch (command.name) {
    case 'wc':
      // `wc -l` on stdin prints a count; on named files the count and that name (the script's own text).
      return (
        rest.some((word) => /^--(lines|bytes|words|chars)$/.test(word.text) || /^[lcwm]+$/.test(shortFlags(word.text))) &&
        !rest.some((word) => word.text.includes('$'))
      );
    case 'grep':
    case 'egrep':
    case 'fgrep':
      return rest.some((word) => word.text === '--count' || shortFlags(word.text).includes('c')) && positionals(command).length <= 2;
    case 'gh': {
      const index = rest.findIndex((word) => word.text === '--jq' || word.text === '-q' || word.text.startsWith('--jq='));
      if (index === -1) return false;
      const word = rest[index];
      const filter = word.text.startsWith('--jq=') ? word.text.slice('--jq='.length) : rest[index + 1]?.text;
      return filter !== undefined && numericFilter(filter);
    }
    case 'jq': {
      // `jq length file`: only `length` (a field of an arbitrary file can hold any text).
      const filter = positionals(command)[0]?.text;
      return filter !== undefined && /^(length|\.\s*\|\s*length|\.\[\]\s*\|\s*length)$/.test(filter.trim());
    }
    case 'cat': {
      const named = positionals(command);
      return named.length === 1 && files.has(named[0].text);
    }
    case '':
      // `$(< file)`
      return command.redirects.length === 1 && command.redirects[0].op === '<' && files.has(command.redirects[0].target?.text ?? '\0');
    default:
      return false;
  }
}

/** True when the last command of a single pipeline prints only numbers. */
function numericScript(script: ShellScript, files: ReadonlySet<string>): boolean {
  const top = script.commands.filter((command) => !command.inSubstitution);
  if (top.length === 0) return false;
  const last = top[top.length - 1];
  if (top.some((command) => command.pipeline !== last.pipeline)) return false;
  return numericCommand(last, files);
}

export interface NumericFacts {
  /** Files the script writes only numbers to (`gh … --jq .number > n.txt`). */
  files: Set<string>;
  /** Variables the script assigns only numbers to (`N=$(wc -l < f)`, `N=$((N + 1))`, `N=3`). */
  variables: Set<string>;
}

/** The `$( … )` (or `$(( … ))`) text `value` consists of, or null. */
function wholeSubstitution(value: string): string | null {
  let text = value;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
  if (!text.startsWith('$(')) return null;
  return closingParen(text, 2) === text.length ? text.slice(2, -1) : null;
}

/** True when `text` (`$(…)`'s inside, without the parentheses) prints only numbers; `((…))` is arithmetic. */
export function numericSubstitution(inner: string, files: ReadonlySet<string>): boolean {
  if (inner.startsWith('(') && inner.endsWith(')')) return true;
  return numericScript(parseShell(inner), files);
}

const factsMemo = new WeakMap<ShellScript, NumericFacts>();

export function numericFacts(script: ShellScript): NumericFacts {
  const cached = factsMemo.get(script);
  if (cached) return cached;
  const files = new Set<string>();
  const notFiles = new Set<string>();
  const commands = script.commands.filter((command) => !command.inSubstitution);
  for (const command of commands) {
    for (const redirect of command.redirects) {
      const target = redirect.target?.text;
      if (!target || !redirect.op.includes('>') || redirect.op.includes('&') || /^\d*>&/.test(redirect.op)) continue;
      const last = !command.pipesTo;
      if (last && !target.includes('$') && numericCommand(command, files) && !notFiles.has(target)) files.add(target);
      else {
        notFiles.add(target);
        files.delete(target);
      }
    }
  }
  const variables = new Set<string>();
  const notVariables = new Set<string>();
  const text = (name: string) => {
    notVariables.add(name);
    variables.delete(name);
  };
  for (const command of commands) {
    // `read N`, `for N in …`, `mapfile N`, `getopts o N`: text from elsewhere.
    if (command.name === 'read' || command.name === 'mapfile' || command.name === 'readarray' || command.name === 'getopts')
      for (const word of positionals(command)) text(word.text);
    if (command.name === 'for' && command.argv[1]) text(command.argv[1].text);
    const assignments = [...command.assignments];
    if (command.argv.length === 0 || ['export', 'local', 'declare', 'readonly', 'typeset'].includes(command.name))
      assignments.push(...args(command).filter((word) => /^[A-Za-z_]\w*=/.test(word.raw)));
    // `N=1 cmd` sets N for cmd only; it still counts: it never makes N text.
    for (const word of assignments) {
      const eq = word.raw.indexOf('=');
      const name = word.raw.slice(0, eq);
      if (!/^[A-Za-z_]\w*$/.test(name)) continue;
      const value = word.raw.slice(eq + 1);
      const inner = wholeSubstitution(value);
      const numeric = /^"?\d+"?$/.test(value) || (inner !== null && numericSubstitution(inner, files));
      if (numeric && !notVariables.has(name)) variables.add(name);
      else text(name);
    }
  }
  const facts = { files, variables };
  factsMemo.set(script, facts);
  return facts;
}
