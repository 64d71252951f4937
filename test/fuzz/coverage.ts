// Coverage feedback from V8's own block coverage (the data `node --experimental-test-coverage`
// and c8 read), through the inspector: no native addon, no instrumentation pass.
//
// V8 reports, per executed function, its range and the nested block ranges whose counts differ
// from the enclosing one; a block that ran as often as its parent is not listed. So every block
// range ever reported is remembered, and after each input every known block of the functions
// that ran gets its count from the innermost reported range around it. A feature is a block with
// its count rounded to a power-of-two bucket (as AFL does with edges): an input that reaches a
// block, or a loop count, never seen before is kept in the corpus for further mutation.

import { Session } from 'node:inspector';

interface CoverageRange {
  startOffset: number;
  endOffset: number;
  count: number;
}

interface FunctionCoverage {
  functionName: string;
  ranges: CoverageRange[];
}

interface ScriptCoverage {
  scriptId: string;
  url: string;
  functions: FunctionCoverage[];
}

function bucket(count: number): number {
  if (count <= 0) return 0;
  if (count <= 3) return count;
  return Math.min(16, 2 + Math.ceil(Math.log2(count)));
}

export class CoverageFeedback {
  private readonly session = new Session();
  /** Block ranges seen so far, per function ("scriptId:start"), as "start:end". */
  private readonly knownBlocks = new Map<string, Array<[number, number]>>();
  private readonly knownKeys = new Set<string>();
  private readonly features = new Set<string>();
  private readonly coveredBlocks = new Set<string>();

  /** `include` picks the scripts that count (the code under test, not the fuzzer). */
  constructor(private readonly include: (url: string) => boolean) {
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });
    this.take();
  }

  /** Blocks executed at least once so far. */
  get blocks(): number {
    return this.coveredBlocks.size;
  }

  /** Forgets what ran since the last call (the generator's own work). */
  reset(): void {
    this.take();
  }

  /** The number of features the code run since `reset` reached for the first time. */
  collect(): number {
    let fresh = 0;
    for (const script of this.take()) {
      if (!this.include(script.url)) continue;
      for (const fn of script.functions) {
        const ranges = fn.ranges;
        if (ranges.length === 0 || ranges[0].count === 0) continue;
        const fnKey = `${script.scriptId}:${ranges[0].startOffset}`;
        let known = this.knownBlocks.get(fnKey);
        if (!known) this.knownBlocks.set(fnKey, (known = []));
        for (const range of ranges) {
          const key = `${fnKey}:${range.startOffset}:${range.endOffset}`;
          if (!this.knownKeys.has(key)) {
            this.knownKeys.add(key);
            known.push([range.startOffset, range.endOffset]);
          }
        }
        for (const [start, end] of known) {
          // The innermost reported range around the block gives its count.
          let count = 0;
          let width = Infinity;
          for (const range of ranges) {
            if (range.startOffset <= start && range.endOffset >= end && range.endOffset - range.startOffset < width) {
              width = range.endOffset - range.startOffset;
              count = range.count;
            }
          }
          const level = bucket(count);
          if (level === 0) continue;
          const block = `${fnKey}:${start}:${end}`;
          this.coveredBlocks.add(block);
          const feature = `${block}:${level}`;
          if (!this.features.has(feature)) {
            this.features.add(feature);
            fresh++;
          }
        }
      }
    }
    return fresh;
  }

  stop(): void {
    this.post('Profiler.stopPreciseCoverage');
    this.session.disconnect();
  }

  private take(): ScriptCoverage[] {
    return (this.post('Profiler.takePreciseCoverage') as { result: ScriptCoverage[] }).result;
  }

  private post(method: string, params?: object): unknown {
    let result: unknown;
    let failure: unknown;
    // The inspector answers synchronously when called from the inspected thread.
    this.session.post(method, params ?? {}, (error, answer) => {
      failure = error;
      result = answer;
    });
    if (failure) throw failure;
    return result;
  }
}
