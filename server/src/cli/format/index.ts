import { formatJson } from './json';
import { formatMsbuild } from './msbuild';
import type { Formatter } from './report';
import { formatSarif } from './sarif';
import { formatText } from './text';

export { type FormatOptions, type Formatter, type LintReport } from './report';

/** The values of `--format`, the default first. */
export const formatters: ReadonlyMap<string, Formatter> = new Map([
  ['text', formatText],
  ['json', formatJson],
  ['sarif', formatSarif],
  ['msbuild', formatMsbuild],
]);
