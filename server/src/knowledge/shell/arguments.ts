/** Questions about one command's arguments and the pipeline it belongs to. */
import type { ShellCommand, ShellScript, ShellWord } from './types';

/** The argument words (argv without the command name). */
export function args(command: ShellCommand): ShellWord[] {
  return command.argv.slice(1);
}

/** True when an argument equals one of `flags` (or is `--flag=value` for a long flag). */
export function hasFlag(command: ShellCommand, ...flags: string[]): boolean {
  return args(command).some(
    (word) => flags.includes(word.text) || flags.some((flag) => flag.startsWith('--') && word.text.startsWith(`${flag}=`)),
  );
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
        return {
          text: text.slice(cut),
          raw: word.raw,
          span: { start: word.span.start + Math.min(cut, word.raw.length), end: word.span.end },
          quoted: word.quoted,
        };
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
