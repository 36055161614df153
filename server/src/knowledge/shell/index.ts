/**
 * The shell reader of `run:` scripts: `reader.ts` splits a script into commands (`types.ts`), `command.ts`
 * finds each command's name past assignments and wrappers, `arguments.ts` answers questions about flags and
 * pipes, and `run-scripts.ts` locates the scripts in a document and maps their offsets back onto it.
 */
export type { Connector, Heredoc, Redirection, ShellCommand, ShellScript, ShellWord } from './types';
export { parseShell, shellMemo } from './reader';
export { args, flagValue, hasFlag, pipedInto, positionals } from './arguments';
export { runScripts, runScriptsOf, scalarOffsetMapper, type RunScript, type ScriptInputSource } from './run-scripts';
