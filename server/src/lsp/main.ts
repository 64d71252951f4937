// Entry point of dist/server.js. The transport comes from the command line, as editors pass it:
// --stdio (Neovim, Helix, most clients), --node-ipc (VS Code), --socket=<port>, --pipe=<name>.
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { startServer } from './server';

const usage = 'Usage: node server.js --stdio | --node-ipc | --socket=<port> | --pipe=<name>';

let connection: Connection;
try {
  connection = createConnection(ProposedFeatures.all);
} catch (error) {
  // Started by hand without a transport: say how to start it instead of printing a stack trace.
  process.stderr.write(`wix-uac language server: ${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
  process.exit(2);
}
startServer(connection);
