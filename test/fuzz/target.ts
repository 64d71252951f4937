// What a fuzz target is, and what counts as a failure.
//
// The contract every parser keeps is "a clear diagnostic, never a crash or hang": a target's
// `check` feeds one input through the parser the way the engine does, lets the documented error
// types pass, and throws a FuzzFailure when the parser broke that contract. Any other exception
// escaping `check` is a crash. The runner times every call (a hang is an input over the bound).

import type * as fc from 'fast-check';

export type FailureKind =
  /** An exception escaped a parser that callers do not catch (or one they catch as a bug). */
  | 'crash'
  /** The parser's own safety net caught a bug and showed it to the user ("internal error", a raw TypeError). */
  | 'internal-error'
  /** A result that cannot be right: an offset outside the document, a tampered signature called valid. */
  | 'invariant'
  /** One input took longer than the time bound. */
  | 'hang';

export class FuzzFailure extends Error {
  constructor(readonly kind: FailureKind, message: string) {
    super(message);
    this.name = 'FuzzFailure';
  }
}

/** The files that make one input: what a failing input is saved as, and read back from. */
export type InputFiles = Map<string, Uint8Array>;

/** Inputs to mutate: the seeds from the fixtures, grown by coverage feedback while fuzzing. */
export interface Corpus<T> {
  entries: T[];
}

export interface FuzzTarget<T> {
  /** Short name for `npm run fuzz -- --target <name>`. */
  name: string;
  /** What it feeds to which parser. */
  summary: string;
  /** Seed inputs taken from test/fixtures and examples. */
  seeds(): T[];
  /** Structured inputs: fresh documents from a generator and mutations of corpus entries. */
  arbitrary(corpus: Corpus<T>): fc.Arbitrary<T>;
  /** Runs the parser on the input; throws on a broken contract. */
  check(input: T): void;
  toFiles(input: T): InputFiles;
  fromFiles(files: InputFiles): T;
}

/** Erases the input type, so targets of different inputs fit in one list. */
export type AnyTarget = FuzzTarget<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The messages V8 and Node put in TypeError/RangeError, and the engine's own safety-net
 * wording: text a user must never see in place of a diagnostic about their file.
 */
const LEAKED_BUG = [
  /Cannot read propert(y|ies) of (undefined|null)/,
  /Cannot set propert(y|ies) of (undefined|null)/,
  /Cannot destructure/,
  /\bis not a function\b/,
  /\bis not iterable\b/,
  /\bis not a constructor\b/,
  /Invalid (array|typed array|string) length/,
  /Maximum call stack size exceeded/,
  /Array buffer allocation failed/,
  /out of memory/i,
  /offset is out of bounds/i,
  /The value of "[^"]+" is out of range/,
  /Cannot convert (undefined|null|a BigInt|a Symbol)/,
  /\bundefined is not\b/,
  /\bnull is not\b/,
  /Invalid time value/,
  /Invalid code point/,
  /internal error/i,
];

/** All of them in one pattern: messages can be long (they quote what they complain about). */
const ANY_LEAKED_BUG = new RegExp(LEAKED_BUG.map((pattern) => `(?:${pattern.source})`).join('|'), 'i');

/** Throws an internal-error failure when a user-visible message carries a bug instead of a reason. */
export function assertNoLeakedBug(message: string, where: string): void {
  if (ANY_LEAKED_BUG.test(message)) throw new FuzzFailure('internal-error', `${where}: ${message.slice(0, 2000)}`);
}

export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new FuzzFailure('invariant', message);
}

/** A span [start, end) lies inside a text of `length` UTF-16 units. */
export function assertSpan(span: { start: number; end: number }, length: number, what: string): void {
  invariant(
    Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= length,
    `${what}: span ${span.start}–${span.end} is not inside the ${length}-character document`,
  );
}
