// Runs one target: fast-check generates inputs (fresh structured ones and mutations of the
// corpus), each input goes through the target's check under a time bound, and a failure is
// shrunk by fast-check to a small input, recorded, and then counted but no longer shrunk again,
// so one run can report several distinct bugs. Optional coverage feedback grows the corpus.

import * as fc from 'fast-check';
import type { CoverageFeedback } from './coverage';
import { FuzzFailure, type AnyTarget, type FailureKind, type InputFiles } from './target';

export interface RunOptions {
  seed: number;
  /** Stop after this many generated inputs… */
  runs?: number;
  /** …or at this time (Date.now()), whichever comes first. */
  deadline?: number;
  /** The time bound per input, in ms. */
  timeLimitMs: number;
  /** Time allowed to shrink one failure, in ms. */
  shrinkBudgetMs?: number;
  coverage?: CoverageFeedback;
  /** Keep inputs that reach new coverage for mutation (default); false only measures it. */
  feedback?: boolean;
  /** Called with each input before it runs (the worker copies it where the watchdog can save it). */
  beforeInput?: (input: unknown) => void;
  /** Called when a failure has been shrunk. */
  onFailure?: (failure: FoundFailure) => void;
}

export interface FoundFailure {
  target: string;
  kind: FailureKind;
  message: string;
  /** Where it was thrown, for telling bugs apart. */
  signature: string;
  files: InputFiles;
  /** Inputs tried while shrinking. */
  shrinkRuns: number;
  seed: number;
}

export interface RunStats {
  target: string;
  executions: number;
  shrinkExecutions: number;
  /** Distinct failures, shrunk. */
  failures: FoundFailure[];
  /** Further inputs that hit an already recorded failure. */
  repeats: number;
  /** The slowest input that passed, in ms, and the input (to look at what is near the bound). */
  slowestMs: number;
  slowest?: InputFiles;
  totalMs: number;
  corpusSize: number;
  /** Blocks of the code under test reached (with coverage feedback). */
  coveredBlocks?: number;
}

/**
 * Outcome of one input: no failure when the contract held. An input over the time bound is run
 * again before it counts as a hang, so that a garbage collection or a busy machine is not one.
 */
function runOnce(target: AnyTarget, input: unknown, timeLimitMs: number): { failure?: FuzzFailure; ms: number } {
  let ms = 0;
  for (let attempt = 0; attempt < 2; attempt++) {
    const started = performance.now();
    try {
      target.check(input);
    } catch (error) {
      const failure = error instanceof FuzzFailure ? error : new FuzzFailure('crash', describeError(error));
      if (!(error instanceof FuzzFailure) && error instanceof Error && error.stack) failure.stack = error.stack;
      return { failure, ms: performance.now() - started };
    }
    ms = performance.now() - started;
    if (ms <= timeLimitMs) return { ms };
  }
  return { failure: new FuzzFailure('hang', `took ${Math.round(ms)} ms (bound ${timeLimitMs} ms)`), ms };
}

/** Inputs kept for mutation stay small enough that the corpus does not fill the heap. */
const MAX_CORPUS_ENTRIES = 20_000;
const MAX_CORPUS_INPUT_BYTES = 256 * 1024;

function inputBytes(target: AnyTarget, input: unknown): number {
  let total = 0;
  for (const bytes of target.toFiles(input).values()) total += bytes.length;
  return total;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/**
 * What tells two failures apart: the kind, the message with numbers and quoted parts blanked,
 * and the first stack frame inside the engine. Hangs have nothing of the kind: they are all one
 * signature, and a run records up to MAX_HANGS of them.
 */
export function failureSignature(failure: FuzzFailure): string {
  if (failure.kind === 'hang') return 'hang';
  const message = failure.message.replace(/\d+/g, 'N').replace(/"[^"]*"|'[^']*'|<[^>]*>/g, 'S').slice(0, 120);
  const frame = /server[\\/]src[\\/]engine[\\/][^\s)]+?:\d+/.exec(failure.stack ?? '')?.[0] ?? '';
  return `${failure.kind}|${message}|${frame.replace(/\\/g, '/')}`;
}

/** Hangs recorded per run: each may have a different cause, but shrinking one takes long. */
const MAX_HANGS = 5;

export function runTarget(target: AnyTarget, options: RunOptions): RunStats {
  const started = Date.now();
  const corpus = { entries: target.seeds() };
  const arbitrary: fc.Arbitrary<unknown> = target.arbitrary(corpus);
  const stats: RunStats = { target: target.name, executions: 0, shrinkExecutions: 0, failures: [], repeats: 0, slowestMs: 0, totalMs: 0, corpusSize: 0 };
  const known = new Set<string>();
  const shrinkBudget = options.shrinkBudgetMs ?? 60_000;
  const remainingRuns = (): number => (options.runs === undefined ? Infinity : options.runs - stats.executions);
  const timeLeft = (): number => (options.deadline === undefined ? Infinity : options.deadline - Date.now());
  let chunk = 0;

  while (remainingRuns() > 0 && timeLeft() > 0) {
    // State of this fc.check call: once an input fails, every later call is fast-check shrinking it.
    let shrinking: { signature: string; since: number } | undefined;
    const seed = (options.seed + chunk * 0x9e3779b1) | 0;
    chunk++;
    const property = fc.property(arbitrary, (input: unknown) => {
      if (shrinking) {
        // Only the same bug counts while shrinking, and only within the budget.
        if (Date.now() - shrinking.since > shrinkBudget) return true;
        stats.shrinkExecutions++;
        options.beforeInput?.(input);
        const { failure } = runOnce(target, input, options.timeLimitMs);
        if (failure && failureSignature(failure) === shrinking.signature) throw failure;
        return true;
      }
      // Past the deadline, the rest of this fast-check run only generates.
      if (timeLeft() <= 0 || remainingRuns() <= 0) return true;
      stats.executions++;
      options.beforeInput?.(input);
      options.coverage?.reset();
      const { failure, ms } = runOnce(target, input, options.timeLimitMs);
      if (!failure && ms > stats.slowestMs) {
        stats.slowestMs = ms;
        stats.slowest = target.toFiles(input);
      }
      if (options.coverage && options.coverage.collect() > 0 && options.feedback !== false) {
        if (corpus.entries.length < MAX_CORPUS_ENTRIES && inputBytes(target, input) <= MAX_CORPUS_INPUT_BYTES) corpus.entries.push(input);
      }
      if (!failure) return true;
      const signature = failureSignature(failure);
      const hangs = stats.failures.filter((found) => found.kind === 'hang').length;
      if (signature === 'hang' ? hangs >= MAX_HANGS : known.has(signature)) {
        stats.repeats++;
        return true;
      }
      shrinking = { signature, since: Date.now() };
      throw failure;
    });
    const runs = Math.min(remainingRuns(), 200);
    const plugins = (Number.isFinite(timeLeft()) ? [fc.interruptAfterTimeLimit(Math.max(1, timeLeft()) + shrinkBudget)] : []) as fc.Plugin<[unknown]>[];
    const details = fc.check<[unknown]>(property, { seed, numRuns: runs, plugins, endOnFailure: false });
    if (details.failed && details.counterexample && shrinking) {
      const input = details.counterexample[0];
      const again = runOnce(target, input, options.timeLimitMs).failure;
      const failure = again && failureSignature(again) === shrinking.signature ? again : (details.errorInstance as FuzzFailure);
      known.add(shrinking.signature);
      const found: FoundFailure = {
        target: target.name,
        kind: failure instanceof FuzzFailure ? failure.kind : 'crash',
        message: failure instanceof Error ? failure.message : String(failure),
        signature: shrinking.signature,
        files: target.toFiles(input),
        shrinkRuns: details.numShrinks,
        seed,
      };
      // Where a crash was thrown; other kinds are thrown by the check itself.
      if (found.kind === 'crash' && failure instanceof Error && failure.stack) found.message += `\n${failure.stack.split('\n').slice(1, 8).join('\n')}`;
      stats.failures.push(found);
      options.onFailure?.(found);
    }
    if (details.interrupted) break;
  }
  stats.totalMs = Date.now() - started;
  stats.corpusSize = corpus.entries.length;
  if (options.coverage) stats.coveredBlocks = options.coverage.blocks;
  return stats;
}

/** Runs one saved input; the failure it still causes, if any. */
export function replay(target: AnyTarget, files: InputFiles, timeLimitMs: number): FuzzFailure | undefined {
  return runOnce(target, target.fromFiles(files), timeLimitMs).failure;
}
