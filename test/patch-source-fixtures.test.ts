// The realistic patch workspaces of test/fixtures/patch-sources (WiX v3 and v4 patch authoring,
// built products and patches made by wixl, msibuild, libmsi and osslsigncode): the findings an
// installer engineer expects on each, as listed in that folder's README.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Engine, NodeFileSystem, type AnalysisResult } from '../server/src/engine';
import { FIXTURES } from './support/rule-tester';

const ROOT = path.join(FIXTURES, 'patch-sources');
let analysed: AnalysisResult | undefined;
const analysis = (): AnalysisResult => (analysed ??= new Engine(new NodeFileSystem(), { now: () => new Date('2026-11-20T00:00:00Z') }).analyze({ roots: [ROOT] }));
const relative = (file: string): string => path.relative(ROOT, file).split(path.sep).join('/');

describe('patch workspaces of both WiX versions', () => {
  it('reports exactly the expected findings, by file and rule', () => {
    const found = analysis().findings.map((finding) => `${relative(finding.file)} ${finding.ruleId}`);
    assert.deepEqual(found.sort(), [
      'v3/Patch/Patch.wixproj patch-signing-not-configured',
      'v3/Patch/Patch.wxs unsigned-patch',
      'v3/Patch/bin/Release/FabrikamAgent-Hotfix1.msp unsigned-patch',
      'v3/Tray/Tray.wxs per-user-install',
      'v3/TrayPatch/TrayPatch.wxs patch-target-not-ready',
      'v4/Bundle/Bundle.wxs unsigned-patch',
      'v4/Hotfix4/Hotfix4.wixproj patch-signing-not-configured',
      'v4/Hotfix4/Hotfix4.wxs unsigned-patch',
      'v4/Hotfix4/bin/Release/ContosoTools-Hotfix4.msp unsigned-patch',
    ].sort());
  });

  it('Hotfix 3 is signed by the 2027 certificate, which Hotfix 2 adds through DigitalCertificateRef: trusted once Hotfix 2 is applied', () => {
    const lens = analysis().lenses.find((candidate) => relative(candidate.file) === 'v4/Hotfix3/bin/Release/ContosoTools-Hotfix3.msp');
    assert.match(lens?.title ?? '', /signed by CN=Contoso Patch Signing 2027 .*once Contoso Tools 1\.2 Hotfix 2 \(Patch\.wxs\) is applied/);
  });

  it('the v3 patch (UTF-8 with BOM, PatchFamily in a Windows-1252 fragment, code from an included .wxi) finds its product and its unsigned build', () => {
    const titles = analysis().lenses.filter((lens) => relative(lens.file) === 'v3/Patch/Patch.wxs').map((lens) => lens.title);
    assert.ok(titles.some((title) => /^Target Fabrikam Agent .*\(Agent\.wxs\) — ready, trusts CN=Fabrikam Agent Patch Signing/.test(title)), titles.join('\n'));
    assert.ok(titles.includes('bin/Release/FabrikamAgent-Hotfix1.msp — unsigned: non-administrators get a UAC prompt'), titles.join('\n'));
  });

  it("patch-target-not-ready names the per-user product and points at its source", () => {
    const finding = analysis().findings.find((candidate) => candidate.ruleId === 'patch-target-not-ready');
    assert.match(finding?.message ?? '', /targets Fabrikam Tray .*\(Tray\.wxs\).*per-user/);
    assert.deepEqual(finding?.related?.map((related) => relative(related.file)), ['v3/Tray/Tray.wxs']);
  });

  it('the bundle shows the state of each chained patch', () => {
    const titles = analysis().lenses.filter((lens) => relative(lens.file) === 'v4/Bundle/Bundle.wxs').map((lens) => lens.title);
    assert.deepEqual(titles.map((title) => title.replace(/ — .*/, '')), ['../Patch/bin/Release/ContosoTools-Hotfix2.msp', '../Hotfix3/bin/Release/ContosoTools-Hotfix3.msp', '../Hotfix4/bin/Release/ContosoTools-Hotfix4.msp']);
    assert.match(titles[2], /unsigned/);
  });
});
