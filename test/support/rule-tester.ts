// Table-driven rule tests: sources a rule must flag (with where, how severe, and what its fix
// produces once applied and re-analysed) and sources it must leave alone.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { allRules, Engine, MemoryFileSystem, type AnalysisResult, type Finding, type Fix, type Severity } from '../../server/src/engine';

/** Where the in-memory workspace lives. */
export const WORKSPACE = path.resolve('/workspace');
/** Tests see the world on this day: the Contoso certificate is valid, expired-2020.cer expired. */
export const TODAY = new Date('2026-06-01T00:00:00Z');

export const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures');

/** Bytes of a committed fixture file (e.g. 'certificates/contoso-patch-signing.cer'). */
export function fixture(relativePath: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES, relativePath));
}

export type Files = Record<string, string | Uint8Array>;

export class TestWorkspace {
  readonly fs = new MemoryFileSystem();
  readonly engine = new Engine(this.fs, { now: () => TODAY });

  constructor(files: Files) {
    for (const [relativePath, content] of Object.entries(files)) this.fs.write(this.path(relativePath), content);
  }

  path(relativePath: string): string {
    return path.join(WORKSPACE, ...relativePath.split('/'));
  }

  text(relativePath: string): string {
    return Buffer.from(this.fs.readFile(this.path(relativePath)) ?? []).toString('utf8');
  }

  analyze(roots: string[] = [WORKSPACE]): AnalysisResult {
    return this.engine.analyze({ roots });
  }

  findings(ruleId?: string): Finding[] {
    return this.analyze().findings.filter((finding) => ruleId === undefined || finding.ruleId === ruleId);
  }

  /** Writes a fix's new files, then applies its edits (in reverse order per file, as an editor would). */
  apply(fix: Fix): void {
    for (const created of fix.createFiles ?? []) {
      assert.ok(!this.fs.exists(created.file), `the fix would overwrite ${created.file}`);
      this.fs.write(created.file, Buffer.from(created.base64, 'base64'));
    }
    const byFile = new Map<string, Fix['edits']>();
    for (const edit of fix.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
    for (const [file, edits] of byFile) {
      let text = Buffer.from(this.fs.readFile(file) ?? []).toString('utf8');
      const lines = lineStarts(text);
      const offset = (p: { line: number; character: number }): number => (lines[p.line] ?? text.length) + p.character;
      for (const edit of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
        text = text.slice(0, offset(edit.range.start)) + edit.newText + text.slice(offset(edit.range.end));
      }
      this.fs.write(file, text);
    }
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

export interface ValidCase {
  name: string;
  files: Files;
}

export interface ExpectedFinding {
  /** Relative path of the file the finding is in; default the first file of the case. */
  file?: string;
  /** 1-based line. */
  line: number;
  severity?: Severity;
  /** Words the message must contain. */
  message?: RegExp;
}

export interface InvalidCase extends ValidCase {
  findings: ExpectedFinding[];
  /** Apply the fix of the first finding whose title matches, then expect these files and no finding of the rule on that spot. */
  fix?: { title: RegExp; files: Record<string, string | Uint8Array> };
}

/** A WiX v4 source with a `<Package>` around the given lines (LF endings). */
export function v4Package(inner: string, packageAttributes = 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"'): string {
  const body = inner === '' ? '' : `${indent(inner, '    ')}\n`;
  return `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Package ${packageAttributes}>\n${body}  </Package>\n</Wix>\n`;
}

/** A WiX v3 source with `<Product>` and its `<Package>` (LF endings). */
export function v3Product(inner: string, packageAttributes = 'InstallerVersion="500" Compressed="yes" InstallScope="perMachine"'): string {
  return (
    '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n' +
    '  <Product Id="{3C1E5A4D-8B2F-4D6E-A1C3-5F7B9D0E2A4C}" Name="Fabrikam Agent" Language="1033" Version="3.1.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">\n' +
    `    <Package ${packageAttributes} />\n` +
    `${indent(inner, '    ')}\n` +
    '  </Product>\n</Wix>\n'
  );
}

export const PATCH_CERTIFICATES = '<PatchCertificates>\n  <DigitalCertificate Id="ContosoPatchSigning" SourceFile="contoso.cer" />\n</PatchCertificates>';

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? line : prefix + line))
    .join('\n');
}

export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(ruleId, () => {
    describe('leaves alone', () => {
      for (const testCase of cases.valid) {
        it(testCase.name, () => {
          const workspace = new TestWorkspace(testCase.files);
          const findings = workspace.findings(ruleId);
          assert.deepEqual(findings.map(describeFinding), [], 'expected no finding');
        });
      }
    });
    describe('flags', () => {
      for (const testCase of cases.invalid) {
        it(testCase.name, () => {
          const workspace = new TestWorkspace(testCase.files);
          const firstFile = Object.keys(testCase.files)[0];
          const findings = workspace.findings(ruleId);
          assert.equal(findings.length, testCase.findings.length, `expected ${testCase.findings.length} finding(s), got: ${JSON.stringify(findings.map(describeFinding), null, 1)}`);
          testCase.findings.forEach((expected, index) => {
            const actual = findings[index];
            assert.equal(actual.file, workspace.path(expected.file ?? firstFile), 'file');
            assert.equal(actual.range.start.line + 1, expected.line, `line of: ${actual.message}`);
            assert.equal(actual.severity, expected.severity ?? defaultSeverity(ruleId), 'severity');
            if (expected.message) assert.match(actual.message, expected.message);
          });
          if (testCase.fix) {
            const fix = findings[0].fixes.find((candidate) => testCase.fix!.title.test(candidate.title));
            assert.ok(fix, `no fix titled ${testCase.fix.title} among ${findings[0].fixes.map((f) => f.title).join(' | ')}`);
            workspace.apply(fix);
            for (const [file, expected] of Object.entries(testCase.fix.files)) {
              if (typeof expected === 'string') assert.equal(workspace.text(file), expected, `${file} after the fix`);
              else assert.deepEqual(Buffer.from(workspace.fs.readFile(workspace.path(file)) ?? []), Buffer.from(expected), `${file} after the fix`);
            }
            const after = workspace.findings(ruleId).filter((finding) => finding.file === findings[0].file && finding.message === findings[0].message);
            assert.deepEqual(after.map(describeFinding), [], 'the finding is gone after the fix');
          }
        });
      }
    });
  });
}

function defaultSeverity(ruleId: string): Severity {
  const rule = allRules.find((candidate) => candidate.id === ruleId);
  assert.ok(rule, `unknown rule ${ruleId}`);
  return rule.defaultSeverity;
}

export function describeFinding(finding: Finding): string {
  return `${path.relative(WORKSPACE, finding.file)}:${finding.range.start.line + 1}:${finding.range.start.character + 1} ${finding.severity} ${finding.ruleId}: ${finding.message}`;
}
