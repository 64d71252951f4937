// Fuzzes the parsers: every target of test/fuzz/targets.ts, or one, for a given time each.
//
// Usage: npm run fuzz [-- --seconds 60 --target cfb --seed 1 --time-limit 1000 --no-feedback]
//        npm run fuzz -- --list
//
// Each target runs in a worker thread (one after the other, or --jobs N at once). The worker
// generates inputs with fast-check, keeps those that reach new code (V8 block coverage) for
// further mutation, and shrinks every distinct failure. A watchdog stops a worker whose current
// input runs longer than --hang-ms and saves that input as a hang. Failing inputs are written to
// --out (test-output/fuzz/<target>/<kind>-<hash>/, with case.json saying what failed); copy a
// fixed one to test/fixtures/fuzz-regressions/<target>/<name>/ to keep it as a regression test.
// Prints executions, failures and hangs per target; exits with 1 when anything failed.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    target: { type: 'string' },
    seed: { type: 'string' },
    'time-limit': { type: 'string', default: '1000' },
    'hang-ms': { type: 'string', default: '20000' },
    'shrink-seconds': { type: 'string', default: '60' },
    out: { type: 'string', default: path.join(root, 'test-output', 'fuzz') },
    jobs: { type: 'string', default: '1' },
    'no-coverage': { type: 'boolean', default: false },
    'no-feedback': { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log('npm run fuzz -- [--seconds 30] [--target wix,cfb] [--seed N] [--time-limit 1000] [--hang-ms 20000] [--shrink-seconds 60] [--jobs 1] [--no-feedback | --no-coverage] [--out DIR] [--list]');
  process.exit(0);
}

const seconds = Number(args.seconds);
const timeLimitMs = Number(args['time-limit']);
const hangMs = Number(args['hang-ms']);
const shrinkBudgetMs = Number(args['shrink-seconds']) * 1000;
const jobs = Math.max(1, Number(args.jobs));
const baseSeed = args.seed !== undefined ? Number(args.seed) : Date.now() % 0x7fffffff;
const outFolder = path.resolve(args.out);

const bundleFolder = path.join(outFolder, '.bundle');
const bundle = path.join(bundleFolder, 'worker.js');
await esbuild.build({
  entryPoints: [path.join(root, 'test', 'fuzz', 'worker.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
});
const { targets } = createRequire(import.meta.url)(bundle);

if (args.list) {
  for (const target of targets) console.log(`${target.name.padEnd(8)} ${target.summary}`);
  process.exit(0);
}

const selected = args.target ? args.target.split(',').map((name) => name.trim()) : targets.map((target) => target.name);
for (const name of selected) {
  if (!targets.some((target) => target.name === name)) {
    console.error(`no fuzz target "${name}"; there are: ${targets.map((target) => target.name).join(', ')}`);
    process.exit(2);
  }
}

const coverageMode = args['no-coverage'] ? 'off' : args['no-feedback'] ? 'measured only' : 'on';
console.log(`fuzzing ${selected.join(', ')}: ${seconds} s each, seed ${baseSeed}, ${timeLimitMs} ms per input, coverage feedback ${coverageMode}`);
console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);

/** Writes a failing input and what it did; returns the folder. */
function saveFailure(target, kind, message, files, extra = {}) {
  const hash = createHash('sha256');
  for (const [name, bytes] of files) hash.update(name).update(bytes);
  const folder = path.join(outFolder, target, kind === 'slowest' ? 'slowest' : `${kind}-${hash.digest('hex').slice(0, 10)}`);
  fs.rmSync(folder, { recursive: true, force: true });
  for (const [name, bytes] of files) {
    const file = path.join(folder, ...name.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, bytes);
  }
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'case.json'), `${JSON.stringify({ target, kind, message, ...extra }, null, 2)}\n`);
  return folder;
}

const { unframeFiles } = createRequire(import.meta.url)(bundle);
const SHARED_BYTES = 32 * 1024 * 1024;

/** Runs one target until its time is up, restarting the worker after a hang or a worker crash. */
async function fuzzTarget(name, index) {
  const deadline = Date.now() + seconds * 1000;
  const summary = { target: name, executions: 0, shrinkExecutions: 0, failures: [], hangs: 0, crashes: 0, corpusSize: 0, coveredBlocks: undefined, slowestMs: 0, seconds: 0, restarts: 0 };
  const started = Date.now();
  let restart = 0;
  while (Date.now() < deadline - 500 && restart < 20) {
    const shared = new SharedArrayBuffer(SHARED_BYTES);
    const counters = new Int32Array(shared, 0, 4);
    const seed = (baseSeed + index * 1000003 + restart * 7919) | 0;
    const worker = new Worker(bundle, {
      workerData: { fuzzWorker: true, target: name, seed, deadline, timeLimitMs, shrinkBudgetMs, coverage: !args['no-coverage'], feedback: !args['no-feedback'], shared },
      resourceLimits: { maxOldGenerationSizeMb: 3072 },
      execArgv: ['--enable-source-maps'],
      stdout: false,
    });
    const outcome = await new Promise((resolve) => {
      let lastCount = -1;
      let lastChange = Date.now();
      const currentInput = () => {
        const length = Atomics.load(counters, 1);
        return length > 0 ? unframeFiles(new Uint8Array(shared, 16, length)) : undefined;
      };
      const watchdog = setInterval(() => {
        const count = Atomics.load(counters, 0);
        if (count !== lastCount) {
          lastCount = count;
          lastChange = Date.now();
        } else if (Date.now() - lastChange > hangMs) {
          clearInterval(watchdog);
          const files = currentInput();
          void worker.terminate();
          resolve({ kind: 'hang', files, message: `no progress for ${hangMs} ms on one input` });
        }
      }, 250);
      worker.on('message', (message) => {
        if (message.type === 'failure') {
          const failure = message.failure;
          const folder = saveFailure(name, failure.kind, failure.message, failure.files, { signature: failure.signature, seed: failure.seed, shrinkRuns: failure.shrinkRuns });
          summary.failures.push({ kind: failure.kind, message: failure.message.split('\n')[0], folder: path.relative(root, folder) });
          console.log(`  ${name}: ${failure.kind}: ${failure.message.split('\n')[0]}\n    saved in ${path.relative(root, folder)}`);
        } else if (message.type === 'done') {
          clearInterval(watchdog);
          resolve({ kind: 'done', stats: message.stats });
        }
      });
      worker.on('error', (error) => {
        clearInterval(watchdog);
        resolve({ kind: 'crash', files: currentInput(), message: `the worker died: ${error.code ?? ''} ${error.message}` });
      });
      worker.on('exit', (code) => {
        clearInterval(watchdog);
        resolve({ kind: 'crash', files: currentInput(), message: `the worker exited with code ${code}` });
      });
    });
    summary.executions += Math.max(0, Atomics.load(counters, 0));
    if (outcome.kind === 'done') {
      const stats = outcome.stats;
      summary.shrinkExecutions += stats.shrinkExecutions;
      summary.corpusSize = Math.max(summary.corpusSize, stats.corpusSize);
      summary.coveredBlocks = stats.coveredBlocks;
      if (stats.slowest && stats.slowestMs >= summary.slowestMs) {
        summary.slowestMs = stats.slowestMs;
        // Not a failure: the input closest to the time bound, to look at.
        saveFailure(name, 'slowest', `passed in ${Math.round(stats.slowestMs)} ms`, stats.slowest, { seed });
      }
      // The counter also counts inputs run while shrinking.
      summary.executions -= stats.shrinkExecutions;
      break;
    }
    restart++;
    summary.restarts++;
    if (outcome.kind === 'hang') summary.hangs++;
    else summary.crashes++;
    const folder = outcome.files ? saveFailure(name, outcome.kind, outcome.message, outcome.files, { seed }) : undefined;
    summary.failures.push({ kind: outcome.kind, message: outcome.message, folder: folder && path.relative(root, folder) });
    console.log(`  ${name}: ${outcome.kind}: ${outcome.message}${folder ? `\n    saved in ${path.relative(root, folder)}` : ' (input too large to keep)'}`);
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

const results = [];
const queue = selected.map((name, index) => ({ name, index }));
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      console.log(`${next.name}: running for ${seconds} s`);
      const summary = await fuzzTarget(next.name, next.index);
      results.push(summary);
      console.log(`${next.name}: ${summary.executions} inputs in ${summary.seconds.toFixed(0)} s, ${summary.failures.length} failures`);
    }
  }),
);
results.sort((a, b) => selected.indexOf(a.target) - selected.indexOf(b.target));

const rows = results.map((r) => {
  const counts = { crash: 0, 'internal-error': 0, invariant: 0, hang: 0 };
  for (const failure of r.failures) counts[failure.kind] = (counts[failure.kind] ?? 0) + 1;
  return [r.target, r.executions, Math.round(r.executions / Math.max(1, r.seconds)), counts.crash, counts['internal-error'], counts.invariant, counts.hang, r.corpusSize, r.coveredBlocks ?? '–', Math.round(r.slowestMs), Math.round(r.seconds)];
});
const header = ['target', 'executions', 'per s', 'crashes', 'internal errors', 'invariants', 'hangs', 'corpus', 'blocks', 'slowest ms', 'seconds'];
console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);

fs.mkdirSync(outFolder, { recursive: true });
fs.writeFileSync(path.join(outFolder, 'summary.json'), `${JSON.stringify({ seed: baseSeed, seconds, timeLimitMs, coverage: coverageMode, node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, results }, null, 2)}\n`);
const failed = results.reduce((sum, r) => sum + r.failures.length, 0);
console.log(failed === 0 ? '\nno failures' : `\n${failed} failures; inputs in ${path.relative(root, outFolder)}`);
process.exit(failed === 0 ? 0 : 1);
