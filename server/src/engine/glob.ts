// The globs a workspace writes (wix-uac.json "ignore", .wixproj Compile Include and Remove, the
// file patterns of a signing step) are compiled by picomatch into regular expressions. Two kinds
// must not reach it: a glob over its 64 KiB limit (it throws), and a glob whose wildcards make
// the expression backtrack for seconds or minutes on a long name. Each `*` in one folder or file
// name multiplies the work by the length of the name it is matched against (`*a*a*a*a*a*b`
// against a name of 40 "a"s took 10 s), names multiply with each other, and a repeated group
// holding a `*` is exponential (`+(*a)b`: 4 s on 28 characters). Such globs are refused with a
// reason, and match nothing.

import * as l10n from '@vscode/l10n';
import picomatch from 'picomatch';

export const MAX_GLOB_LENGTH = 1024;
/** Runs of `*` in one folder or file name of a glob. */
export const MAX_STARS_PER_NAME = 2;
/** Runs of `*` (a `**` folder counts as one) in the whole glob. */
export const MAX_STARS = 4;

/** Why the glob is not used, or undefined when it is safe to match with. */
export function unsafeGlob(glob: string): string | undefined {
  if (glob.length > MAX_GLOB_LENGTH) return l10n.t('it is longer than {0} characters', MAX_GLOB_LENGTH);
  if (/[+*]\(/.test(glob)) return l10n.t('it repeats a group, as in {0} or {1}', '+(…)', '*(…)');
  let total = 0;
  for (const name of glob.split(/[\\/]/)) {
    const stars = name.match(/\*+/g)?.length ?? 0;
    if (stars > MAX_STARS_PER_NAME) return l10n.t('it has more than {0} wildcards (*) in one folder or file name', MAX_STARS_PER_NAME);
    total += stars;
  }
  if (total > MAX_STARS) return l10n.t('it has more than {0} wildcards (*, **)', MAX_STARS);
  return undefined;
}

/** A glob as a message quotes it: the start of one that is too long to show. */
export function quotedGlob(glob: string): string {
  return glob.length > 80 ? `${glob.slice(0, 80)}…` : glob;
}

/** Whether a path matches any of the globs; refused globs (see unsafeGlob) match nothing. Never throws. */
export function globMatcher(globs: string | string[], options: picomatch.PicomatchOptions): (path: string) => boolean {
  const safe = (typeof globs === 'string' ? [globs] : globs).filter((glob) => glob !== '' && unsafeGlob(glob) === undefined);
  if (safe.length === 0) return () => false;
  const matches = picomatch(safe, options);
  return (path) => matches(path);
}
