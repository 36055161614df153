/** Entry of dist/server.js: `node dist/server.js --stdio` (or --node-ipc when VS Code starts it). */
import { format } from 'node:util';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { FrameValidator } from './framing';
import { startServer } from './server';

if (process.argv.slice(2).includes('--stdio')) {
  // Over stdio a bad frame header would leave the reader lost in the byte stream (see framing.ts): log it
  // and exit with code 1 instead, so that the client notices and restarts the server.
  const input = process.stdin.pipe(
    new FrameValidator((reason) => {
      process.stderr.write(`actions-warden: invalid message frame on standard input (${reason}); exiting.\n`);
      process.exit(1);
    }),
  );
  // The connection reads the validated stream, not process.stdin itself: it then exits when the stream
  // ends (as it does for stdin), but no longer redirects console output, and stdout carries the protocol.
  for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const)
    console[method] = (...args: unknown[]) => void process.stderr.write(`${format(...args)}\n`);
  startServer(createConnection(ProposedFeatures.all, input, process.stdout));
} else {
  // --node-ipc (the VS Code extension), --socket, --pipe: messages are not framed by us.
  startServer(createConnection(ProposedFeatures.all));
}
