// The problem matchers package.json contributes, run the way a VS Code task runs them over the
// CLI's real output: `wix-uac` for the default text format, `wix-uac-msbuild` for --format msbuild.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { formatters, type LintReport } from '../server/src/cli/format';
import type { Finding, Severity } from '../server/src/engine/types';

const repoRoot = path.join(__dirname, '..', '..');

interface PatternSpec {
  regexp: string;
  file?: number;
  line?: number;
  column?: number;
  severity?: number;
  code?: number;
  message?: number;
  loop?: boolean;
}

interface ProblemMatcher {
  name: string;
  pattern: PatternSpec | PatternSpec[];
}

interface Problem {
  file?: string;
  line?: string;
  column?: string;
  severity?: string;
  code?: string;
  message?: string;
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { problemMatchers: ProblemMatcher[] } };

function matcherNamed(name: string): ProblemMatcher {
  const matcher = manifest.contributes.problemMatchers.find((candidate) => candidate.name === name);
  assert.ok(matcher, `package.json contributes no problem matcher named ${name}`);
  return matcher;
}

/**
 * VS Code's reading of a matcher: the patterns must match consecutive lines; a last pattern with
 * `loop` then matches every following line it can, each one a problem sharing the earlier captures.
 */
function runMatcher(matcher: ProblemMatcher, output: string): Problem[] {
  const patterns = Array.isArray(matcher.pattern) ? matcher.pattern : [matcher.pattern];
  const lines = output.split(/\r?\n/);
  const problems: Problem[] = [];
  const capture = (pattern: PatternSpec, line: string, into: Problem): boolean => {
    const match = new RegExp(pattern.regexp).exec(line);
    if (!match) return false;
    for (const key of ['file', 'line', 'column', 'severity', 'code', 'message'] as const) {
      const group = pattern[key];
      if (group !== undefined) into[key] = match[group];
    }
    return true;
  };
  let index = 0;
  while (index < lines.length) {
    const shared: Problem = {};
    let next = index;
    let matched = true;
    for (const pattern of patterns) {
      if (pattern.loop) {
        while (next < lines.length) {
          const problem = { ...shared };
          if (!capture(pattern, lines[next], problem)) break;
          problems.push(problem);
          next++;
        }
      } else if (next < lines.length && capture(pattern, lines[next], shared)) {
        next++;
      } else {
        matched = false;
        break;
      }
    }
    if (matched && !patterns.some((pattern) => pattern.loop)) problems.push(shared);
    index = matched && next > index ? next : index + 1;
  }
  return problems;
}

/** How VS Code turns the captured severity into a marker: "info" and "hint" both become information. */
function markerSeverity(captured: string | undefined): 'error' | 'warning' | 'info' | 'default' {
  switch (captured?.toLowerCase()) {
    case 'error':
      return 'error';
    case 'warning':
    case 'warn':
      return 'warning';
    case 'info':
    case 'hint':
      return 'info';
    default:
      return 'default';
  }
}

const expectedMarker: Record<Severity, 'error' | 'warning' | 'info'> = { error: 'error', warning: 'warning', information: 'info', hint: 'info' };

const cwd = path.resolve('/work/Contoso Ledger');
const product = path.join(cwd, 'installer', 'Product.wxs');
const include = path.join(cwd, 'installer (x86)', 'Certificates.wxi');

function finding(severity: Severity, ruleId: string, file: string, line: number, character: number, message: string): Finding {
  return { ruleId, severity, message, file, range: { start: { line, character }, end: { line, character: character + 5 } }, fixes: [] };
}

const findings: Finding[] = [
  finding('error', 'invalid-certificate-file', include, 2, 4, 'certs\\patch.cer (12,5): is not an X.509 certificate.'),
  finding('warning', 'missing-patch-certificate', product, 3, 2, 'No patch certificate is listed,\nso patches need an administrator.'),
  finding('warning', 'lua-patching-disabled', product, 9, 4, 'MSIDISABLELUAPATCHING turns UAC patching off for [ProductName].'),
  finding('information', 'per-user-install', product, 11, 10, 'The product installs per user: no UAC patching.'),
  finding('hint', 'expired-patch-certificate', product, 120, 0, 'The certificate expired on 2020-01-01.'),
];
const report: LintReport = { files: [product, include], findings, cwd };
const formatOptions = { color: false, version: '0.0.0' };

function expectedProblems(resolveFile: (file: string) => string): Problem[] {
  return findings.map((item) => ({
    file: resolveFile(item.file),
    line: String(item.range.start.line + 1),
    column: String(item.range.start.character + 1),
    severity: expectedMarker[item.severity],
    code: item.ruleId,
    message: item.message.replace(/\s*\n\s*/g, ' '),
  }));
}

const normalize = (problems: Problem[], resolveFile: (file: string) => string): Problem[] =>
  problems
    .map((problem) => ({ ...problem, file: resolveFile(problem.file ?? ''), severity: markerSeverity(problem.severity) }))
    .sort((a, b) => `${a.file}:${a.line}`.localeCompare(`${b.file}:${b.line}`));

describe('wix-uac problem matcher (text output)', () => {
  const matcher = matcherNamed('wix-uac');
  // Headings are relative to the folder the task runs in, which the matcher resolves against.
  const fromTaskFolder = (file: string) => path.resolve(cwd, file);

  it('reads every finding of the text output with its file, position, severity, rule and message', () => {
    const output = formatters.get('text')!(report, formatOptions);
    const problems = normalize(runMatcher(matcher, output), fromTaskFolder);
    assert.deepEqual(problems, normalize(expectedProblems((file) => file), fromTaskFolder));
  });

  it('finds nothing in a clean run', () => {
    assert.deepEqual(runMatcher(matcher, formatters.get('text')!({ ...report, findings: [] }, formatOptions)), []);
  });
});

describe('wix-uac-msbuild problem matcher (--format msbuild output)', () => {
  const matcher = matcherNamed('wix-uac-msbuild');

  it('reads every line of the msbuild output', () => {
    const output = formatters.get('msbuild')!(report, formatOptions);
    const problems = normalize(runMatcher(matcher, output), (file) => file);
    assert.deepEqual(problems, normalize(expectedProblems((file) => file), (file) => file));
  });

  it('reads the lines MSBuild relays from an Exec task, with node prefix and project suffix', () => {
    const relayed = [
      '  1>C:\\src\\Contoso (x86)\\Product.wxs(4,3): warning missing-patch-certificate: No patch certificate is listed. [C:\\src\\Contoso (x86)\\Installer.wixproj]',
      '     C:\\src\\Product.wxs(10,5): info per-user-install: Per user [ProductName].',
      'Build succeeded.',
      'C:\\src\\Product.wxs(10,5): warning CS1234: not ours either way, but an msbuild line all the same',
    ].join('\r\n');
    assert.deepEqual(runMatcher(matcher, relayed), [
      { file: 'C:\\src\\Contoso (x86)\\Product.wxs', line: '4', column: '3', severity: 'warning', code: 'missing-patch-certificate', message: 'No patch certificate is listed.' },
      { file: 'C:\\src\\Product.wxs', line: '10', column: '5', severity: 'info', code: 'per-user-install', message: 'Per user [ProductName].' },
    ]);
  });
});
