// A short fuzz run of every parser with a fixed seed, so it is the same run every time (`npm run
// fuzz` runs the same targets for minutes, with coverage feedback; see docs/robustness.md).
// test/fuzz-harness.test.ts checks the harness itself.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runTarget } from './fuzz/runner';
import { targets } from './fuzz/targets';

const SEED = 20260601;
/** Inputs per target: a few seconds in all on a 2-core machine. */
const RUNS: Record<string, number> = { wix: 200, idt: 300, cfb: 300, msi: 300, pkcs7: 300, sdp: 300, engine: 150 };

describe('fuzz targets: a fixed-seed run of each', () => {
  for (const target of targets) {
    it(`${target.name} (${target.summary})`, () => {
      const runs = RUNS[target.name] ?? 100;
      const stats = runTarget(target, { seed: SEED, runs, timeLimitMs: 1000, shrinkBudgetMs: 20_000 });
      assert.deepEqual(stats.failures.map((failure) => `${failure.kind}: ${failure.message}`), []);
      assert.equal(stats.executions, runs);
    });
  }
});

