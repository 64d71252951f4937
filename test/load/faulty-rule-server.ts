// The language server with the faulty rule among its rules, started over stdio like dist/server.js,
// for the test that checks one rule's crash is contained end to end.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { rules } from '../../server/src/engine/rules';
import { startServer } from '../../server/src/lsp/server';
import { faultyRule } from './faulty-rule';

// `node --test out/test/` loads every file below test/, this one too: without a transport on the
// command line it was not started as a server, and has nothing to do.
if (process.argv.includes('--stdio')) {
  startServer(createConnection(ProposedFeatures.all), { rules: [...rules, faultyRule] });
}
