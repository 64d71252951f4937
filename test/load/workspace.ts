// A large generated workspace for the load tests: WiX projects (a hand-written product, its
// include and a harvested fragment each), .idt folders and built packages and patches, about
// 2 000 files in all. Sources are generated; .idt folders and packages are copies of the committed
// fixtures, some of them changed so that the workspace has findings of several kinds.
import * as fs from 'node:fs';
import * as path from 'node:path';

const repoRoot = path.join(__dirname, '..', '..', '..');
const packageFixtures = path.join(repoRoot, 'test', 'fixtures', 'packages');
const signingCertificate = path.join(repoRoot, 'test', 'fixtures', 'certificates', 'contoso-patch-signing.cer');

export interface WorkspaceShape {
  /** Product folders, four files each: .wixproj, Product.wxs, Common.wxi, Harvest.wxs. */
  projects: number;
  /** Components in each project's Harvest.wxs. */
  harvestedComponents: number;
  /** Folders of .idt files (about 30 tables each, from product-trusting-idt). */
  idtFolders: number;
  /** Built packages and patches copied from the fixtures. */
  packages: number;
}

export const TWO_THOUSAND_FILES: WorkspaceShape = { projects: 250, harvestedComponents: 150, idtFolders: 20, packages: 380 };

export interface GeneratedWorkspace {
  files: number;
  bytes: number;
  /** Products whose Common.wxi sets MSIDISABLELUAPATCHING to 1 (each gets lua-patching-disabled). */
  luaDisabledProducts: number;
  /** Products with patch certificates and InstallerVersion 200 (each gets installer-version-too-low). */
  oldInstallerProducts: number;
  /** Packages truncated on purpose (each gets unreadable-package). */
  truncatedPackages: number;
}

const pad = (n: number, width = 4): string => String(n).padStart(width, '0');

/** A GUID made of the kind and index, so every run writes the same bytes. */
const guid = (kind: number, index: number): string => `{6A1F2C3D-${pad(kind)}-4000-8000-${pad(index, 12)}}`;

function project(index: number): Record<string, string> {
  const name = `Product${pad(index)}`;
  // Every seventh product leaves UAC patching off through its include, every fifth asks for an old installer.
  const luaDisabled = index % 7 === 0;
  const installerVersion = index % 5 === 0 ? '200' : '500';
  return {
    [`${name}.wixproj`]: [
      '<Project Sdk="WixToolset.Sdk/5.0.2">',
      '  <PropertyGroup>',
      `    <OutputName>${name}</OutputName>`,
      '    <DefineConstants>Flavor=Release</DefineConstants>',
      '  </PropertyGroup>',
      '</Project>',
      '',
    ].join('\r\n'),
    'Common.wxi': [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<Include>',
      `  <?define ProductVersion = "1.${index}.0" ?>`,
      `  <?define DisableUacPatching = "${luaDisabled ? '1' : '0'}" ?>`,
      '</Include>',
      '',
    ].join('\r\n'),
    'Product.wxs': [
      '<?xml version="1.0" encoding="utf-8"?>',
      '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">',
      '  <?include Common.wxi ?>',
      `  <Package Name="${name}" Manufacturer="Contoso Ltd" Version="$(var.ProductVersion)"`,
      `           ProductCode="${guid(1, index)}" UpgradeCode="${guid(2, index)}" InstallerVersion="${installerVersion}">`,
      '    <MediaTemplate EmbedCab="yes" />',
      '    <PatchCertificates>',
      '      <DigitalCertificate Id="ContosoPatchSigning" SourceFile="..\\..\\certificates\\contoso-patch-signing.cer" />',
      '    </PatchCertificates>',
      '    <Property Id="MSIDISABLELUAPATCHING" Value="$(var.DisableUacPatching)" />',
      '    <Feature Id="Main">',
      '      <ComponentGroupRef Id="Harvested" />',
      '    </Feature>',
      '  </Package>',
      '</Wix>',
      '',
    ].join('\r\n'),
  };
}

/** Heat-like output: one fragment with a directory and a component group of files and registry values. */
function harvest(index: number, components: number): string {
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">', '  <Fragment>'];
  lines.push('    <StandardDirectory Id="ProgramFiles6432Folder">', `      <Directory Id="INSTALLFOLDER" Name="Product${pad(index)}" />`, '    </StandardDirectory>');
  lines.push('    <ComponentGroup Id="Harvested" Directory="INSTALLFOLDER">');
  for (let n = 0; n < components; n++) {
    const id = pad(n, 6);
    lines.push(`      <Component Id="cmp${id}" Guid="${guid(3, index * 100_000 + n)}">`);
    lines.push(`        <File Id="fil${id}" KeyPath="yes" Source="$(var.Flavor)\\bin\\file${id}.dll" />`);
    if (n % 3 === 0) lines.push(`        <RegistryValue Root="HKLM" Key="Software\\Contoso\\Product${pad(index)}" Name="file${id}" Type="string" Value="[#fil${id}]" />`);
    lines.push('      </Component>');
  }
  lines.push('    </ComponentGroup>', '  </Fragment>', '</Wix>', '');
  return lines.join('\r\n');
}

function copyFolder(from: string, to: string, changes: Record<string, string>): number {
  let files = 0;
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.isDirectory()) files += copyFolder(path.join(from, entry.name), path.join(to, entry.name), {});
    else {
      const change = changes[entry.name];
      if (change !== undefined) fs.writeFileSync(path.join(to, entry.name), change);
      else fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
      files++;
    }
  }
  return files;
}

/** Products, patches and damaged copies, in proportions a folder of build outputs might have. */
const PACKAGE_KINDS = ['product-trusting.msi', 'product-lua-disabled.msi', 'patch-sha256.msp', 'patch-unsigned.msp', 'patch-northwind.msp', 'product-no-certificates.msi', 'patch-timestamped.msp', 'truncated'];

/** Writes the workspace into `root` (an empty folder) and says what it holds. */
export function generateWorkspace(root: string, shape: WorkspaceShape): GeneratedWorkspace {
  const result: GeneratedWorkspace = { files: 0, bytes: 0, luaDisabledProducts: 0, oldInstallerProducts: 0, truncatedPackages: 0 };
  const write = (relative: string, content: string | Buffer): void => {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    result.files++;
    result.bytes += Buffer.byteLength(content);
  };
  write('certificates/contoso-patch-signing.cer', fs.readFileSync(signingCertificate));
  for (let index = 1; index <= shape.projects; index++) {
    for (const [name, text] of Object.entries(project(index))) write(`products/${pad(index)}/${name}`, text);
    write(`products/${pad(index)}/Harvest.wxs`, harvest(index, shape.harvestedComponents));
    if (index % 7 === 0) result.luaDisabledProducts++;
    if (index % 5 === 0) result.oldInstallerProducts++;
  }
  const property = fs.readFileSync(path.join(packageFixtures, 'product-trusting-idt', 'Property.idt'), 'utf8');
  for (let index = 1; index <= shape.idtFolders; index++) {
    const changed = property.replace('{6A1F2C3D-0000-4000-8000-00000000C0A1}', guid(4, index)) + (index % 2 === 0 ? 'MSIDISABLELUAPATCHING\t1\r\n' : '');
    result.files += copyFolder(path.join(packageFixtures, 'product-trusting-idt'), path.join(root, 'tables', pad(index)), { 'Property.idt': changed });
  }
  for (let index = 0; index < shape.packages; index++) {
    const kind = PACKAGE_KINDS[index % PACKAGE_KINDS.length];
    const folder = `builds/${pad(Math.floor(index / 40), 2)}`;
    if (kind === 'truncated') {
      // Half a product: the header promises sectors the file does not have.
      const bytes = fs.readFileSync(path.join(packageFixtures, 'product-trusting.msi'));
      write(`${folder}/Broken${pad(index)}.msi`, bytes.subarray(0, Math.floor(bytes.length / 2)));
      result.truncatedPackages++;
    } else {
      write(`${folder}/${pad(index)}-${kind}`, fs.readFileSync(path.join(packageFixtures, kind)));
    }
  }
  return result;
}
