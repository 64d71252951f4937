// Inline suppression in WiX sources, in the spirit of eslint-disable comments:
//   <!-- wix-uac-disable-next-line rule-id, other-rule -->   the line after the comment
//   <!-- wix-uac-disable rule-id --> … <!-- wix-uac-enable rule-id -->   a block (to end of file if not re-enabled)
// Without rule ids a directive applies to every rule. Rule ids are separated by commas and/or spaces
// (XML forbids "--" inside comments, so there is no ESLint-style "-- reason" tail).
import * as l10n from '@vscode/l10n';
import { allRules } from './rules';
import type { LineIndex } from './text';
import type { Fix, Position, Range } from './types';

/** An XML comment of a source file; `text` is what lies between `<!--` and `-->`. */
export interface SourceComment {
  text: string;
  start: Position;
  end: Position;
}

export interface SuppressionProblem {
  range: Range;
  message: string;
}

type Directive = 'disable-next-line' | 'disable' | 'enable';

interface ParsedDirective {
  kind: Directive;
  /** Empty means every rule. */
  ruleIds: string[];
  comment: SourceComment;
}

/** Matched on the trimmed comment: no part of it can backtrack, whatever the comment holds. */
const DIRECTIVE = /^wix-uac-(disable-next-line|disable|enable)(?:\s+([\s\S]*))?$/;
const EVERY_RULE = '*';
const KNOWN_RULE_IDS = new Set(allRules.map((rule) => rule.id));
/** Unknown rule ids reported per file: the first ones show the typo; a hostile file could hold millions. */
const MAX_PROBLEMS = 100;

export class Suppressions {
  /** Line → rule ids suppressed on it (EVERY_RULE for all). */
  private readonly nextLine = new Map<number, Set<string>>();
  /** Rule id → inclusive line intervals in which it is disabled; EVERY_RULE stands for any id no directive names. */
  private readonly blocks = new Map<string, Array<[number, number]>>();
  /** Directives naming rule ids that do not exist (a typo silently suppresses nothing otherwise). */
  readonly problems: SuppressionProblem[] = [];

  constructor(comments: readonly SourceComment[]) {
    const directives = comments
      .map(parseDirective)
      .filter((directive): directive is ParsedDirective => directive !== undefined)
      .sort((a, b) => a.comment.start.line - b.comment.start.line || a.comment.start.character - b.comment.start.character);
    for (const directive of directives) {
      for (const ruleId of directive.ruleIds) {
        if (!KNOWN_RULE_IDS.has(ruleId) && this.problems.length < MAX_PROBLEMS) {
          this.problems.push({
            range: { start: directive.comment.start, end: directive.comment.end },
            message: l10n.t('Unknown rule id "{0}" in {1}; it suppresses nothing.', ruleId, `wix-uac-${directive.kind}`),
          });
        }
      }
      if (directive.kind === 'disable-next-line') {
        const line = directive.comment.end.line + 1;
        const ids = this.nextLine.get(line) ?? new Set<string>();
        for (const ruleId of directive.ruleIds.length ? directive.ruleIds : [EVERY_RULE]) ids.add(ruleId);
        this.nextLine.set(line, ids);
      }
    }
    const blockDirectives = directives.filter((directive) => directive.kind !== 'disable-next-line');
    // Only known ids can suppress anything; replaying the directives for every unknown one would be quadratic.
    const namedIds = new Set(blockDirectives.flatMap((directive) => directive.ruleIds).filter((ruleId) => KNOWN_RULE_IDS.has(ruleId)));
    for (const ruleId of [EVERY_RULE, ...namedIds]) this.blocks.set(ruleId, disabledIntervals(ruleId, blockDirectives));
  }

  isSuppressed(ruleId: string, line: number): boolean {
    const ids = this.nextLine.get(line);
    if (ids && (ids.has(EVERY_RULE) || ids.has(ruleId))) return true;
    const intervals = this.blocks.get(ruleId) ?? this.blocks.get(EVERY_RULE) ?? [];
    return intervals.some(([from, to]) => from <= line && line <= to);
  }
}

function parseDirective(comment: SourceComment): ParsedDirective | undefined {
  const match = DIRECTIVE.exec(comment.text.trim());
  if (!match) return undefined;
  // Each id once: a comment can repeat one a million times.
  const ruleIds = [...new Set((match[2] ?? '').split(/[\s,]+/).filter((id) => id !== ''))];
  return { kind: match[1] as Directive, ruleIds, comment };
}

/**
 * Replays disable/enable directives for one rule. A block runs from the disable comment's first
 * line to the enable comment's last line, both included: findings sharing a line with either
 * comment are suppressed.
 */
function disabledIntervals(ruleId: string, directives: ParsedDirective[]): Array<[number, number]> {
  const intervals: Array<[number, number]> = [];
  let disabledFrom: number | undefined;
  for (const directive of directives) {
    const applies = directive.ruleIds.length === 0 || directive.ruleIds.includes(ruleId);
    if (!applies) continue;
    if (directive.kind === 'disable' && disabledFrom === undefined) {
      disabledFrom = directive.comment.start.line;
    } else if (directive.kind === 'enable' && disabledFrom !== undefined) {
      intervals.push([disabledFrom, directive.comment.end.line]);
      disabledFrom = undefined;
    }
  }
  if (disabledFrom !== undefined) intervals.push([disabledFrom, Number.POSITIVE_INFINITY]);
  return intervals;
}

/**
 * The quick fix that silences one finding: a disable-next-line comment on its own line above
 * `line`, indented like it. `line` must start outside any tag (the line of the element's `<`), or the
 * comment would land inside the start tag.
 */
export function suppressNextLineFix(file: string, lineIndex: LineIndex, line: number, ruleId: string): Fix {
  const at = { line, character: 0 };
  return {
    title: l10n.t('Suppress {0} for this line', ruleId),
    edits: [{ file, range: { start: at, end: at }, newText: `${lineIndex.indentOf(line)}<!-- wix-uac-disable-next-line ${ruleId} -->${lineIndex.eol}` }],
  };
}
