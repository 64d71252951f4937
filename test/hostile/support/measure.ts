// Runs one workload of ./workloads in a fresh Node process and measures it there: the wall time
// of the work alone, and how far the process's peak resident memory rose above what it held
// before the work. A fresh process per workload, so that an earlier test's peak or garbage can
// neither hide a workload's memory nor be charged to it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { Workloads } from './workloads';

export interface Measured<T> {
  value: T;
  /** Wall time of the workload, without starting Node and loading the engine. */
  ms: number;
  /** The process's peak resident set during the workload minus its resident set before, in bytes. */
  peakRssGrowth: number;
}

export const MB = 1024 * 1024;

const WORKLOADS = path.join(__dirname, 'workloads.js');

/**
 * The child loads the engine, collects garbage, notes its resident set, runs the workload and
 * prints what it measured. maxRSS is the high-water mark of the whole process, so the growth it
 * gives can only overstate the workload's own peak, never understate it.
 */
const CHILD = `
const [file, name, json] = process.argv.slice(1);
const { workloads } = require(file);
(async () => {
  global.gc();
  const before = process.memoryUsage().rss;
  const started = performance.now();
  const value = await workloads[name](JSON.parse(json));
  const ms = performance.now() - started;
  const peak = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ value, ms, peakRssGrowth: peak - before }));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
`;

/** Long enough for a slow machine, short enough that a hang fails with a message. */
const CHILD_TIMEOUT_MS = 60_000;

export function measure<N extends keyof Workloads>(name: N, args: Parameters<Workloads[N]>[0]): Measured<Awaited<ReturnType<Workloads[N]>>> {
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', CHILD, WORKLOADS, name, JSON.stringify(args)], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * MB,
  });
  assert.equal(child.error, undefined, `${name} did not finish within ${CHILD_TIMEOUT_MS} ms: ${child.error?.message}`);
  assert.equal(child.status, 0, `${name} failed (status ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  return JSON.parse(child.stdout) as Measured<Awaited<ReturnType<Workloads[N]>>>;
}

/** For messages and docs/robustness.md: "312 ms, +41 MB". */
export function describeMeasurement(measured: Measured<unknown>): string {
  return `${Math.round(measured.ms)} ms, +${(measured.peakRssGrowth / MB).toFixed(1)} MB peak RSS`;
}
