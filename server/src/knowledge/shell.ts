/**
 * A rough, never-throwing reader of `run:` scripts: splits a script into simple commands (with words,
 * redirections and heredocs) and keeps the span of everything, so rules can point at `curl` in line 7
 * of a block scalar. It understands what matters for auditing and no more: quotes, backslash escapes,
 * line continuations, comments, `${{ }}` (kept whole in one word), `$( )` / backticks / `<( )` (whose
 * insides are read as commands too), `&&`, `||`, `;`, `&`, pipes, subshell parentheses and heredocs
 * (whose bodies are skipped, and kept). PowerShell and cmd scripts are tokenised with the same rules,
 * which is good enough to find command names and arguments.
 *
 * Offsets in a `ShellScript` are offsets into the script string. `runScriptOf` reads a `run:` entry
 * and maps them back onto the document (block scalars included), so findings land on the exact token.
 */
import { isScalar, type Scalar } from 'yaml';
import type { ParsedFile } from '../parse/document';
import type { Span } from '../parse/text';
import { TextMemo } from '../parse/text-memo';
import type { JobView, StepView } from '../parse/views';
import { nodeSpan, type Entry, type YamlNode } from '../parse/yaml-nodes';
import { AttachedCache, attachmentsOf } from '../parse/attached-cache';

export interface ShellWord {
  /** The word with quotes and escapes removed (expansions are kept as written). */
  text: string;
  /** The word as written. */
  raw: string;
  span: Span;
  /** True when any part of the word was quoted. */
  quoted: boolean;
}

export interface Redirection {
  /** `>`, `>>`, `<`, `2>`, `&>`, `<<<`, ... */
  op: string;
  target: ShellWord | null;
  span: Span;
}

export interface Heredoc {
  delimiter: string;
  /** `<<'EOF'` and `<<"EOF"`: the body is not expanded by the shell. */
  quoted: boolean;
  body: string;
  bodySpan: Span;
}

/** How a command is joined to the one before it. */
export type Connector = 'start' | '&&' | '||' | ';' | '|' | '&' | 'newline';

export interface ShellCommand {
  /** Every word, including leading assignments, keywords and wrappers. */
  words: ShellWord[];
  /** The words from the command name on (assignments, `sudo`, `env`, `then`, `!`, `time`... removed). */
  argv: ShellWord[];
  /** `argv[0]`'s text without a directory (`/usr/bin/curl` → `curl`), lower-cased; '' when none. */
  name: string;
  /** `FOO=bar` assignments before the command name. */
  assignments: ShellWord[];
  redirects: Redirection[];
  heredocs: Heredoc[];
  span: Span;
  connector: Connector;
  /** Index of the pipeline (commands joined by `|`) this command belongs to. */
  pipeline: number;
  /** True when this command's output is piped into the next one. */
  pipesTo: boolean;
  /** True inside `$( )`, backticks or `<( )`. */
  inSubstitution: boolean;
  /** 0-based line of the script on which the command starts. */
  line: number;
}

export interface ShellScript {
  text: string;
  commands: ShellCommand[];
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'exec', 'command', 'builtin', 'nohup', 'sudo', 'doas', 'eval']);
/** Characters `readWord` treats other than by appending them to the word. */
const WORD_SPECIAL = new Uint8Array(128);
for (const c of ' \t\n\r;|()&<>$`\'"\\') WORD_SPECIAL[c.charCodeAt(0)] = 1;
const SKIP_ARG_WRAPPERS = new Set(['env']);
/** Characters before a `(` that make it part of the word: `$(`, `<(`, `>(`, `arr=(`, extglob `@(` `?(` `*(` `+(` `!(`. */
const OPENS_PAREN_WORD = new Uint8Array(128);
for (const c of '$<>=@?*+!') OPENS_PAREN_WORD[c.charCodeAt(0)] = 1;
/** Characters that end a plain run inside double quotes: the closing quote, escapes, `$` expansions. */
const IN_DOUBLE_QUOTES_SPECIAL = new Uint8Array(128);
for (const c of '"\\$') IN_DOUBLE_QUOTES_SPECIAL[c.charCodeAt(0)] = 1;

/**
 * Splits a script into commands. Never throws; bounded work on any input. Memoised by text (the result
 * is shared: do not mutate it).
 */
export function parseShell(text: string): ShellScript {
  return shellMemo.get(text);
}

export const shellMemo = new TextMemo(splitShell);

function splitShell(text: string): ShellScript {
  const commands: ShellCommand[] = [];
  new Reader(text, 0, text.length, commands, false).run();
  commands.sort((a, b) => a.span.start - b.span.start);
  let pipeline = -1;
  // Lines counted in one pass over the text, in command order (counting from the start per command was quadratic).
  let line = 0;
  let counted = 0;
  for (let i = 0; i < commands.length; i++) {
    const command = commands[i];
    if (command.connector !== '|' || i === 0) pipeline++;
    command.pipeline = pipeline;
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < command.span.start; nl = text.indexOf('\n', nl + 1)) {
      line++;
      counted = nl + 1;
    }
    command.line = line;
  }
  return { text, commands };
}

interface PendingHeredoc {
  delimiter: string;
  quoted: boolean;
  strip: boolean;
  command: ShellCommand | null;
}

class Reader {
  private pos: number;
  private words: ShellWord[] = [];
  private redirects: Redirection[] = [];
  private heredocs: Heredoc[] = [];
  private pendingHeredocs: PendingHeredoc[] = [];
  private connector: Connector = 'start';
  private start = -1;
  private last: ShellCommand | null = null;

  constructor(
    private readonly text: string,
    from: number,
    private readonly end: number,
    private readonly out: ShellCommand[],
    private readonly inSubstitution: boolean,
    private readonly depth = 0,
  ) {
    this.pos = from;
  }

  run(): void {
    const { text, end } = this;
    while (this.pos < end) {
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if (c === 32 /* space */ || c === 9 /* tab */ || c === 13 /* \r */) {
        this.pos++;
      } else if (c === 92 /* \ */ && next === 10) {
        this.pos += 2; // line continuation
      } else if (c === 92 && next === 13 && text.charCodeAt(this.pos + 2) === 10) {
        this.pos += 3;
      } else if (c === 10 /* \n */) {
        this.finish('newline');
        this.pos++;
        this.readHeredocBodies();
      } else if (c === 35 /* # */) {
        const lineEnd = text.indexOf('\n', this.pos);
        this.pos = lineEnd === -1 || lineEnd > end ? end : lineEnd;
      } else if (c === 59 /* ; */) {
        this.finish(';');
        this.pos += next === 59 ? 2 : 1;
      } else if (c === 38 /* & */ && next === 38) {
        this.finish('&&');
        this.pos += 2;
      } else if (c === 124 /* | */ && next === 124) {
        this.finish('||');
        this.pos += 2;
      } else if (c === 124) {
        this.finish('|', true);
        this.pos += next === 38 ? 2 : 1;
      } else if (c === 38 && next !== 62 /* > */) {
        this.finish('&');
        this.pos++;
      } else if ((c === 40 /* ( */ || c === 41 /* ) */) && !(c === 40 && next === 40)) {
        this.finish(';');
        this.pos++;
      } else if (this.atRedirection()) {
        this.readRedirection();
      } else {
        const word = this.readWord();
        if (word) {
          if (this.start < 0) this.start = word.span.start;
          this.words.push(word);
        } else {
          this.pos++;
        }
      }
    }
    this.finish('newline');
  }

  private atRedirection(): boolean {
    // Every operator starts with a digit, `<`, `>` or `&`: skip the slice and regexes for anything else.
    const first = this.text.charCodeAt(this.pos);
    if (!((first >= 48 && first <= 57) || first === 60 || first === 62 || first === 38)) return false;
    const rest = this.text.slice(this.pos, this.pos + 4);
    return /^(\d*(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)|&>>|&>)/.test(rest) && !/^<\(|^>\(/.test(rest);
  }

  private readRedirection(): void {
    const match = /^(\d*(>>|>&|>\||>|<<<|<<-|<<|<&|<>|<)|&>>|&>)/.exec(this.text.slice(this.pos, this.pos + 4))!;
    const op = match[0];
    const opStart = this.pos;
    if (this.start < 0) this.start = opStart;
    this.pos += op.length;
    while (this.pos < this.end && (this.text[this.pos] === ' ' || this.text[this.pos] === '\t')) this.pos++;
    const target = this.readWord();
    const span = { start: opStart, end: target ? target.span.end : this.pos };
    if (/<<-?$/.test(op) && !op.endsWith('<<<') && target) {
      const quoted = target.quoted || target.raw.includes('\\');
      this.pendingHeredocs.push({ delimiter: target.text, quoted, strip: op.endsWith('-'), command: null });
    }
    this.redirects.push({ op, target, span });
  }

  /** Reads one word at `pos` (quotes, escapes, expansions included); null when nothing word-like is there. */
  private readWord(): ShellWord | null {
    const { text, end } = this;
    const start = this.pos;
    let value = '';
    let quoted = false;
    while (this.pos < end) {
      const c = text.charCodeAt(this.pos);
      const next = text.charCodeAt(this.pos + 1);
      if (c === 32 || c === 9 || c === 10 || c === 13 || c === 59 /* ; */ || c === 124 /* | */ || c === 41 /* ) */ || c === 40 /* ( */) {
        if (c === 40 && this.pos > start && OPENS_PAREN_WORD[text.charCodeAt(this.pos - 1)] === 1) {
          // `$(`, `<(`, `arr=(`, extglob: read through the matching parenthesis.
          const close = this.matchParen(this.pos);
          this.substitution(this.pos + 1, close);
          value += text.slice(this.pos, Math.min(close + 1, end));
          this.pos = Math.min(close + 1, end);
          continue;
        }
        if (c === 40 && this.pos === start && next === 40) {
          const close = this.matchParen(this.pos);
          value += text.slice(this.pos, Math.min(close + 1, end));
          this.pos = Math.min(close + 1, end);
          continue;
        }
        break;
      }
      if (c === 38 /* & */) break;
      if ((c === 60 /* < */ || c === 62 /* > */) && next !== 40) break;
      if (c === 36 /* $ */ && next === 123 /* { */ && text.charCodeAt(this.pos + 2) === 123) {
        const close = text.indexOf('}}', this.pos + 3);
        const stop = close < 0 || close >= end ? end : close + 2;
        value += text.slice(this.pos, stop);
        this.pos = stop;
      } else if ((c === 36 || c === 60 || c === 62) && next === 40) {
        const close = this.matchParen(this.pos + 1);
        this.substitution(this.pos + 2, close);
        value += text.slice(this.pos, Math.min(close + 1, end));
        this.pos = Math.min(close + 1, end);
      } else if (c === 36 && next === 123) {
        const close = text.indexOf('}', this.pos + 2);
        const stop = close < 0 || close >= end ? end : close + 1;
        value += text.slice(this.pos, stop);
        this.pos = stop;
      } else if (c === 96 /* ` */) {
        let close = this.pos + 1;
        while (close < end && text.charCodeAt(close) !== 96) close += text.charCodeAt(close) === 92 ? 2 : 1;
        this.substitution(this.pos + 1, Math.min(close, end));
        value += text.slice(this.pos, Math.min(close + 1, end));
        this.pos = Math.min(close + 1, end);
      } else if (c === 39 /* ' */) {
        quoted = true;
        const close = text.indexOf("'", this.pos + 1);
        const stop = close < 0 || close >= end ? end : close;
        value += text.slice(this.pos + 1, stop);
        this.pos = Math.min(stop + 1, end);
      } else if (c === 34 /* " */) {
        quoted = true;
        this.pos++;
        while (this.pos < end) {
          const d = text.charCodeAt(this.pos);
          if (d === 34) break;
          if (d === 92 /* \ */ && this.pos + 1 < end) {
            const escaped = text.charCodeAt(this.pos + 1);
            if (escaped === 10) {
              this.pos += 2;
              continue;
            }
            // Inside double quotes a backslash escapes only $ ` " and itself; elsewhere it stays.
            value += escaped === 36 || escaped === 96 || escaped === 34 || escaped === 92 ? text[this.pos + 1] : text.slice(this.pos, this.pos + 2);
            this.pos += 2;
          } else if (d === 36 && text.charCodeAt(this.pos + 1) === 40) {
            const close = this.matchParen(this.pos + 1);
            this.substitution(this.pos + 2, close);
            value += text.slice(this.pos, Math.min(close + 1, end));
            this.pos = Math.min(close + 1, end);
          } else if (d === 36 && text.charCodeAt(this.pos + 1) === 123 && text.charCodeAt(this.pos + 2) === 123) {
            const close = text.indexOf('}}', this.pos + 3);
            const stop = close < 0 || close >= end ? end : close + 2;
            value += text.slice(this.pos, stop);
            this.pos = stop;
          } else {
            // A run of characters with no meaning inside double quotes, appended at once.
            const from = this.pos;
            this.pos++;
            while (this.pos < end && IN_DOUBLE_QUOTES_SPECIAL[text.charCodeAt(this.pos)] !== 1) this.pos++;
            value += text.slice(from, this.pos);
          }
        }
        this.pos = Math.min(this.pos + 1, end);
      } else if (c === 92 /* \ */) {
        if (next === 10) {
          this.pos += 2;
          break;
        }
        value += text[this.pos + 1] ?? '';
        this.pos += 2;
      } else {
        // A run of ordinary characters, appended at once.
        const from = this.pos;
        this.pos++;
        while (this.pos < end && WORD_SPECIAL[text.charCodeAt(this.pos)] !== 1) this.pos++;
        value += text.slice(from, this.pos);
      }
    }
    if (this.pos === start) return null;
    const stop = Math.min(this.pos, end);
    return { text: value, raw: text.slice(start, stop), span: { start, end: stop }, quoted };
  }

  /** Offset of the `)` matching the `(` at `open` (quotes skipped); `end` when unbalanced. */
  private matchParen(open: number): number {
    const { text, end } = this;
    let depth = 0;
    for (let i = open; i < end; i++) {
      const c = text[i];
      if (c === '\\') i++;
      else if (c === "'") {
        const close = text.indexOf("'", i + 1);
        if (close < 0) return end;
        i = close;
      } else if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return i;
    }
    return end;
  }

  private substitution(from: number, to: number): void {
    if (this.depth > 16 || to <= from) return;
    new Reader(this.text, from, Math.min(to, this.end), this.out, true, this.depth + 1).run();
  }

  private finish(next: Connector, pipesTo = false): void {
    if (this.words.length > 0 || this.redirects.length > 0) {
      const command = buildCommand(this.words, this.redirects, this.heredocs, this.start, this.lastEnd(), this.connector, this.inSubstitution);
      command.pipesTo = pipesTo;
      for (const pending of this.pendingHeredocs) if (!pending.command) pending.command = command;
      this.out.push(command);
      this.last = command;
      this.connector = next;
    } else if (next === '|' || next === '&&' || next === '||') {
      // `cmd \n | next` is not valid shell, but `if x; then` etc. keep the last connector meaningful.
      this.connector = next;
    } else if (this.connector === 'start' || next !== 'newline') {
      this.connector = this.last ? next : 'start';
    } else {
      this.connector = 'newline';
    }
    if (pipesTo) this.connector = '|';
    this.words = [];
    this.redirects = [];
    this.heredocs = [];
    this.start = -1;
  }

  private lastEnd(): number {
    let end = this.start;
    for (const word of this.words) end = Math.max(end, word.span.end);
    for (const redirect of this.redirects) end = Math.max(end, redirect.span.end);
    return end;
  }

  /** After a newline: skips (and records) the bodies of the heredocs opened on the line just ended. */
  private readHeredocBodies(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const heredoc of pending) {
      const bodyStart = this.pos;
      let bodyEnd = this.end;
      let after = this.end;
      while (this.pos < this.end) {
        let lineEnd = this.text.indexOf('\n', this.pos);
        if (lineEnd < 0 || lineEnd > this.end) lineEnd = this.end;
        let line = this.text.slice(this.pos, lineEnd).replace(/\r$/, '');
        if (heredoc.strip) line = line.replace(/^\t+/, '');
        if (line.trim() === heredoc.delimiter) {
          bodyEnd = this.pos;
          after = Math.min(lineEnd + 1, this.end);
          break;
        }
        this.pos = lineEnd + 1;
      }
      this.pos = Math.min(after, this.end);
      const record = { delimiter: heredoc.delimiter, quoted: heredoc.quoted, body: this.text.slice(bodyStart, bodyEnd), bodySpan: { start: bodyStart, end: bodyEnd } };
      heredoc.command?.heredocs.push(record);
    }
  }
}

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

function buildCommand(
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
      if (word.text === 'sudo' || word.text === 'doas') while (i < words.length && words[i].text.startsWith('-')) i += words[i].text === '-u' ? 2 : 1;
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

/** The argument words (argv without the command name). */
export function args(command: ShellCommand): ShellWord[] {
  return command.argv.slice(1);
}

/** True when an argument equals one of `flags` (or is `--flag=value` for a long flag). */
export function hasFlag(command: ShellCommand, ...flags: string[]): boolean {
  return args(command).some((word) => flags.includes(word.text) || flags.some((flag) => flag.startsWith('--') && word.text.startsWith(`${flag}=`)));
}

/** The value of `-o x`, `--output x` or `--output=x`; null when absent. */
export function flagValue(command: ShellCommand, ...flags: string[]): ShellWord | null {
  const list = args(command);
  for (let i = 0; i < list.length; i++) {
    const text = list[i].text;
    if (flags.includes(text)) return list[i + 1] ?? null;
    for (const flag of flags) {
      if (flag.startsWith('--') && text.startsWith(`${flag}=`)) {
        const word = list[i];
        const cut = flag.length + 1;
        return { text: text.slice(cut), raw: word.raw, span: { start: word.span.start + Math.min(cut, word.raw.length), end: word.span.end }, quoted: word.quoted };
      }
    }
  }
  return null;
}

/** Positional arguments (words not starting with `-`), after the subcommand words given. */
export function positionals(command: ShellCommand): ShellWord[] {
  return args(command).filter((word) => !word.text.startsWith('-'));
}

/** The next command of the same pipeline, if this one pipes into it. */
export function pipedInto(script: ShellScript, command: ShellCommand): ShellCommand | null {
  if (!command.pipesTo) return null;
  const index = script.commands.indexOf(command);
  for (let i = index + 1; i < script.commands.length; i++) {
    const next = script.commands[i];
    if (next.inSubstitution !== command.inSubstitution) continue;
    return next.pipeline === command.pipeline ? next : null;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------
// `run:` scripts located in the document

export interface RunScript {
  /** The `run:` entry. */
  entry: Entry;
  step: StepView;
  /** The job (null in composite actions). */
  job: JobView | null;
  script: ShellScript;
  /** The shell named by the step, job defaults or workflow defaults; '' when none (bash/pwsh by runner). */
  shell: string;
  /** Maps an offset in the script to an offset in the document. */
  toSource(offset: number): number;
  /** Maps a script span to a document span. */
  sourceSpan(span: Span): Span;
}

/**
 * Maps offsets of a scalar's value to offsets of the document: exact for plain and quoted scalars whose
 * text equals their value and for literal block scalars (`|`), line by line; for anything else (folded
 * blocks, escapes) every offset maps onto the scalar's token, which is still the right line to point at.
 */
export function scalarOffsetMapper(node: YamlNode | null, source: string): (offset: number) => number {
  const span = nodeSpan(node);
  if (!node || !span || !isScalar(node)) return () => span?.start ?? 0;
  const scalar = node as Scalar;
  const value = typeof scalar.value === 'string' ? scalar.value : null;
  const clampToken = (offset: number) => Math.max(span.start, Math.min(offset, span.end));
  if (value === null) return () => span.start;
  if (scalar.type === 'BLOCK_LITERAL') {
    // Header line (`|`, `|-`, `|2+` and a comment) ends at the first newline of the token.
    const header = source.indexOf('\n', span.start);
    if (header < 0) return () => span.start;
    const lineStarts: number[] = [];
    const valueLines = value.split('\n');
    let cursor = header + 1;
    let indent = -1;
    for (let k = 0; k < valueLines.length; k++) {
      if (cursor > source.length) break;
      let lineEnd = source.indexOf('\n', cursor);
      if (lineEnd < 0) lineEnd = source.length;
      const line = source.slice(cursor, lineEnd).replace(/\r$/, '');
      if (indent < 0 && valueLines[k].length > 0) {
        indent = line.length - valueLines[k].length;
        if (indent < 0 || line.slice(indent) !== valueLines[k]) return clampToken;
      }
      lineStarts.push(cursor);
      cursor = lineEnd + 1;
    }
    const firstIndent = Math.max(indent, 0);
    const valueLineStarts: number[] = [0];
    for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) valueLineStarts.push(i + 1);
    return (offset: number) => {
      let low = 0;
      let high = valueLineStarts.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >> 1;
        if (valueLineStarts[mid] <= offset) low = mid;
        else high = mid - 1;
      }
      const lineStart = lineStarts[low];
      if (lineStart === undefined) return span.end;
      return Math.min(lineStart + firstIndent + (offset - valueLineStarts[low]), source.length);
    };
  }
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  const start = quoted ? span.start + 1 : span.start;
  if (source.startsWith(value, start)) return (offset: number) => start + offset;
  return clampToken;
}

function shellOf(step: StepView, job: JobView | null, file: ParsedFile): string {
  const own = step.shell?.value;
  if (own) return own;
  const jobShell = job?.child('defaults').child('run').string('shell')?.value;
  if (jobShell) return jobShell;
  return file.workflow?.child('defaults').child('run').string('shell')?.value ?? '';
}

const cache = new AttachedCache<ParsedFile, RunScript[]>('run-scripts', attachmentsOf);

/** Every `run:` script of a workflow's jobs or a composite action's steps, parsed (cached per file). */
export function runScripts(file: ParsedFile): RunScript[] {
  const cached = cache.get(file);
  if (cached) return cached;
  const scripts: RunScript[] = [];
  const add = (step: StepView, job: JobView | null) => {
    const entry = step.run;
    if (!entry || !entry.value || !isScalar(entry.value)) return;
    const value = (entry.value as Scalar).value;
    if (typeof value !== 'string') return;
    // Offsets are mapped back to the document only for the scripts a rule reports on: the mapper is built then.
    const scalar = entry.value;
    let mapper: ((offset: number) => number) | undefined;
    const map = (offset: number) => (mapper ??= scalarOffsetMapper(scalar, file.text))(offset);
    scripts.push({
      entry,
      step,
      job,
      script: parseShell(value),
      shell: shellOf(step, job, file),
      toSource: map,
      sourceSpan: (span: Span) => {
        const start = map(span.start);
        const end = map(span.end);
        return { start, end: Math.max(start, end) };
      },
    });
  };
  try {
    if (file.workflow) for (const job of file.workflow.jobs) for (const step of job.steps) add(step, job);
    if (file.action) for (const step of file.action.steps) add(step, null);
  } catch {
    // A malformed document yields the scripts read so far.
  }
  cache.set(file, scripts);
  return scripts;
}

/** The scripts of one job (or of the composite action when `job` is null). */
const byJobCache = new AttachedCache<ParsedFile, Map<JobView | null, RunScript[]>>('run-scripts-by-job', attachmentsOf);

export function runScriptsOf(file: ParsedFile, job: JobView | null): RunScript[] {
  let byJob = byJobCache.get(file);
  if (!byJob) {
    byJob = new Map();
    for (const script of runScripts(file)) {
      const list = byJob.get(script.job);
      if (list) list.push(script);
      else byJob.set(script.job, [script]);
    }
    byJobCache.set(file, byJob);
  }
  // A fresh array, as before: callers may sort or extend what they get.
  return byJob.get(job)?.slice() ?? [];
}
