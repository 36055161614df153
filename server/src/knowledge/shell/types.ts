/** What the shell reader produces: the commands of a script, their words, redirections and heredocs, with spans. */
import type { Span } from '../../parse/text';

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
