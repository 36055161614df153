/** Entry point of the `actions-warden` command (bundled to dist/cli.js). The logic lives in ./cli/. */
import { escapeLineStart } from './cli/escape';
import { main } from './cli/run';

// Output piped into a reader that stops early (`| head`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // The message may quote file content: each line is escaped and none may start a workflow command.
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`actions-warden: internal error: ${text.split('\n').map(escapeLineStart).join('\n')}\n`);
    process.exitCode = 2;
  },
);
