// The fuzzing side of `npm run fuzz` (scripts/fuzz.mjs bundles this file and runs it in a worker
// thread per target). Before each input the worker copies it, framed, into shared memory and
// bumps a counter: when an input hangs for real, the main thread stops the worker and saves the
// input from there. Importing this file outside such a worker does nothing.

import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { CoverageFeedback } from './coverage';
import { frameFiles } from './framing';
import { runTarget, type FoundFailure } from './runner';
import { targetNamed, targets } from './targets';

export { targets };
export { frameFiles, unframeFiles } from './framing';

export interface WorkerTask {
  fuzzWorker: true;
  target: string;
  seed: number;
  deadline: number;
  timeLimitMs: number;
  shrinkBudgetMs: number;
  coverage: boolean;
  /** Grow the corpus with inputs that reach new coverage (else coverage is only measured). */
  feedback: boolean;
  /** [0] inputs started, [1] length of the framed input that follows (-1: too large to keep); bytes from offset 16. */
  shared: SharedArrayBuffer;
}

export type WorkerMessage =
  | { type: 'failure'; failure: Omit<FoundFailure, 'files'> & { files: Array<[string, Uint8Array]> } }
  | { type: 'done'; stats: unknown };

if (!isMainThread && (workerData as WorkerTask | undefined)?.fuzzWorker) work(workerData as WorkerTask);

function work(task: WorkerTask): void {
  process.setSourceMapsEnabled(true);
  const target = targetNamed(task.target);
  if (!target) throw new Error(`no fuzz target ${task.target}`);
  const counters = new Int32Array(task.shared, 0, 4);
  const inputBytes = new Uint8Array(task.shared, 16);
  // Coverage of the bundle's engine code only: the generators run in the same script, but
  // coverage is reset after generating and read right after the check.
  const coverage = task.coverage ? new CoverageFeedback((url) => url.endsWith('.js') && !url.startsWith('node:')) : undefined;
  const stats = runTarget(target, {
    seed: task.seed,
    deadline: task.deadline,
    timeLimitMs: task.timeLimitMs,
    shrinkBudgetMs: task.shrinkBudgetMs,
    coverage,
    feedback: task.feedback,
    beforeInput: (input) => {
      const framed = frameFiles(target.toFiles(input));
      if (framed.length <= inputBytes.length) {
        inputBytes.set(framed);
        Atomics.store(counters, 1, framed.length);
      } else {
        Atomics.store(counters, 1, -1);
      }
      Atomics.add(counters, 0, 1);
    },
    onFailure: (failure) => {
      const message: WorkerMessage = { type: 'failure', failure: { ...failure, files: [...failure.files] } };
      parentPort!.postMessage(message);
    },
  });
  coverage?.stop();
  const { failures, slowest, ...rest } = stats;
  const done: WorkerMessage = { type: 'done', stats: { ...rest, failures: failures.length, slowest: slowest && [...slowest] } };
  parentPort!.postMessage(done);
}
