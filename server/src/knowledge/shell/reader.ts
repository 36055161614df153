/**
 * A rough, never-throwing reader of `run:` scripts: splits a script into simple commands (with words,
 * redirections and heredocs) and keeps the span of everything, so rules can point at `curl` in line 7
 * of a block scalar. It understands what matters for auditing and no more: quotes, backslash escapes,
 * line continuations, comments, `${{ }}` (kept whole in one word), `$( )` / backticks / `<( )` (whose
 * insides are read as commands too), `&&`, `||`, `;`, `&`, pipes, subshell parentheses and heredocs
 * (whose bodies are skipped, and kept). PowerShell and cmd scripts are tokenised with the same rules,
 * which is good enough to find command names and arguments.
 *
 * Offsets in a `ShellScript` are offsets into the script string. `runScripts` (run-scripts.ts) reads a `run:` entry
 * and maps them back onto the document (block scalars included), so findings land on the exact token.
 */
import { TextMemo } from '../../parse/text-memo';
import { buildCommand } from './command';
import type { Connector, Heredoc, Redirection, ShellCommand, ShellScript, ShellWord } from './types';

/** Characters `readWord` treats other than by appending them to the word. */
const WORD_SPECIAL = new Uint8Array(128);
for (const c of ' \t\n\r;|()&<>$`\'"\\') WORD_SPECIAL[c.charCodeAt(0)] = 1;
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
      } else if ((c === 40 /* ( */ || c === 41) /* ) */ && !(c === 40 && next === 40)) {
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
      if ((c === 60 /* < */ || c === 62) /* > */ && next !== 40) break;
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
            value +=
              escaped === 36 || escaped === 96 || escaped === 34 || escaped === 92
                ? text[this.pos + 1]
                : text.slice(this.pos, this.pos + 2);
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
      const command = buildCommand(
        this.words,
        this.redirects,
        this.heredocs,
        this.start,
        this.lastEnd(),
        this.connector,
        this.inSubstitution,
      );
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
      const record = {
        delimiter: heredoc.delimiter,
        quoted: heredoc.quoted,
        body: this.text.slice(bodyStart, bodyEnd),
        bodySpan: { start: bodyStart, end: bodyEnd },
      };
      heredoc.command?.heredocs.push(record);
    }
  }
}
