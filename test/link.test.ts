// Which fragments reach a package: the WiX linker pulls in a fragment when something already
// linked references a symbol it defines, transitively; nothing else.

import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem } from '../server/src/engine/fs';
import { link, sectionsOf } from '../server/src/engine/wix/link';
import { preprocess, type WixElement } from '../server/src/engine/wix/preprocessor';
import { SourceCache } from '../server/src/engine/wix/source';

const ROOT = path.resolve('/repo');

/** Links the files as one compilation unit; per entry section, the files of the fragments it gets. */
function linkFiles(files: Record<string, string>): Record<string, string[]> {
  const fs = new MemoryFileSystem();
  for (const [name, text] of Object.entries(files)) fs.write(path.join(ROOT, name), text);
  const sources = new SourceCache(fs);
  const roots: WixElement[] = [];
  for (const name of Object.keys(files)) {
    const source = sources.get(path.join(ROOT, name));
    assert.ok(source);
    const root = preprocess(source, { fs, sources, defines: new Map(), includeSearchPaths: [] }).root;
    if (root) roots.push(root);
  }
  const result: Record<string, string[]> = {};
  for (const linked of link(sectionsOf(roots))) {
    const entryName = `${linked.entry.name} ${linked.entry.value('Name') ?? linked.entry.value('Id') ?? ''}`.trim();
    result[entryName] = linked.sections.slice(1).map((section) => path.basename(section.source.path)).sort();
  }
  return result;
}

const v4 = (inner: string) => `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n${inner}\n</Wix>\n`;
const fragment = (inner: string) => v4(`  <Fragment>\n${inner}\n  </Fragment>`);
const pkg = (name: string, inner: string) => v4(`  <Package Name="${name}" Manufacturer="Contoso" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n${inner}\n  </Package>`);

describe('link', () => {
  it('follows references transitively: ComponentGroupRef → ComponentRef → Component/@Directory, Custom/@Action → PropertyRef', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <Feature Id="Main">\n      <ComponentGroupRef Id="CoreComponents" />\n    </Feature>'),
      'Core.wxs': fragment('    <ComponentGroup Id="CoreComponents">\n      <ComponentRef Id="MainExecutable" />\n    </ComponentGroup>'),
      'Files.wxs': fragment(
        '    <Component Id="MainExecutable" Directory="INSTALLFOLDER">\n      <File Source="Contoso.exe" />\n    </Component>\n' +
          '    <InstallExecuteSequence>\n      <Custom Action="ConfigureService" After="InstallFiles" />\n    </InstallExecuteSequence>',
      ),
      'Folders.wxs': fragment('    <StandardDirectory Id="ProgramFiles6432Folder">\n      <Directory Id="INSTALLFOLDER" Name="Contoso" />\n    </StandardDirectory>'),
      'Actions.wxs': fragment('    <CustomAction Id="ConfigureService" DllEntry="Configure" BinaryRef="Helpers" />\n    <PropertyRef Id="SIGNING" />'),
      'Signing.wxs': fragment('    <Property Id="SIGNING" Value="1" />\n    <PatchCertificates>\n      <DigitalCertificate Id="Contoso" SourceFile="contoso.cer" />\n    </PatchCertificates>'),
      'Unused.wxs': fragment('    <Property Id="MSIDISABLELUAPATCHING" Value="1" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': ['Actions.wxs', 'Core.wxs', 'Files.wxs', 'Folders.wxs', 'Signing.wxs'] });
  });

  it('excludes fragments nothing references, and fragments referenced only from those', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <MajorUpgrade DowngradeErrorMessage="Newer version installed." />'),
      'Orphan.wxs': fragment('    <ComponentGroup Id="Orphan">\n      <ComponentRef Id="OrphanComponent" />\n    </ComponentGroup>'),
      'OrphanComponent.wxs': fragment('    <Component Id="OrphanComponent" Directory="TARGETDIR" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': [] });
  });

  it('Component/@Directory and ComponentGroup/@Directory link the fragment defining the Directory', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <ComponentGroup Id="Local" Directory="CONFIGFOLDER">\n      <Component Id="Settings" />\n    </ComponentGroup>\n    <Component Id="Tool" Directory="TOOLSFOLDER" />'),
      'ConfigFolders.wxs': fragment('    <StandardDirectory Id="CommonAppDataFolder">\n      <Directory Id="CONFIGFOLDER" Name="Contoso" />\n    </StandardDirectory>'),
      'ToolsFolders.wxs': fragment('    <DirectoryRef Id="INSTALLFOLDER">\n      <Directory Id="TOOLSFOLDER" Name="Tools" />\n    </DirectoryRef>'),
      'InstallFolder.wxs': fragment('    <StandardDirectory Id="ProgramFiles6432Folder">\n      <Directory Id="INSTALLFOLDER" Name="Contoso" />\n    </StandardDirectory>'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': ['ConfigFolders.wxs', 'InstallFolder.wxs', 'ToolsFolders.wxs'] });
  });

  it('a custom action links the fragment of the Binary or File it runs (v4 BinaryRef/FileRef, v3 BinaryKey)', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <CustomActionRef Id="CheckLicense" />\n    <CustomActionRef Id="RunTool" />'),
      'Actions.wxs': fragment('    <CustomAction Id="CheckLicense" BinaryRef="LicenseDll" DllEntry="Check" />\n    <CustomAction Id="RunTool" FileRef="ToolExe" ExeCommand="" />'),
      'Binaries.wxs': fragment('    <Binary Id="LicenseDll" SourceFile="License.dll" />'),
      'Files.wxs': fragment('    <Component Id="Tool" Directory="INSTALLFOLDER">\n      <File Id="ToolExe" Source="Tool.exe" />\n    </Component>'),
      'Unused.wxs': fragment('    <Binary Id="OtherDll" SourceFile="Other.dll" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': ['Actions.wxs', 'Binaries.wxs', 'Files.wxs'] });
  });

  it('a SetProperty is linked through the custom action it defines (Set<Id>, or its Action)', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <InstallExecuteSequence>\n      <Custom Action="SetINSTALLMODE" Before="CostFinalize" />\n      <Custom Action="ConfigureRoot" After="CostFinalize" />\n    </InstallExecuteSequence>'),
      'SetMode.wxs': fragment('    <SetProperty Id="INSTALLMODE" Value="full" Before="CostFinalize" />'),
      'SetRoot.wxs': fragment('    <SetDirectory Id="ROOT" Action="ConfigureRoot" Value="[WindowsVolume]Contoso" />'),
      'Unrelated.wxs': fragment('    <SetProperty Id="OTHER" Value="x" Before="CostFinalize" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': ['SetMode.wxs', 'SetRoot.wxs'] });
  });

  it('each entry section of a unit gets only what it references; cycles between fragments end', () => {
    const linked = linkFiles({
      'Client.wxs': pkg('Contoso Client', '    <FeatureRef Id="ClientFeature" />'),
      'Server.wxs': pkg('Contoso Server', '    <PropertyRef Id="SHARED" />'),
      'ClientFeature.wxs': fragment('    <Feature Id="ClientFeature">\n      <ComponentGroupRef Id="Shared" />\n    </Feature>'),
      'Shared.wxs': fragment('    <ComponentGroup Id="Shared">\n      <FeatureRef Id="ClientFeature" />\n    </ComponentGroup>\n    <Property Id="SHARED" Value="1" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Client': ['ClientFeature.wxs', 'Shared.wxs'], 'Package Contoso Server': ['ClientFeature.wxs', 'Shared.wxs'] });
  });

  it('WiX v3: a <Product> links like a package; its <Package> child is not a section', () => {
    const v3 = (inner: string) => `<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\n${inner}\n</Wix>\n`;
    const linked = linkFiles({
      'Product.wxs': v3('  <Product Id="*" Name="Fabrikam Agent" Language="1033" Version="1.0.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">\n    <Package InstallerVersion="500" InstallScope="perMachine" />\n    <PropertyRef Id="PATCHSIGNING" />\n  </Product>'),
      'Signing.wxs': v3('  <Fragment>\n    <Property Id="PATCHSIGNING" Value="1" />\n  </Fragment>'),
      'Module.wxs': v3('  <Module Id="FabrikamRuntime" Language="1033" Version="1.0.0.0">\n    <Package Id="0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D" Manufacturer="Fabrikam" InstallerVersion="200" />\n  </Module>'),
    });
    assert.deepEqual(linked, { 'Product Fabrikam Agent': ['Signing.wxs'], 'Module FabrikamRuntime': [] });
  });

  it('a Ref element does not define what it references', () => {
    const linked = linkFiles({
      'Product.wxs': pkg('Contoso Tools', '    <PropertyRef Id="SIGNING" />'),
      'AlsoRefers.wxs': fragment('    <PropertyRef Id="SIGNING" />\n    <Property Id="NOT_LINKED" Value="1" />'),
    });
    assert.deepEqual(linked, { 'Package Contoso Tools': [] });
  });
});
