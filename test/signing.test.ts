// Whether a .wixproj signs what it builds, read the way MSBuild evaluates it (imports,
// Directory.Build.*, the last definition of a target wins), and the SignPatch target the quick fix adds.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../server/src/engine/fs';
import { parseXml } from '../server/src/engine/xml/parser';
import { findSigningStep, inspectSigning, signingTargetFixes } from '../server/src/engine/wix/signing';
import { SourceCache, SourceFile } from '../server/src/engine/wix/source';
import type { TextEdit } from '../server/src/engine/types';

const ROOT = path.resolve('/repo');
const at = (relative: string): string => path.join(ROOT, ...relative.split('/'));

function workspace(files: Record<string, string>): { fs: MemoryFileSystem; sources: SourceCache } {
  const fs = new MemoryFileSystem();
  for (const [relative, text] of Object.entries(files)) fs.write(at(relative), text);
  return { fs, sources: new SourceCache(fs) };
}

function signing(files: Record<string, string>, project: string) {
  const { fs, sources } = workspace(files);
  return inspectSigning(at(project), fs, sources);
}

const sdkPatchProject = (inner: string): string =>
  `<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n  </PropertyGroup>\n${inner}</Project>\n`;

/** A WiX v3 project as Votive's template writes it: ToolsVersion, the msbuild namespace, $(WixTargetsPath). */
const v3Project = (beforeImport: string, afterImport: string): string =>
  '<?xml version="1.0" encoding="utf-8"?>\n' +
  '<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n' +
  '  <PropertyGroup>\n' +
  '    <OutputName>AgentHotfix</OutputName>\n' +
  '    <OutputType>Package</OutputType>\n' +
  '    <WixTargetsPath Condition=" \'$(WixTargetsPath)\' == \'\' ">$(MSBuildExtensionsPath32)\\Microsoft\\WiX\\v3.x\\Wix.targets</WixTargetsPath>\n' +
  '  </PropertyGroup>\n' +
  '  <ItemGroup>\n    <Compile Include="Patch.wxs" />\n  </ItemGroup>\n' +
  beforeImport +
  '  <Import Project="$(WixTargetsPath)" />\n' +
  afterImport +
  '</Project>\n';

const signTarget = (name: string, commandLine: string, wiring = ' AfterTargets="Build"'): string => `  <Target Name="${name}"${wiring}>\n    <Exec Command="${commandLine}" />\n  </Target>\n`;
const SIGNTOOL = 'signtool.exe sign /sha1 $(Thumbprint) /fd SHA256 /tr http://timestamp.digicert.com /td SHA256 &quot;$(TargetPath)&quot;';

describe('findSigningStep', () => {
  it('finds an Exec running signtool in the project', () => {
    const { fs, sources } = workspace({ 'Hotfix/Hotfix.wixproj': sdkPatchProject(signTarget('SignPatch', SIGNTOOL)) });
    const step = findSigningStep(at('Hotfix/Hotfix.wixproj'), fs, sources);
    assert.ok(step);
    assert.equal(step.description, 'target SignPatch in Hotfix.wixproj (signtool)');
    assert.equal(step.file, at('Hotfix/Hotfix.wixproj'));
    assert.equal(step.node.localName, 'Exec');
  });

  it('finds AzureSignTool in a Directory.Build.targets two folders up', () => {
    const setup = signing(
      {
        'Directory.Build.targets': `<Project>\n${signTarget('SignMsp', 'AzureSignTool sign -kvu $(KeyVaultUrl) -kvc $(KeyVaultCertificate) -kvm -fd sha256 -tr http://timestamp.digicert.com -td sha256 &quot;$(TargetPath)&quot;')}</Project>\n`,
        'src/Patches/Hotfix.wixproj': sdkPatchProject(''),
      },
      'src/Patches/Hotfix.wixproj',
    );
    assert.equal(setup.step?.description, 'target SignMsp in ../../Directory.Build.targets (AzureSignTool)');
    assert.equal(setup.step?.file, at('Directory.Build.targets'));
    assert.deepEqual(setup.files, [at('src/Patches/Hotfix.wixproj'), at('Directory.Build.targets')]);
  });

  it('takes only the nearest Directory.Build.targets, as MSBuild does, unless it imports the next one up', () => {
    const files = {
      'Directory.Build.targets': `<Project>\n${signTarget('SignPatch', SIGNTOOL)}</Project>\n`,
      'src/Directory.Build.targets': '<Project>\n  <PropertyGroup>\n    <Company>Contoso</Company>\n  </PropertyGroup>\n</Project>\n',
      'src/Hotfix/Hotfix.wixproj': sdkPatchProject(''),
    };
    assert.equal(signing(files, 'src/Hotfix/Hotfix.wixproj').step, undefined);
    const chained = {
      ...files,
      'src/Directory.Build.targets': `<Project>\n  <Import Project="$([MSBuild]::GetPathOfFileAbove('Directory.Build.targets', '$(MSBuildThisFileDirectory)../'))" />\n</Project>\n`,
    };
    assert.equal(signing(chained, 'src/Hotfix/Hotfix.wixproj').step?.description, 'target SignPatch in ../../Directory.Build.targets (signtool)');
  });

  it('finds the SignFile task', () => {
    const setup = signing(
      { 'Hotfix.wixproj': sdkPatchProject('  <Target Name="AfterPatchBuilt" AfterTargets="Build">\n    <SignFile CertificateThumbprint="$(Thumbprint)" SigningTarget="$(TargetPath)" TimestampUrl="http://timestamp.digicert.com" />\n  </Target>\n') },
      'Hotfix.wixproj',
    );
    assert.equal(setup.step?.description, 'target AfterPatchBuilt in Hotfix.wixproj (SignFile task)');
    assert.equal(setup.step?.node.localName, 'SignFile');
  });

  it('follows an Import through $(MSBuildThisFileDirectory) of Directory.Build.props, with a wildcard', () => {
    const setup = signing(
      {
        'Directory.Build.props': '<Project>\n  <Import Project="$(MSBuildThisFileDirectory)build\\*.targets" />\n</Project>\n',
        'build/Signing.targets': `<Project>\n${signTarget('SignOutputs', 'osslsigncode sign -pkcs12 $(PfxPath) -h sha256 -ts http://timestamp.digicert.com -in $(TargetPath) -out $(TargetPath).signed')}</Project>\n`,
        'build/Versions.targets': '<Project />\n',
        'Patches/Hotfix/Hotfix.wixproj': sdkPatchProject(''),
      },
      'Patches/Hotfix/Hotfix.wixproj',
    );
    assert.equal(setup.step?.description, 'target SignOutputs in ../../build/Signing.targets (osslsigncode)');
  });

  it('follows a relative Import and one through $(MSBuildProjectDirectory), resolved against the importing file', () => {
    const nested = signing(
      {
        'Hotfix/Hotfix.wixproj': sdkPatchProject('  <Import Project="..\\eng\\Sign.props" />\n'),
        'eng/Sign.props': '<Project>\n  <Import Project="targets/Sign.targets" />\n</Project>\n',
        'eng/targets/Sign.targets': `<Project>\n${signTarget('CodeSign', 'jsign --storetype AZUREKEYVAULT --keystore contoso --alias patch-signing --tsaurl http://timestamp.digicert.com &quot;$(TargetPath)&quot;')}</Project>\n`,
      },
      'Hotfix/Hotfix.wixproj',
    );
    assert.equal(nested.step?.description, 'target CodeSign in ../eng/targets/Sign.targets (jsign)');
    const projectDirectory = signing(
      {
        'Hotfix/Hotfix.wixproj': sdkPatchProject('  <Import Project="$(MSBuildProjectDirectory)\\Signing.targets" />\n'),
        'Hotfix/Signing.targets': `<Project>\n${signTarget('SignPatch', 'powershell -NoProfile -Command &quot;Set-AuthenticodeSignature -FilePath \'$(TargetPath)\' -Certificate (Get-Item Cert:\\CurrentUser\\My\\$(Thumbprint)) -TimestampServer http://timestamp.digicert.com&quot;')}</Project>\n`,
      },
      'Hotfix/Hotfix.wixproj',
    );
    assert.equal(projectDirectory.step?.description, 'target SignPatch in Signing.targets (Set-AuthenticodeSignature)');
  });

  it('ends import cycles (and finds signing inside one)', () => {
    const cycle = {
      'Hotfix.wixproj': sdkPatchProject('  <Import Project="a.targets" />\n'),
      'a.targets': '<Project>\n  <Import Project="b.targets" />\n</Project>\n',
      'b.targets': '<Project>\n  <Import Project="$(MSBuildThisFileDirectory)a.targets" />\n  <Import Project="Hotfix.wixproj" />\n</Project>\n',
    };
    const unsigned = signing(cycle, 'Hotfix.wixproj');
    assert.equal(unsigned.step, undefined);
    assert.deepEqual(unsigned.files, [at('Hotfix.wixproj'), at('a.targets'), at('b.targets')]);
    const signed = signing({ ...cycle, 'b.targets': `<Project>\n  <Import Project="a.targets" />\n${signTarget('SignPatch', SIGNTOOL)}</Project>\n` }, 'Hotfix.wixproj');
    assert.equal(signed.step?.description, 'target SignPatch in b.targets (signtool)');
  });

  it('finds nothing in a project that builds and copies only', () => {
    const setup = signing(
      { 'Hotfix.wixproj': sdkPatchProject('  <Target Name="CopyPatch" AfterTargets="Build">\n    <Copy SourceFiles="$(TargetPath)" DestinationFolder="..\\drop" />\n  </Target>\n') },
      'Hotfix.wixproj',
    );
    assert.equal(setup.step, undefined);
    assert.deepEqual(setup.ineffective, []);
  });

  it('knows the signing command lines of the usual tools, and not their verify commands', () => {
    const cases: [string, string | undefined][] = [
      ['signtool sign /fd SHA256 /a &quot;$(TargetPath)&quot;', 'signtool'],
      ['&quot;C:\\Program Files (x86)\\Windows Kits\\10\\bin\\10.0.22621.0\\x64\\signtool.exe&quot; sign /fd SHA256 /a &quot;$(TargetPath)&quot;', 'signtool'],
      ['$(SignToolPath)signtool.exe sign /fd SHA256 /a &quot;$(TargetPath)&quot;', 'signtool'],
      ['signtool.exe verify /pa /v &quot;$(TargetPath)&quot;', undefined],
      ['azuresigntool.exe sign -kvu https://contoso.vault.azure.net -kvc patch -kvm -fd sha256 &quot;$(TargetPath)&quot;', 'AzureSignTool'],
      ['osslsigncode sign -pkcs12 cert.pfx -h sha256 -in &quot;$(TargetPath)&quot; -out signed.msp', 'osslsigncode'],
      ['osslsigncode -certs cert.pem -key key.pem -in a.msp -out b.msp', 'osslsigncode'],
      ['osslsigncode verify -in &quot;$(TargetPath)&quot;', undefined],
      ['java -jar jsign-6.0.jar --keystore keystore.p12 --storepass $(Pass) &quot;$(TargetPath)&quot;', 'jsign'],
      ['jsign.exe extract --format PEM &quot;$(TargetPath)&quot;', undefined],
      ['sign code azure-key-vault &quot;$(TargetPath)&quot; --azure-key-vault-url https://contoso.vault.azure.net --azure-key-vault-certificate patch', 'the Sign CLI'],
      ['relic sign --file &quot;$(TargetPath)&quot; --key patch-signing', 'relic'],
      ['SignClient.exe sign --config appsettings.json --input &quot;$(TargetPath)&quot;', 'SignClient'],
      ['smctl sign --keypair-alias contoso --input &quot;$(TargetPath)&quot;', 'smctl'],
      ['powershell -NoProfile -File &quot;$(MSBuildThisFileDirectory)build\\Sign-Patch.ps1&quot; &quot;$(TargetPath)&quot;', 'script Sign-Patch.ps1'],
      ['powershell -NoProfile -File build\\SignatureReport.ps1', undefined],
      ['designtool.exe sign x', undefined],
    ];
    for (const [commandLine, tool] of cases) {
      const setup = signing({ 'Hotfix.wixproj': sdkPatchProject(signTarget('RunAfterBuild', commandLine)) }, 'Hotfix.wixproj');
      assert.equal(setup.step?.description, tool && `target RunAfterBuild in Hotfix.wixproj (${tool})`, commandLine);
    }
  });

  it('does not take checking a signature for signing: SignatureCheck running signtool verify', () => {
    const setup = signing({ 'Hotfix.wixproj': sdkPatchProject(signTarget('SignatureCheck', 'signtool.exe verify /pa &quot;$(TargetPath)&quot;')) }, 'Hotfix.wixproj');
    assert.equal(setup.step, undefined);
  });

  it('counts a Sign* target by its name when it does something, but not an empty one', () => {
    const named = signing({ 'Hotfix.wixproj': sdkPatchProject('  <Target Name="SignPatch" AfterTargets="Build" DependsOnTargets="SubmitSigningRequest" />\n  <Target Name="SubmitSigningRequest">\n    <Message Text="Submitting" />\n  </Target>\n') }, 'Hotfix.wixproj');
    assert.equal(named.step?.description, 'target SignPatch in Hotfix.wixproj');
    const empty = signing({ 'Hotfix.wixproj': sdkPatchProject('  <Target Name="SignPatch" />\n') }, 'Hotfix.wixproj');
    assert.equal(empty.step, undefined);
  });

  it('expands a command held in a property, with a quoted path to signtool', () => {
    const setup = signing(
      {
        'Hotfix.wixproj': sdkPatchProject(
          '  <PropertyGroup>\n    <SignCommand>"C:\\Program Files (x86)\\Windows Kits\\10\\bin\\10.0.22621.0\\x64\\signtool.exe" sign /a /fd SHA256</SignCommand>\n  </PropertyGroup>\n  <Target Name="AfterPatch" AfterTargets="Build">\n    <Exec Command="$(SignCommand) &quot;$(TargetPath)&quot;" />\n  </Target>\n',
        ),
      },
      'Hotfix.wixproj',
    );
    assert.equal(setup.step?.description, 'target AfterPatch in Hotfix.wixproj (signtool)');
  });

  it('ignores imports it cannot resolve without the build, and a project that is not MSBuild XML', () => {
    const setup = signing({ 'Hotfix.wixproj': sdkPatchProject('  <Import Project="$(SolutionDir)eng\\Signing.targets" />\n  <Import Project="missing.targets" />\n') }, 'Hotfix.wixproj');
    assert.equal(setup.step, undefined);
    assert.deepEqual(signing({ 'Hotfix.wixproj': '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs" />' }, 'Hotfix.wixproj'), { ineffective: [], files: [] });
    assert.equal(signing({ 'Other.wixproj': sdkPatchProject('') }, 'Hotfix.wixproj').step, undefined);
  });

  it('honours ImportDirectoryBuildTargets=false', () => {
    const setup = signing(
      {
        'Directory.Build.targets': `<Project>\n${signTarget('SignPatch', SIGNTOOL)}</Project>\n`,
        'Hotfix/Hotfix.wixproj': sdkPatchProject('  <PropertyGroup>\n    <ImportDirectoryBuildTargets>false</ImportDirectoryBuildTargets>\n  </PropertyGroup>\n'),
      },
      'Hotfix/Hotfix.wixproj',
    );
    assert.equal(setup.step, undefined);
  });

  describe('targets that never run for a patch', () => {
    it("SDK-style: an AfterBuild in the project is replaced by the SDK's empty one; in Directory.Build.targets it runs", () => {
      const afterBuild = '  <Target Name="AfterBuild">\n    <Exec Command="signtool sign /a /fd SHA256 &quot;$(TargetPath)&quot;" />\n  </Target>\n';
      const inProject = signing({ 'Hotfix.wixproj': sdkPatchProject(afterBuild) }, 'Hotfix.wixproj');
      assert.equal(inProject.step, undefined);
      assert.equal(inProject.ineffective.length, 1);
      assert.match(inProject.ineffective[0].explanation, /^Target AfterBuild in Hotfix\.wixproj \(signtool\) never runs: the SDK \(Microsoft\.Common\.targets\), imported after it, defines an empty AfterBuild/);
      const inDirectoryBuild = signing({ 'Hotfix/Hotfix.wixproj': sdkPatchProject(''), 'Directory.Build.targets': `<Project>\n${afterBuild}</Project>\n` }, 'Hotfix/Hotfix.wixproj');
      assert.equal(inDirectoryBuild.step?.description, 'target AfterBuild in ../Directory.Build.targets (signtool)');
    });

    it("WiX's SignMsi hook: WiX calls it for packages only, unless the project makes it run", () => {
      const signMsi = signTarget('SignMsi', 'signtool.exe sign /a /fd SHA256 &quot;%(SignMsi.FullPath)&quot;', '');
      const hook = signing({ 'Hotfix.wixproj': sdkPatchProject(`  <PropertyGroup>\n    <SignOutput>true</SignOutput>\n  </PropertyGroup>\n${signMsi}`) }, 'Hotfix.wixproj');
      assert.equal(hook.step, undefined);
      assert.equal(hook.ineffective[0]?.explanation, 'Target SignMsi in Hotfix.wixproj (signtool) never runs for a patch: WiX calls SignMsi only when it builds a package (.msi).');
      const called = signing({ 'Hotfix.wixproj': sdkPatchProject(`${signMsi}  <Target Name="SignAfterBuild" AfterTargets="Build">\n    <CallTarget Targets="SignMsi" />\n  </Target>\n`) }, 'Hotfix.wixproj');
      assert.equal(called.step?.description, 'target SignMsi in Hotfix.wixproj (signtool)');
      const wired = signing({ 'Hotfix.wixproj': sdkPatchProject(signTarget('SignMsi', SIGNTOOL)) }, 'Hotfix.wixproj');
      assert.equal(wired.step?.description, 'target SignMsi in Hotfix.wixproj (signtool)');
    });

    it('AfterSigning runs for a patch only when SignOutput is true', () => {
      const afterSigning = signTarget('AfterSigning', SIGNTOOL, '');
      assert.match(signing({ 'Hotfix.wixproj': sdkPatchProject(afterSigning) }, 'Hotfix.wixproj').ineffective[0]?.explanation ?? '', /runs only when SignOutput is true/);
      const withSignOutput = signing({ 'Hotfix.wixproj': sdkPatchProject(`  <PropertyGroup Condition="'$(Configuration)' == 'Release'">\n    <SignOutput>true</SignOutput>\n  </PropertyGroup>\n${afterSigning}`) }, 'Hotfix.wixproj');
      assert.equal(withSignOutput.step?.description, 'target AfterSigning in Hotfix.wixproj (signtool)');
    });
  });

  describe('WiX v3 projects', () => {
    it('an AfterBuild after the wix.targets import runs; one before it is replaced', () => {
      const afterBuild = signTarget('AfterBuild', 'pyro.exe &quot;$(TargetPath)&quot; -out &quot;$(TargetDir)AgentHotfix.msp&quot; -t RTM &quot;$(TargetDir)diff.wixmst&quot; &amp;&amp; signtool.exe sign /a /fd SHA256 &quot;$(TargetDir)AgentHotfix.msp&quot;', '');
      assert.equal(signing({ 'Hotfix.wixproj': v3Project('', afterBuild) }, 'Hotfix.wixproj').step?.description, 'target AfterBuild in Hotfix.wixproj (signtool)');
      const before = signing({ 'Hotfix.wixproj': v3Project(afterBuild, '') }, 'Hotfix.wixproj');
      assert.equal(before.step, undefined);
      assert.match(before.ineffective[0]?.explanation ?? '', /never runs: wix\.targets, imported after it, defines an empty AfterBuild/);
    });

    it("does not read Directory.Build.targets: WiX v3's wix.targets imports no Microsoft.Common.targets", () => {
      const setup = signing({ 'Directory.Build.targets': `<Project>\n${signTarget('SignPatch', SIGNTOOL)}</Project>\n`, 'Hotfix/Hotfix.wixproj': v3Project('', '') }, 'Hotfix/Hotfix.wixproj');
      assert.equal(setup.step, undefined);
      assert.deepEqual(setup.files, [at('Hotfix/Hotfix.wixproj')]);
    });

    it('finds signtool in PostBuildEvent', () => {
      const setup = signing({ 'Hotfix.wixproj': v3Project('  <PropertyGroup>\n    <PostBuildEvent>"$(WindowsSdkDir)bin\\x64\\signtool.exe" sign /a /fd SHA256 "!(TargetPath)"</PostBuildEvent>\n  </PropertyGroup>\n', '') }, 'Hotfix.wixproj');
      assert.equal(setup.step?.description, 'PostBuildEvent in Hotfix.wixproj (signtool)');
    });
  });
});

/** Applies edits as an editor would (from the last to the first). */
function apply(source: SourceFile, edits: TextEdit[]): string {
  let text = source.text;
  const offsets = edits.map((edit) => ({ start: source.lines.offsetAt(edit.range.start), end: source.lines.offsetAt(edit.range.end), newText: edit.newText }));
  for (const edit of offsets.sort((a, b) => b.start - a.start)) text = text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
  return text;
}

// openssl x509 -inform der -in test/fixtures/certificates/contoso-patch-signing.cer -noout -fingerprint -sha1
const CONTOSO_SHA1 = '354A27977B17FEC59A1B1B9A91B2CEA5B2CCCE11';
const CONTOSO = { sha1: CONTOSO_SHA1, description: 'CN=Contoso Patch Signing' };

describe('signingTargetFixes', () => {
  const sdkProjectText = '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n  </PropertyGroup>\n</Project>\n';

  it('adds a SignPatch target before </Project> of an SDK-style project, with the certificate preselected', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), sdkProjectText, '1');
    const fixes = signingTargetFixes(source, [CONTOSO]);
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0].title, `Add a SignPatch target (signtool, SHA-256, timestamped) with CN=Contoso Patch Signing (SHA-1 ${CONTOSO_SHA1})`);
    assert.equal(fixes[0].isPreferred, true);
    assert.equal(
      apply(source, fixes[0].edits),
      '<Project Sdk="WixToolset.Sdk/5.0.2">\n' +
        '  <PropertyGroup>\n' +
        '    <OutputType>Patch</OutputType>\n' +
        '  </PropertyGroup>\n' +
        '  <PropertyGroup>\n' +
        '    <!-- CN=Contoso Patch Signing, a certificate the target products list in PatchCertificates. signtool finds it by thumbprint in the certificate store; CI can pass another with /p:PatchSigningCertificateThumbprint=... -->\n' +
        `    <PatchSigningCertificateThumbprint Condition="'$(PatchSigningCertificateThumbprint)' == ''">${CONTOSO_SHA1}</PatchSigningCertificateThumbprint>\n` +
        "    <PatchSigningTimestampUrl Condition=\"'$(PatchSigningTimestampUrl)' == ''\">http://timestamp.digicert.com</PatchSigningTimestampUrl>\n" +
        '  </PropertyGroup>\n' +
        '  <Target Name="SignPatch" AfterTargets="Build">\n' +
        '    <Exec Command="signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 &quot;$(TargetPath)&quot;" />\n' +
        '  </Target>\n' +
        '</Project>\n',
    );
  });

  it('makes a project that findSigningStep then finds signed, and whose XML is well-formed', () => {
    const { fs, sources } = workspace({ 'Hotfix.wixproj': sdkProjectText });
    const source = sources.get(at('Hotfix.wixproj'))!;
    const fixed = apply(source, signingTargetFixes(source, [CONTOSO])[0].edits);
    assert.deepEqual(parseXml(fixed).errors, []);
    fs.write(at('Hotfix.wixproj'), fixed);
    const step = findSigningStep(at('Hotfix.wixproj'), fs, sources);
    assert.equal(step?.description, 'target SignPatch in Hotfix.wixproj (signtool)');
  });

  it('keeps CRLF and tab indentation, and in a WiX v3 project signs the file pyro writes', () => {
    const text = v3Project('', '  <Target Name="AfterBuild">\n    <Pyro InputFile="$(TargetPath)" OutputFile="$(TargetDir)AgentHotfix.msp" Transforms="@(PatchTransform)" />\n  </Target>\n').replace(/\n/g, '\r\n').replace(/^((?: {2})+)/gm, (spaces) => '\t'.repeat(spaces.length / 2));
    const source = new SourceFile(at('Hotfix.wixproj'), text, '1');
    const [fix] = signingTargetFixes(source, [CONTOSO]);
    const fixed = apply(source, fix.edits);
    assert.ok(!/[^\r]\n/.test(fixed), 'every line ends with CRLF');
    assert.ok(
      fixed.endsWith(
        '\t</Target>\r\n' +
          '\t<PropertyGroup>\r\n' +
          '\t\t<!-- CN=Contoso Patch Signing, a certificate the target products list in PatchCertificates. signtool finds it by thumbprint in the certificate store; CI can pass another with /p:PatchSigningCertificateThumbprint=... -->\r\n' +
          `\t\t<PatchSigningCertificateThumbprint Condition="'$(PatchSigningCertificateThumbprint)' == ''">${CONTOSO_SHA1}</PatchSigningCertificateThumbprint>\r\n` +
          "\t\t<PatchSigningTimestampUrl Condition=\"'$(PatchSigningTimestampUrl)' == ''\">http://timestamp.digicert.com</PatchSigningTimestampUrl>\r\n" +
          '\t\t<!-- The patch that pyro writes. -->\r\n' +
          "\t\t<PatchSigningFile Condition=\"'$(PatchSigningFile)' == ''\">$(TargetDir)AgentHotfix.msp</PatchSigningFile>\r\n" +
          '\t</PropertyGroup>\r\n' +
          '\t<Target Name="SignPatch" AfterTargets="Build">\r\n' +
          '\t\t<Exec Command="signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 &quot;$(PatchSigningFile)&quot;" />\r\n' +
          '\t</Target>\r\n' +
          '</Project>\r\n',
      ),
      fixed,
    );
  });

  it('without a pyro step in a v3 project, names the .msp next to the output for the author to check', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), v3Project('', ''), '1');
    const fixed = apply(source, signingTargetFixes(source, [CONTOSO])[0].edits);
    assert.match(fixed, /<!-- WiX v3 builds no \.msp itself: put here the path of the patch that your pyro step writes\. -->\n {4}<PatchSigningFile Condition="'\$\(PatchSigningFile\)' == ''">\$\(TargetDir\)\$\(TargetName\)\.msp<\/PatchSigningFile>/);
  });

  it('without a known certificate: one fix with an empty thumbprint, a comment saying what to put there, and an Error until it is set', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), sdkProjectText, '1');
    const fixes = signingTargetFixes(source, []);
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0].title, "Add a SignPatch target (signtool, SHA-256, timestamped); fill in your certificate's SHA-1 thumbprint");
    assert.equal(fixes[0].isPreferred, undefined);
    const fixed = apply(source, fixes[0].edits);
    assert.match(fixed, /<!-- Put here the SHA-1 thumbprint of your patch-signing certificate: one that the target products list in PatchCertificates/);
    assert.match(fixed, /<PatchSigningCertificateThumbprint Condition="'\$\(PatchSigningCertificateThumbprint\)' == ''"><\/PatchSigningCertificateThumbprint>/);
    assert.match(fixed, /<Error Condition="'\$\(PatchSigningCertificateThumbprint\)' == ''" Text="Set PatchSigningCertificateThumbprint to the SHA-1 thumbprint of the certificate that signs the patch\." \/>/);
    assert.deepEqual(parseXml(fixed).errors, []);
  });

  it('one fix per certificate, the first preferred, each thumbprint once', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), sdkProjectText, '1');
    const fabrikam = { sha1: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', description: 'CN=Fabrikam -- R&D <Signing>' };
    const fixes = signingTargetFixes(source, [CONTOSO, fabrikam, { ...CONTOSO, description: 'again' }]);
    assert.deepEqual(
      fixes.map((fix) => [fix.title, fix.isPreferred]),
      [
        [`Add a SignPatch target (signtool, SHA-256, timestamped) with CN=Contoso Patch Signing (SHA-1 ${CONTOSO_SHA1})`, true],
        ['Add a SignPatch target (signtool, SHA-256, timestamped) with CN=Fabrikam -- R&D <Signing> (SHA-1 A1B2C3D4E5F60718293A4B5C6D7E8F9012345678)', undefined],
      ],
    );
    const fixed = apply(source, fixes[1].edits);
    assert.deepEqual(parseXml(fixed).errors, [], 'a subject with -- and & stays a well-formed comment');
    assert.match(fixed, /<!-- CN=Fabrikam - - R&D <Signing>, a certificate/);
  });

  it('puts the block on lines of its own when </Project> shares a line, and picks a free target name', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), '<Project Sdk="WixToolset.Sdk/5.0.2"><PropertyGroup><OutputType>Patch</OutputType></PropertyGroup><Target Name="SignPatch" /></Project>', '1');
    const [fix] = signingTargetFixes(source, [CONTOSO]);
    const fixed = apply(source, fix.edits);
    assert.ok(fixed.startsWith('<Project Sdk="WixToolset.Sdk/5.0.2"><PropertyGroup><OutputType>Patch</OutputType></PropertyGroup><Target Name="SignPatch" />\n  <PropertyGroup>\n'), fixed);
    assert.ok(fixed.endsWith('  <Target Name="SignPatch2" AfterTargets="Build">\n    <Exec Command="signtool.exe sign /sha1 $(PatchSigningCertificateThumbprint) /fd SHA256 /tr $(PatchSigningTimestampUrl) /td SHA256 &quot;$(TargetPath)&quot;" />\n  </Target>\n</Project>'), fixed);
  });

  it('offers nothing for a project still being typed (no </Project>)', () => {
    const source = new SourceFile(at('Hotfix.wixproj'), '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <OutputType>Patch</OutputType>\n  </PropertyGroup>\n', '1');
    assert.deepEqual(signingTargetFixes(source, [CONTOSO]), []);
  });
});
