import { PATCH_CERTIFICATES, ruleTester, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const V4 = 'http://wixtoolset.org/schemas/v4/wxs';
const V3 = 'http://schemas.microsoft.com/wix/2006/wi';
const PACKAGE_ATTRIBUTES = 'Name="Contoso Tools" Manufacturer="Contoso Ltd" Version="1.0.0" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C"';
const POLICY_KEY = 'SOFTWARE\\Policies\\Microsoft\\Windows\\Installer';
const SETTINGS_VALUE = '<RegistryValue Root="HKLM" Key="SOFTWARE\\Contoso\\Tools" Name="InstallDir" Type="string" Value="[INSTALLFOLDER]" KeyPath="yes" />';

/** A registry value as a package would author it. */
function registryValue(root: string, key: string, name: string, value: string): string {
  return `<RegistryValue Root="${root}" Key="${key}" Name="${name}" Type="integer" Value="${value}" />`;
}

/** A v4 component holding the product's settings value and the given lines. */
function component(...lines: string[]): string {
  return ['<Component Id="Settings" Directory="INSTALLFOLDER">', `  ${SETTINGS_VALUE}`, ...lines.map((line) => `  ${line}`), '</Component>'].join('\n');
}

/** A `<Wix>` source holding one `<Fragment>` with the given lines (LF, two-space indentation). */
function fragment(namespace: string, inner: string): string {
  const body = inner.split('\n').map((line) => `    ${line}`).join('\n');
  return `<Wix xmlns="${namespace}">\n  <Fragment>\n${body}\n  </Fragment>\n</Wix>\n`;
}

const POLICY = registryValue('HKLM', POLICY_KEY, 'DisableLUAPatching', '1');

ruleTester('lua-patching-policy-disabled', {
  valid: [
    { name: 'a package that writes only its own settings', files: { 'Product.wxs': v4Package(component()) } },
    { name: 'the policy key under HKCU (a user policy Windows Installer does not read for this)', files: { 'Product.wxs': v4Package(component(registryValue('HKCU', POLICY_KEY, 'DisableLUAPatching', '1'))) } },
    { name: 'DisableLUAPatching set to 0', files: { 'Product.wxs': v4Package(component(registryValue('HKLM', POLICY_KEY, 'DisableLUAPatching', '0'))) } },
    { name: 'a DisableLUAPatching value under the product\'s own key', files: { 'Product.wxs': v4Package(component(registryValue('HKLM', 'SOFTWARE\\Contoso\\Tools', 'DisableLUAPatching', '1'))) } },
    { name: 'another Windows Installer policy', files: { 'Product.wxs': v4Package(component(registryValue('HKLM', POLICY_KEY, 'MaxPatchCacheSize', '10'))) } },
    { name: 'a key that is not under SOFTWARE (not where policies live)', files: { 'Product.wxs': v4Package(component(registryValue('HKLM', 'Policies\\Microsoft\\Windows\\Installer', 'DisableLUAPatching', '1'))) } },
    {
      name: 'HKMU in a per-user v3 product (HKCU there)',
      files: {
        'Product.wxs': v3Product(
          `<DirectoryRef Id="TARGETDIR">\n  <Component Id="Policy" Guid="{0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F}">\n    ${registryValue('HKMU', POLICY_KEY, 'DisableLUAPatching', '1')}\n  </Component>\n</DirectoryRef>`,
          'InstallerVersion="500" Compressed="yes"',
        ),
      },
    },
    {
      name: 'a fragment nothing links',
      files: { 'Product.wxs': v4Package(component()), 'Policy.wxs': fragment(V4, `<ComponentGroup Id="Policy" Directory="INSTALLFOLDER">\n  <Component>\n    ${POLICY}\n  </Component>\n</ComponentGroup>`) },
    },
    {
      name: 'an <?if?> branch the defined variables rule out',
      files: { 'Product.wxs': v4Package(`<?define LockDown = "no" ?>\n` + component('<?if $(var.LockDown) = "yes" ?>', POLICY, '<?endif?>')) },
    },
    { name: 'commented-out authoring', files: { 'Product.wxs': v4Package(component(`<!-- ${POLICY} -->`)) } },
    {
      name: 'a value of 0 from the project\'s DefineConstants',
      files: {
        'Installer.wixproj': '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <DefineConstants>NoLuaPatching=0</DefineConstants>\n  </PropertyGroup>\n</Project>\n',
        'Package.wxs': v4Package(component(registryValue('HKLM', POLICY_KEY, 'DisableLUAPatching', '$(var.NoLuaPatching)'))),
      },
    },
    { name: 'a package that removes the policy', files: { 'Product.wxs': v4Package(component(`<RemoveRegistryValue Root="HKLM" Key="${POLICY_KEY}" Name="DisableLUAPatching" />`)) } },
    {
      name: 'a finding suppressed with wix-uac-disable-next-line above a multi-line tag',
      files: { 'Product.wxs': v4Package(component('<!-- wix-uac-disable-next-line lua-patching-policy-disabled -->', `<RegistryValue Root="HKLM" Key="${POLICY_KEY}"`, '               Name="DisableLUAPatching" Type="integer" Value="1" />')) },
    },
  ],
  invalid: [
    {
      name: 'HKLM policy key with DisableLUAPatching=1: reported on the name, removed by the fix',
      files: { 'Product.wxs': v4Package(component(POLICY)) },
      findings: [{ line: 5, message: /^This RegistryValue sets the DisableLUAPatching policy to 1 under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Installer: it turns UAC patching off for every product on the machine/ }],
      fix: { title: /^Remove the DisableLUAPatching registry value$/, files: { 'Product.wxs': v4Package(component()) } },
    },
    {
      name: 'the key from an enclosing RegistryKey (WiX v3)',
      files: {
        'Product.wxs': v3Product(
          `<DirectoryRef Id="TARGETDIR">\n  <Component Id="Policy" Guid="{0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F}">\n    <RegistryKey Root="HKLM" Key="Software\\Policies\\Microsoft\\Windows\\Installer">\n      <RegistryValue Name="DisableLUAPatching" Type="integer" Value="1" KeyPath="yes" />\n    </RegistryKey>\n  </Component>\n</DirectoryRef>`,
        ),
      },
      findings: [{ line: 7, message: /under HKLM\\Software\\Policies\\Microsoft\\Windows\\Installer/ }],
    },
    {
      name: 'the key split over nested RegistryKeys, with a trailing backslash',
      files: {
        'Product.wxs': v4Package(
          `<Component Id="Policy" Directory="INSTALLFOLDER">\n  <RegistryKey Root="HKLM" Key="SOFTWARE\\Policies\\">\n    <RegistryKey Key="Microsoft\\Windows\\Installer">\n      <RegistryValue Name="DisableLUAPatching" Type="integer" Value="1" />\n    </RegistryKey>\n  </RegistryKey>\n</Component>`,
        ),
      },
      findings: [{ line: 6, message: /under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Installer/ }],
    },
    {
      name: 'HKMU in a per-machine package (HKLM there)',
      files: { 'Product.wxs': v4Package(component(registryValue('HKMU', POLICY_KEY, 'DisableLUAPatching', '1')), `${PACKAGE_ATTRIBUTES} Scope="perMachine"`) },
      findings: [{ line: 5 }],
    },
    {
      name: 'key and name in another letter case, and a value of 2',
      files: { 'Product.wxs': v4Package(component(registryValue('HKLM', 'software\\policies\\microsoft\\windows\\installer', 'disableLUAPatching', '2'))) },
      findings: [{ line: 5, message: /policy to 2/ }],
    },
    {
      name: 'a fragment linked transitively (FeatureRef → ComponentGroupRef) is reported in the fragment',
      files: {
        'Product.wxs': v4Package(`<FeatureRef Id="Main" />\n${PATCH_CERTIFICATES}`),
        'Features.wxs': fragment(V4, '<Feature Id="Main">\n  <ComponentGroupRef Id="Policy" />\n</Feature>'),
        'Policy.wxs': fragment(V4, `<ComponentGroup Id="Policy" Directory="INSTALLFOLDER">\n  <Component>\n    ${POLICY}\n  </Component>\n</ComponentGroup>`),
      },
      findings: [{ file: 'Policy.wxs', line: 5 }],
      fix: {
        title: /Remove/,
        files: { 'Policy.wxs': fragment(V4, '<ComponentGroup Id="Policy" Directory="INSTALLFOLDER">\n  <Component>\n  </Component>\n</ComponentGroup>') },
      },
    },
    {
      name: 'a value inside an included .wxi is reported and removed there',
      files: {
        'Product.wxs': v4Package('<Component Id="Policy" Directory="INSTALLFOLDER">\n  <?include Policy.wxi ?>\n</Component>'),
        'Policy.wxi': `<?xml version="1.0" encoding="utf-8"?>\n<Include>\n  ${SETTINGS_VALUE}\n  ${POLICY}\n</Include>\n`,
      },
      findings: [{ file: 'Policy.wxi', line: 4 }],
      fix: { title: /Remove/, files: { 'Policy.wxi': `<?xml version="1.0" encoding="utf-8"?>\n<Include>\n  ${SETTINGS_VALUE}\n</Include>\n` } },
    },
    {
      name: 'the key from a <?define?> and the value in a .wxi found through $(sys.SOURCEFILEDIR)',
      files: {
        'Product.wxs': v3Product(
          `<?define PolicyKey = "SOFTWARE\\Policies\\Microsoft\\Windows\\Installer" ?>\n<DirectoryRef Id="TARGETDIR">\n  <Component Id="Policy" Guid="{0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F}">\n    <?include $(sys.SOURCEFILEDIR)Include\\Policy.wxi ?>\n  </Component>\n</DirectoryRef>`,
        ),
        'Include/Policy.wxi': '<Include>\r\n  <RegistryValue Root="HKLM" Key="$(var.PolicyKey)" Name="DisableLUAPatching" Type="integer" Value="1" KeyPath="yes" />\r\n</Include>\r\n',
      },
      findings: [{ file: 'Include/Policy.wxi', line: 2, message: /under HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\Installer/ }],
    },
    {
      name: 'the value from the project\'s DefineConstants',
      files: {
        'Installer.wixproj': '<Project Sdk="WixToolset.Sdk/5.0.2">\n  <PropertyGroup>\n    <Platform>x64</Platform>\n    <DefineConstants>NoLuaPatching=1</DefineConstants>\n  </PropertyGroup>\n</Project>\n',
        'Package.wxs': v4Package(component(registryValue('HKLM', POLICY_KEY, 'DisableLUAPatching', '$(var.NoLuaPatching)'))),
      },
      findings: [{ file: 'Package.wxs', line: 5, message: /policy to 1/ }],
    },
    {
      name: 'a value from a variable the sources do not define is information',
      files: { 'Product.wxs': v4Package(component(registryValue('HKLM', POLICY_KEY, 'DisableLUAPatching', '$(var.NoLuaPatching)'))) },
      findings: [{ line: 5, severity: 'information', message: /depends on \$\(var\.NoLuaPatching\); if it is non-zero, UAC patching is disabled for every product on the machine/ }],
    },
    {
      name: 'inside an <?ifdef?> that cannot be decided, with the condition named',
      files: { 'Product.wxs': v4Package(component('<?ifdef LockDown ?>', POLICY, '<?endif?>')) },
      findings: [{ line: 6, message: /\(only when <\?ifdef LockDown\?>\)/ }],
    },
    {
      name: 'a multi-line RegistryValue in a CRLF file indented with tabs: reported on the Name line, all its lines removed',
      files: {
        'Product.wxs': [
          `<Wix xmlns="${V3}">`,
          '\t<Product Id="*" Name="Fabrikam Agent" Language="1033" Version="3.1.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">',
          '\t\t<Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" />',
          '\t\t<DirectoryRef Id="TARGETDIR">',
          '\t\t\t<Component Id="Policy" Guid="{0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F}">',
          '\t\t\t\t<RegistryValue Root="HKLM" Key="SOFTWARE\\Fabrikam\\Agent" Name="Version" Type="string" Value="[ProductVersion]" KeyPath="yes" />',
          `\t\t\t\t<RegistryValue Root="HKLM" Key="${POLICY_KEY}"`,
          '\t\t\t\t               Name="DisableLUAPatching" Type="integer" Value="1" />',
          '\t\t\t</Component>',
          '\t\t</DirectoryRef>',
          '\t</Product>',
          '</Wix>',
          '',
        ].join('\r\n'),
      },
      findings: [{ line: 8 }],
      fix: {
        title: /Remove/,
        files: {
          'Product.wxs': [
            `<Wix xmlns="${V3}">`,
            '\t<Product Id="*" Name="Fabrikam Agent" Language="1033" Version="3.1.0.0" Manufacturer="Fabrikam" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">',
            '\t\t<Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" />',
            '\t\t<DirectoryRef Id="TARGETDIR">',
            '\t\t\t<Component Id="Policy" Guid="{0C1D2E3F-4A5B-4C6D-8E7F-9A0B1C2D3E4F}">',
            '\t\t\t\t<RegistryValue Root="HKLM" Key="SOFTWARE\\Fabrikam\\Agent" Name="Version" Type="string" Value="[ProductVersion]" KeyPath="yes" />',
            '\t\t\t</Component>',
            '\t\t</DirectoryRef>',
            '\t</Product>',
            '</Wix>',
            '',
          ].join('\r\n'),
        },
      },
    },
    {
      name: 'a UTF-16 LE source with CRLF line ends',
      files: { 'Product.wxs': Buffer.from('\ufeff' + v4Package(component(POLICY)).replace(/\n/g, '\r\n'), 'utf16le') },
      findings: [{ line: 5 }],
    },
  ],
});

// Built packages and .idt folders: Registry rows (Root 2 = HKLM, "#1" = DWORD 1).
const REGISTRY = idtText('Registry.idt');
const registryRow = (root: string, value: string) => `${REGISTRY}PolicyRow\t${root}\tSoftware\\Policies\\Microsoft\\Windows\\Installer\tDisableLUAPatching\t${value}\tMainComponent\r\n`;

ruleTester('lua-patching-policy-disabled', {
  valid: [
    { name: 'a package without the policy', files: packages('product-trusting.msi') },
    { name: 'the policy set to #0', files: idtFolder('db', { 'Registry.idt': registryRow('2', '#0') }) },
    { name: 'under HKCU (Root 1), which is no machine policy', files: idtFolder('db', { 'Registry.idt': registryRow('1', '#1') }) },
    { name: 'a string "1" (the policy is a DWORD)', files: idtFolder('db', { 'Registry.idt': registryRow('2', '1') }) },
  ],
  invalid: [
    {
      name: 'HKLM policy set to #1, removed by the fix',
      files: idtFolder('db', { 'Registry.idt': registryRow('2', '#1') }),
      findings: [{ file: 'db/Registry.idt', line: 4, message: /Registry row "PolicyRow" \(Registry\.idt:4\) sets the DisableLUAPatching policy to 1 under HKLM\\Software\\Policies/ }],
      fix: { title: /Remove the DisableLUAPatching registry row/, files: { 'db/Registry.idt': REGISTRY } },
    },
    { name: 'HKMU (Root -1) in a per-machine product', files: idtFolder('db', { 'Registry.idt': registryRow('-1', '#x1') }), findings: [{ file: 'db/Registry.idt', line: 4 }] },
  ],
});
