// The fuzz harness itself: it finds, shrinks and classifies planted bugs; a failing input saved to
// files reads back as the same input; and the package writer behind the `msi` and `pkcs7`
// targets writes packages the reader reads as the originals (so their edits reach deep code).
// In its own file, so the timing of the planted hang is not disturbed by the large heap of the
// fuzz runs in test/fuzz.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { verifyPackageSignature } from '../server/src/engine/package/authenticode';
import { bufferByteSource } from '../server/src/engine/package/byte-source';
import { openCompoundFile, type CfbEntry } from '../server/src/engine/package/cfb';
import { writeCfb } from './fuzz/cfb-writer';
import { applyByteEdits, byteEdits, corpusPick } from './fuzz/mutate';
import { packageSeeds } from './fuzz/package';
import { runTarget } from './fuzz/runner';
import { FuzzFailure, type FuzzTarget } from './fuzz/target';
import { targets } from './fuzz/targets';

const SEED = 20260601;

describe('fuzz targets: a failing input saved as files reads back as the same input', () => {
  for (const target of targets) {
    it(target.name, () => {
      const corpus = { entries: target.seeds() };
      assert.ok(corpus.entries.length > 0, 'the fixtures give the target seeds');
      for (const input of fc.sample(target.arbitrary(corpus), { seed: SEED, numRuns: 10 })) {
        const files = target.toFiles(input);
        assert.deepEqual(target.toFiles(target.fromFiles(files)), files);
      }
    });
  }
});

/** A parser with planted bugs: '*' crashes it, '!' breaks an invariant, '~' makes it slow. */
const planted: FuzzTarget<Uint8Array> = {
  name: 'planted',
  summary: 'a parser with planted bugs',
  seeds: () => [Buffer.from('a harmless document of some length')],
  arbitrary: (corpus) => fc.record({ base: corpusPick(corpus.entries), edits: byteEdits(6) }).map(({ base, edits }) => applyByteEdits(base, edits)),
  check: (bytes) => {
    const missing = undefined as unknown as { length: number };
    if (bytes.includes(0x2a)) void missing.length;
    if (bytes.includes(0x21)) throw new FuzzFailure('invariant', 'planted invariant');
    if (bytes.includes(0x7e)) for (const end = performance.now() + 40; performance.now() < end;);
  },
  toFiles: (bytes) => new Map([['input', bytes]]),
  fromFiles: (files) => files.get('input')!,
};

describe('the fuzz runner', () => {
  it('finds each planted bug, shrinks it to a single edit of the seed, and tells crashes, invariants and hangs apart', () => {
    const stats = runTarget(planted, { seed: 1, runs: 1000, timeLimitMs: 20 });
    const byKind = new Map(stats.failures.map((failure) => [failure.kind, failure]));
    assert.deepEqual([...byKind.keys()].sort(), ['crash', 'hang', 'invariant']);
    // A crash or an invariant is one bug where it is thrown; hangs cannot be told apart, so a few are kept.
    const count = (kind: string): number => stats.failures.filter((failure) => failure.kind === kind).length;
    assert.deepEqual([count('crash'), count('invariant')], [1, 1]);
    assert.ok(count('hang') >= 1 && count('hang') <= 5);
    assert.match(byKind.get('crash')!.message, /TypeError: Cannot read properties of undefined/);
    for (const [kind, trigger] of [['crash', 0x2a], ['invariant', 0x21], ['hang', 0x7e]] as const) {
      const input = byKind.get(kind)!.files.get('input')!;
      assert.ok(input.includes(trigger), `the shrunk ${kind} input still holds its trigger`);
      // Shrinking leaves the seed with a byte or two changed or inserted, or a prefix of it.
      assert.ok(input.length <= 'a harmless document of some length'.length + 4, `the shrunk ${kind} input is ${input.length} bytes`);
    }
    assert.ok(stats.repeats > 0, 'later inputs hitting a known bug are counted, not shrunk again');
    assert.equal(stats.executions, 1000);
  });
});

describe('the package writer behind the msi target', () => {
  it('rewrites every readable fixture package so that the reader sees the same streams and the same signature verdict', () => {
    const readable = packageSeeds().filter((seed) => seed.tree && seed.bytes.length <= 64 * 1024);
    assert.ok(readable.length >= 20 && readable.some((seed) => seed.signed));
    for (const seed of readable) {
      const original = openCompoundFile(bufferByteSource(seed.bytes));
      const rewritten = openCompoundFile(bufferByteSource(writeCfb(seed.tree!, seed.version).bytes));
      assert.deepEqual(streams(rewritten, rewritten.root), streams(original, original.root), seed.path);
      assert.equal(verifyPackageSignature(rewritten).state, verifyPackageSignature(original).state, seed.path);
    }
  });
});

function streams(file: ReturnType<typeof openCompoundFile>, entry: CfbEntry): string[] {
  return entry.children
    .flatMap((child) => (child.kind === 'stream' ? [`${file.describe(child)} ${Buffer.from(file.readStream(child)).toString('hex')}`] : streams(file, child)))
    .sort();
}
