// Which .wxs files are compiled together: .wixproj projects (SDK-style and WiX v3), loose files,
// and folder walks that must end.

import assert from 'node:assert/strict';
import * as nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MemoryFileSystem, NodeFileSystem, type FileSystem } from '../server/src/engine/fs';
import { collectFiles, compilationUnits, readProject } from '../server/src/engine/wix/project';
import { SourceCache } from '../server/src/engine/wix/source';

const ROOT = path.resolve('/repo');
const at = (relative: string) => path.join(ROOT, ...relative.split('/'));
const WXS = '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs" />\n';

function workspace(files: Record<string, string>): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [relative, text] of Object.entries(files)) fs.write(at(relative), text);
  return fs;
}

/** Units as { project or folder (relative): sources (relative) }. */
function units(fs: FileSystem, roots: string[]): Record<string, string[]> {
  const rootPaths = roots.map(at);
  const result: Record<string, string[]> = {};
  for (const unit of compilationUnits(fs, collectFiles(fs, rootPaths), new SourceCache(fs), rootPaths)) {
    result[unit.project ? relative(unit.project.path) : 'loose'] = unit.sources.map(relative);
  }
  return result;
}

const relative = (filePath: string) => path.relative(ROOT, filePath).split(path.sep).join('/');

function project(fs: FileSystem, projectPath: string) {
  const loaded = readProject(at(projectPath), fs, new SourceCache(fs));
  assert.ok(loaded, `${projectPath} is read`);
  return loaded;
}

const sdkProject = (body = '') => `<Project Sdk="WixToolset.Sdk/5.0.2">\n${body}</Project>\n`;

describe('SDK-style projects', () => {
  it('compile every .wxs below the project folder except bin/ and obj/', () => {
    const fs = workspace({
      'Installer/Installer.wixproj': sdkProject(),
      'Installer/Product.wxs': WXS,
      'Installer/Fragments/Registry.wxs': WXS,
      'Installer/bin/Release/Harvested.wxs': WXS,
      'Installer/obj/Release/Generated.wxs': WXS,
      'Installer/Common.wxi': '<Include />\n',
    });
    const loaded = project(fs, 'Installer/Installer.wixproj');
    assert.equal(loaded.sdkStyle, true);
    assert.equal(loaded.outputType, 'Package');
    assert.deepEqual(loaded.compileFiles.map(relative), ['Installer/Fragments/Registry.wxs', 'Installer/Product.wxs']);
    assert.deepEqual(units(fs, ['']), { 'Installer/Installer.wixproj': ['Installer/Fragments/Registry.wxs', 'Installer/Product.wxs'] }, 'bin/ and obj/ are not analysed as loose files either');
  });

  it('EnableDefaultCompileItems=false compiles only the listed files', () => {
    const fs = workspace({
      'Setup/Setup.wixproj': sdkProject('  <PropertyGroup>\n    <EnableDefaultCompileItems>False</EnableDefaultCompileItems>\n  </PropertyGroup>\n  <ItemGroup>\n    <Compile Include="Package.wxs" />\n  </ItemGroup>\n'),
      'Setup/Package.wxs': WXS,
      'Setup/Experimental.wxs': WXS,
    });
    assert.deepEqual(project(fs, 'Setup/Setup.wixproj').compileFiles.map(relative), ['Setup/Package.wxs']);
  });

  it('<Compile Include> with ..\\ and wildcards, and <Compile Remove>', () => {
    const fs = workspace({
      'Setup/Setup.wixproj': sdkProject('  <ItemGroup>\n    <Compile Include="..\\Shared\\*.wxs;..\\Branding\\**\\*.wxs" />\n    <Compile Include="..\\Tools\\Tool.wxs" />\n    <Compile Remove="Legacy\\**" />\n  </ItemGroup>\n'),
      'Setup/Package.wxs': WXS,
      'Setup/Legacy/Old.wxs': WXS,
      'Shared/Common.wxs': WXS,
      'Shared/Nested/NotMatched.wxs': WXS,
      'Branding/Contoso/Ui.wxs': WXS,
      'Tools/Tool.wxs': WXS,
    });
    assert.deepEqual(project(fs, 'Setup/Setup.wixproj').compileFiles.map(relative), ['Branding/Contoso/Ui.wxs', 'Setup/Package.wxs', 'Shared/Common.wxs', 'Tools/Tool.wxs']);
    assert.deepEqual(units(fs, ['']), {
      'Setup/Setup.wixproj': ['Branding/Contoso/Ui.wxs', 'Setup/Package.wxs', 'Shared/Common.wxs', 'Tools/Tool.wxs'],
      loose: ['Shared/Nested/NotMatched.wxs'],
    }, 'a removed file is not compiled anywhere; a file outside the project folder nobody lists is loose');
  });

  it('the <Sdk Name="WixToolset.Sdk"> form is SDK-style too', () => {
    const fs = workspace({ 'Setup/Setup.wixproj': '<Project>\n  <Sdk Name="WixToolset.Sdk" Version="5.0.2" />\n</Project>\n', 'Setup/Package.wxs': WXS });
    assert.equal(project(fs, 'Setup/Setup.wixproj').sdkStyle, true);
    assert.deepEqual(project(fs, 'Setup/Setup.wixproj').compileFiles.map(relative), ['Setup/Package.wxs']);
  });
});

describe('WiX v3 projects', () => {
  it('compile only their <Compile Include> items', () => {
    const fs = workspace({
      'Setup/Setup.wixproj':
        '<?xml version="1.0" encoding="utf-8"?>\n<Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">\n' +
        '  <PropertyGroup>\n    <OutputName>ContosoSetup</OutputName>\n    <OutputType>Package</OutputType>\n  </PropertyGroup>\n' +
        '  <ItemGroup>\n    <Compile Include="Product.wxs" />\n    <Compile Include="Fragments\\Files.wxs" />\n  </ItemGroup>\n' +
        '  <Import Project="$(WixTargetsPath)" />\n</Project>\n',
      'Setup/Product.wxs': WXS,
      'Setup/Fragments/Files.wxs': WXS,
      'Setup/Product.backup.wxs': WXS,
    });
    const loaded = project(fs, 'Setup/Setup.wixproj');
    assert.equal(loaded.sdkStyle, false);
    assert.equal(loaded.outputName, 'ContosoSetup');
    assert.deepEqual(units(fs, ['']), { 'Setup/Setup.wixproj': ['Setup/Fragments/Files.wxs', 'Setup/Product.wxs'] });
  });
});

describe('project variables', () => {
  it('DefineConstants accumulate over unconditional property groups; conditional ones are unknown', () => {
    const fs = workspace({
      'Setup/Setup.wixproj': sdkProject(
        '  <PropertyGroup>\n    <DefineConstants>Debug;Flavor=Retail</DefineConstants>\n  </PropertyGroup>\n' +
          "  <PropertyGroup Condition=\"'$(Configuration)' == 'Release'\">\n    <DefineConstants>$(DefineConstants);Signed</DefineConstants>\n  </PropertyGroup>\n" +
          '  <PropertyGroup>\n    <DefineConstants>$(DefineConstants);CertDir=Signing;Channel=beta</DefineConstants>\n    <DefineConstants Condition="false">Ignored=1</DefineConstants>\n  </PropertyGroup>\n',
      ),
    });
    const defines = project(fs, 'Setup/Setup.wixproj').defines;
    assert.equal(defines.get('Debug'), '');
    assert.equal(defines.get('Flavor'), 'Retail');
    assert.equal(defines.get('CertDir'), 'Signing');
    assert.equal(defines.get('Channel'), 'beta');
    assert.equal(defines.has('Signed'), false);
    assert.equal(defines.has('Ignored'), false);
  });

  it('MSBuild properties in a define are evaluated when known; a define that needs the build is left undefined', () => {
    const fs = workspace({
      'Setup/Setup.wixproj': sdkProject(
        '  <PropertyGroup>\n    <SigningRoot>..\\Signing</SigningRoot>\n' +
          '    <DefineConstants>CertDir=$(MSBuildThisFileDirectory)$(SigningRoot);Name=$(MSBuildProjectName);Configuration=$(Configuration);Out=$(OutDir)bin</DefineConstants>\n  </PropertyGroup>\n',
      ),
    });
    const defines = project(fs, 'Setup/Setup.wixproj').defines;
    assert.equal(defines.get('CertDir'), `${at('Setup')}${path.sep}..\\Signing`);
    assert.equal(defines.get('Name'), 'Setup');
    assert.equal(defines.has('Configuration'), false, 'so <?if $(var.Configuration) = "Debug"?> stays undecided');
    assert.equal(defines.has('Out'), false);
  });

  it('the project variables the WiX targets define: ProjectDir, ProjectName, …', () => {
    const fs = workspace({ 'Setup/Contoso.Setup.wixproj': sdkProject() });
    const defines = project(fs, 'Setup/Contoso.Setup.wixproj').defines;
    assert.equal(defines.get('ProjectDir'), at('Setup') + path.sep);
    assert.equal(defines.get('ProjectName'), 'Contoso.Setup');
    assert.equal(defines.get('ProjectFileName'), 'Contoso.Setup.wixproj');
    assert.equal(defines.get('ProjectExt'), '.wixproj');
    assert.equal(defines.get('ProjectPath'), at('Setup/Contoso.Setup.wixproj'));
  });

  it('IncludeSearchPaths and Platform', () => {
    const fs = workspace({
      'Setup/Setup.wixproj': sdkProject('  <PropertyGroup>\n    <IncludeSearchPaths>..\\Include;$(WixExtDir)</IncludeSearchPaths>\n    <Platform>x64</Platform>\n  </PropertyGroup>\n'),
    });
    const loaded = project(fs, 'Setup/Setup.wixproj');
    assert.deepEqual(loaded.includeSearchPaths, [at('Include')]);
    assert.equal(loaded.platform, 'x64');
  });
});

describe('compilation units', () => {
  it('a ProjectReference to a Library project links the library’s sources into the package', () => {
    const fs = workspace({
      'Package/Package.wixproj': sdkProject('  <ItemGroup>\n    <ProjectReference Include="..\\Common\\Common.wixproj" />\n    <ProjectReference Include="..\\App\\App.csproj" />\n  </ItemGroup>\n'),
      'Package/Package.wxs': WXS,
      'Common/Common.wixproj': sdkProject('  <PropertyGroup>\n    <OutputType>Library</OutputType>\n  </PropertyGroup>\n'),
      'Common/Certificates.wxs': WXS,
      'App/App.csproj': '<Project Sdk="Microsoft.NET.Sdk" />\n',
    });
    assert.deepEqual(units(fs, ['']), {
      'Common/Common.wixproj': ['Common/Certificates.wxs'],
      'Package/Package.wixproj': ['Common/Certificates.wxs', 'Package/Package.wxs'],
    });
  });

  it('loose files without a project form one unit', () => {
    const fs = workspace({ 'wix/Product.wxs': WXS, 'wix/Fragments.wxs': WXS, 'wix/Common.wxi': '<Include />\n', 'notes.txt': 'x' });
    assert.deepEqual(units(fs, ['']), { loose: ['wix/Fragments.wxs', 'wix/Product.wxs'] });
    const files = collectFiles(fs, [ROOT]);
    assert.deepEqual(files.includes.map(relative), ['wix/Common.wxi']);
    assert.deepEqual(files.all.map(relative), ['notes.txt', 'wix/Common.wxi', 'wix/Fragments.wxs', 'wix/Product.wxs']);
  });

  it('a single file given as the root belongs to the project in a folder above it, with all its sources', () => {
    const fs = workspace({
      'Installer/Installer.wixproj': sdkProject('  <PropertyGroup>\n    <DefineConstants>Flavor=Retail</DefineConstants>\n  </PropertyGroup>\n'),
      'Installer/Product.wxs': WXS,
      'Installer/Fragments/Signing.wxs': WXS,
    });
    const rootPath = at('Installer/Fragments/Signing.wxs');
    const [unit, ...others] = compilationUnits(fs, collectFiles(fs, [rootPath]), new SourceCache(fs), [rootPath]);
    assert.deepEqual(others, []);
    assert.equal(unit.project?.path, at('Installer/Installer.wixproj'));
    assert.equal(unit.project?.defines.get('Flavor'), 'Retail');
    assert.deepEqual(unit.sources.map(relative), ['Installer/Fragments/Signing.wxs', 'Installer/Product.wxs']);
  });

  it('a project file that is not MSBuild XML is skipped, and its sources are analysed loose', () => {
    const fs = workspace({ 'Setup/Setup.wixproj': 'not xml at all', 'Setup/Product.wxs': WXS });
    assert.deepEqual(units(fs, ['']), { loose: ['Setup/Product.wxs'] });
  });
});

describe('folder walks on disk', () => {
  it('end in a symlink loop, and skip node_modules and .git', () => {
    const folder = nodeFs.mkdtempSync(path.join(os.tmpdir(), 'wix-uac-loop-'));
    try {
      const installer = path.join(folder, 'Installer');
      nodeFs.mkdirSync(path.join(installer, 'Fragments'), { recursive: true });
      nodeFs.mkdirSync(path.join(folder, 'node_modules', 'pkg'), { recursive: true });
      nodeFs.mkdirSync(path.join(folder, '.git'), { recursive: true });
      nodeFs.writeFileSync(path.join(installer, 'Installer.wixproj'), sdkProject());
      nodeFs.writeFileSync(path.join(installer, 'Product.wxs'), WXS);
      nodeFs.writeFileSync(path.join(installer, 'Fragments', 'Files.wxs'), WXS);
      nodeFs.writeFileSync(path.join(folder, 'node_modules', 'pkg', 'Vendored.wxs'), WXS);
      nodeFs.writeFileSync(path.join(folder, '.git', 'Stash.wxs'), WXS);
      // Fragments/back → Installer, and a link to the workspace itself: walks must still end.
      nodeFs.symlinkSync(installer, path.join(installer, 'Fragments', 'back'), 'dir');
      nodeFs.symlinkSync(folder, path.join(installer, 'root'), 'dir');
      nodeFs.symlinkSync(path.join(folder, 'missing'), path.join(installer, 'dangling'), 'dir');

      const fs = new NodeFileSystem();
      const files = collectFiles(fs, [folder]);
      assert.deepEqual(files.sources.map((file) => path.relative(folder, file).split(path.sep).join('/')), ['Installer/Fragments/Files.wxs', 'Installer/Product.wxs']);
      const [unit, ...others] = compilationUnits(fs, files, new SourceCache(fs), [folder]);
      assert.deepEqual(others, []);
      assert.deepEqual(unit.sources.map((file) => path.relative(folder, file).split(path.sep).join('/')), ['Installer/Fragments/Files.wxs', 'Installer/Product.wxs']);
    } finally {
      nodeFs.rmSync(folder, { recursive: true, force: true });
    }
  });
});
