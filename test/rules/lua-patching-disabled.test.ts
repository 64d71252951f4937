import { PATCH_CERTIFICATES, ruleTester, v3Product, v4Package } from '../support/rule-tester';
import { idtFolder, idtText, packages } from '../support/packages';

const property = (value: string) => `<Property Id="MSIDISABLELUAPATCHING" Value="${value}" />`;

ruleTester('lua-patching-disabled', {
  valid: [
    { name: 'a product that does not mention the property', files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES) } },
    { name: 'a lower-case name (property names are case-sensitive)', files: { 'Product.wxs': v4Package('<Property Id="MsiDisableLuaPatching" Value="1" />') } },
    { name: 'commented-out authoring', files: { 'Product.wxs': v4Package(`<!-- ${property('1')} -->`) } },
    {
      name: 'a fragment nothing links',
      files: { 'Product.wxs': v4Package(PATCH_CERTIFICATES), 'Unused.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n    ${property('1')}\n  </Fragment>\n</Wix>\n` },
    },
    {
      name: 'a branch of <?if?> the defined variables rule out',
      files: { 'Product.wxs': v4Package(`<?define Flavor = "Release" ?>\n<?if $(var.Flavor) = "Debug" ?>\n${property('1')}\n<?endif?>`) },
    },
    { name: 'a Secure property declared without a value', files: { 'Product.wxs': v4Package('<Property Id="MSIDISABLELUAPATCHING" Secure="yes" />') } },
    { name: 'the property only read in a launch condition', files: { 'Product.wxs': v3Product('<Condition Message="UAC patching is disabled.">NOT MSIDISABLELUAPATCHING</Condition>') } },
    {
      name: 'a bundle Variable of that name (never passed to the package)',
      files: {
        'Bundle.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Bundle Name="Suite" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6D">\n    <Variable Name="MSIDISABLELUAPATCHING" Value="1" />\n    <Chain>\n      <MsiPackage SourceFile="Tools.msi" />\n    </Chain>\n  </Bundle>\n</Wix>\n`,
      },
    },
  ],
  invalid: [
    {
      name: 'a Property with Value="1", removed by the fix without leaving a blank line',
      files: { 'Product.wxs': v4Package(`<MajorUpgrade />\n${property('1')}\n<MediaTemplate />`) },
      findings: [{ line: 4, message: /sets MSIDISABLELUAPATCHING to 1/ }],
      fix: { title: /Remove/, files: { 'Product.wxs': v4Package('<MajorUpgrade />\n<MediaTemplate />') } },
    },
    {
      name: 'the value as inner text (WiX v3)',
      files: { 'Product.wxs': v3Product('<Property Id="MSIDISABLELUAPATCHING">1</Property>') },
      findings: [{ line: 4 }],
    },
    {
      name: 'the value from a <?define?> in an included .wxi',
      files: {
        'Product.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <?include Settings.wxi ?>\n  <Package Name="A" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n    <Property Id="MSIDISABLELUAPATCHING" Value="$(var.NoUacPatching)" />\n  </Package>\n</Wix>\n`,
        'Settings.wxi': '<Include>\n  <?define NoUacPatching = "1" ?>\n</Include>\n',
      },
      findings: [{ line: 4 }],
    },
    {
      name: 'a Property inside an included .wxi is reported in the .wxi and removed there',
      files: {
        'Product.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Package Name="A" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6C">\n    <?include Properties.wxi ?>\n  </Package>\n</Wix>\n`,
        'Properties.wxi': `<Include>\r\n  <Property Id="ARPNOREPAIR" Value="1" />\r\n  ${property('1')}\r\n</Include>\r\n`,
      },
      findings: [{ file: 'Properties.wxi', line: 3 }],
      fix: { title: /Remove/, files: { 'Properties.wxi': '<Include>\r\n  <Property Id="ARPNOREPAIR" Value="1" />\r\n</Include>\r\n' } },
    },
    {
      name: 'a SetProperty',
      files: { 'Product.wxs': v4Package('<SetProperty Id="MSIDISABLELUAPATCHING" Value="1" After="CostFinalize" Sequence="execute" />') },
      findings: [{ line: 3, message: /SetProperty/ }],
      fix: { title: /Remove/, files: { 'Product.wxs': v4Package('') } },
    },
    {
      name: 'a type-51 custom action, removed with its scheduling',
      files: {
        'Product.wxs': v4Package(
          '<CustomAction Id="NoLua" Property="MSIDISABLELUAPATCHING" Value="1" />\n<InstallExecuteSequence>\n  <Custom Action="NoLua" Before="InstallInitialize" />\n  <RemoveExistingProducts After="InstallValidate" />\n</InstallExecuteSequence>',
        ),
      },
      findings: [{ line: 3, message: /type 51/ }],
      fix: {
        title: /Remove custom action NoLua and its scheduling/,
        files: { 'Product.wxs': v4Package('<InstallExecuteSequence>\n  <RemoveExistingProducts After="InstallValidate" />\n</InstallExecuteSequence>') },
      },
    },
    {
      name: 'a fragment linked through PropertyRef',
      files: {
        'Product.wxs': v4Package('<PropertyRef Id="MSIDISABLELUAPATCHING" />'),
        'Properties.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Fragment>\n    ${property('1')}\n  </Fragment>\n</Wix>\n`,
      },
      findings: [{ file: 'Properties.wxs', line: 3 }],
    },
    {
      name: 'a Burn MsiProperty',
      files: {
        'Bundle.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Bundle Name="Suite" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6D">\n    <Chain>\n      <MsiPackage Id="Tools" SourceFile="Tools.msi">\n        <MsiProperty Name="MSIDISABLELUAPATCHING" Value="1" />\n      </MsiPackage>\n    </Chain>\n  </Bundle>\n</Wix>\n`,
      },
      findings: [{ line: 5, message: /MsiPackage "Tools"/ }],
      fix: { title: /Remove/, files: { 'Bundle.wxs': `<Wix xmlns="http://wixtoolset.org/schemas/v4/wxs">\n  <Bundle Name="Suite" Version="1.0.0" Manufacturer="M" UpgradeCode="6F5D2B1C-3A47-4E2B-9C51-0D3E1F2A4B6D">\n    <Chain>\n      <MsiPackage Id="Tools" SourceFile="Tools.msi">\n      </MsiPackage>\n    </Chain>\n  </Bundle>\n</Wix>\n` } },
    },
    {
      name: 'a value other than 1 is information',
      files: { 'Product.wxs': v4Package(property('0')) },
      findings: [{ line: 3, severity: 'information', message: /Only 1 disables/ }],
    },
    {
      name: 'a value from an undefined variable is information',
      files: { 'Product.wxs': v4Package(property('$(var.NoLua)')) },
      findings: [{ line: 3, severity: 'information', message: /\$\(var\.NoLua\)/ }],
    },
    {
      name: 'inside an <?if?> the defined variables decide true: no condition in the message',
      files: { 'Product.wxs': v4Package(`<?define Flavor = "Locked" ?>\n<?if $(var.Flavor) ~= "locked" ?>\n${property('1')}\n<?endif?>`) },
      findings: [{ line: 5, message: /sets MSIDISABLELUAPATCHING to 1: Windows Installer/ }],
    },
    {
      name: 'a type-51 custom action scheduled in both sequences, removed everywhere (CRLF, tabs)',
      files: {
        'Product.wxs': '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n\t<Product Id="*" Name="A" Language="1033" Version="1.0.0.0" Manufacturer="M" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">\r\n\t\t<Package InstallerVersion="500" InstallScope="perMachine" />\r\n\t\t<CustomAction Id="NoLua" Property="MSIDISABLELUAPATCHING" Value="1" />\r\n\t\t<InstallUISequence>\r\n\t\t\t<Custom Action="NoLua" After="CostFinalize" />\r\n\t\t</InstallUISequence>\r\n\t\t<InstallExecuteSequence>\r\n\t\t\t<Custom Action="NoLua" After="CostFinalize">NOT Installed</Custom>\r\n\t\t</InstallExecuteSequence>\r\n\t</Product>\r\n</Wix>\r\n',
      },
      findings: [{ line: 4, message: /Custom action "NoLua" \(type 51\)/ }],
      fix: {
        title: /Remove custom action NoLua and its scheduling/,
        files: {
          'Product.wxs': '<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n\t<Product Id="*" Name="A" Language="1033" Version="1.0.0.0" Manufacturer="M" UpgradeCode="{9A8B7C6D-5E4F-4A3B-2C1D-0E9F8A7B6C5D}">\r\n\t\t<Package InstallerVersion="500" InstallScope="perMachine" />\r\n\t\t<InstallUISequence>\r\n\t\t</InstallUISequence>\r\n\t\t<InstallExecuteSequence>\r\n\t\t</InstallExecuteSequence>\r\n\t</Product>\r\n</Wix>\r\n',
        },
      },
    },
    {
      name: 'a UTF-16 source with a Property in a fragment linked through ComponentGroupRef (WiX v3)',
      files: {
        'Product.wxs': v3Product('<Feature Id="Main" Level="1">\n  <ComponentGroupRef Id="Core" />\n</Feature>'),
        'Core.wxs': Buffer.from(`\uFEFF<?xml version="1.0" encoding="utf-16"?>\r\n<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">\r\n  <Fragment>\r\n    <ComponentGroup Id="Core" />\r\n    ${property('1')}\r\n  </Fragment>\r\n</Wix>\r\n`, 'utf16le'),
      },
      findings: [{ file: 'Core.wxs', line: 5 }],
    },
    {
      name: 'inside an <?ifdef?> that cannot be decided, with the condition named',
      files: { 'Product.wxs': v4Package(`<?ifdef Debug ?>\n${property('1')}\n<?endif?>`) },
      findings: [{ line: 4, message: /only when <\?ifdef Debug\?>/ }],
    },
  ],
});

// Built packages and .idt folders.
const PROPERTIES = idtText('Property.idt');

ruleTester('lua-patching-disabled', {
  valid: [
    { name: 'a package without the property', files: packages('product-trusting.msi') },
    { name: 'an .idt Property table without it', files: idtFolder('db') },
    { name: 'an .idt row with the lower-case name (property names are case-sensitive)', files: idtFolder('db', { 'Property.idt': `${PROPERTIES}MsiDisableLuaPatching\t1\r\n` }) },
  ],
  invalid: [
    { name: 'a built package whose Property table sets it to 1', files: packages('product-lua-disabled.msi'), findings: [{ line: 1, message: /^The Property table sets MSIDISABLELUAPATCHING to 1/ }] },
    {
      name: 'an .idt Property row, removed by the fix',
      files: idtFolder('db', { 'Property.idt': `${PROPERTIES}MSIDISABLELUAPATCHING\t1\r\n` }),
      findings: [{ file: 'db/Property.idt', line: 11, message: /Property\.idt:11\) sets MSIDISABLELUAPATCHING to 1/ }],
      fix: { title: /Remove the MSIDISABLELUAPATCHING row/, files: { 'db/Property.idt': PROPERTIES } },
    },
    {
      name: 'an .idt row with another value (information)',
      files: idtFolder('db', { 'Property.idt': `${PROPERTIES}MSIDISABLELUAPATCHING\t0\r\n` }),
      findings: [{ file: 'db/Property.idt', line: 11, severity: 'information', message: /to "0"\. Only 1 disables/ }],
    },
    {
      name: 'a type-51 custom action row: the fix removes it and the sequence row that schedules it',
      files: idtFolder('db', {
        'CustomAction.idt': `${idtText('CustomAction.idt')}DisableLua\t51\tMSIDISABLELUAPATCHING\t1\t\r\n`,
        'InstallExecuteSequence.idt': `${idtText('InstallExecuteSequence.idt')}DisableLua\t\t1001\r\n`,
      }),
      findings: [{ file: 'db/CustomAction.idt', line: 4, message: /Custom action "DisableLua" \(type 51, CustomAction\.idt:4\) sets MSIDISABLELUAPATCHING to 1/ }],
      fix: { title: /Remove custom action DisableLua and its scheduling/, files: { 'db/CustomAction.idt': idtText('CustomAction.idt'), 'db/InstallExecuteSequence.idt': idtText('InstallExecuteSequence.idt') } },
    },
  ],
});
