// Which .wxs files are compiled together. A .wixproj says so (SDK-style projects compile every
// .wxs below their folder unless told otherwise); without one, the .wxs files of the analysed
// folder tree form one unit, which is what `wix build *.wxs` would link.

import * as l10n from '@vscode/l10n';
import * as path from 'path';
import picomatch from 'picomatch';
import { CERTIFICATE_EXTENSIONS } from '../certificates';
import type { FileSystem } from '../fs';
import { globMatcher, quotedGlob, unsafeGlob } from '../glob';
import { PACKAGE_EXTENSIONS } from '../package/database';
import { relativeWithSlashes, isInside, toHostPath } from '../paths';
import { attr, childElements, innerText, type XmlElement } from '../xml/parser';
import type { SourceCache } from './source';

export interface WixProject {
  path: string;
  folder: string;
  sdkStyle: boolean;
  /** Package (default), Patch, Bundle, Module or Library. */
  outputType: string;
  outputName: string;
  defines: Map<string, string>;
  includeSearchPaths: string[];
  platform?: string;
  compileFiles: string[];
  projectReferences: string[];
  /** What the project asks that wix-uac does not do, for a notice on the project file. */
  problems: string[];
}

export interface CompilationUnit {
  /** The project file, or the folder whose loose sources form the unit. */
  id: string;
  project?: WixProject;
  sources: string[];
}

export interface WorkspaceFiles {
  sources: string[];
  includes: string[];
  projects: string[];
  certificates: string[];
  /** Built packages, patches and transforms (.msi, .msp, .mst). */
  packages: string[];
  /** Table files; each folder of them is one database. */
  idtFiles: string[];
  /** Files that may be publishing manifests: every .sdp, and .xml files (their root decides). */
  manifestCandidates: string[];
  /** Every file seen, for configuration and dependency tracking. */
  all: string[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Walks the roots (files or folders), skipping node_modules and .git only. Symlink loops end. */
export function collectFiles(fs: FileSystem, roots: string[]): WorkspaceFiles {
  const files: WorkspaceFiles = { sources: [], includes: [], projects: [], certificates: [], packages: [], idtFiles: [], manifestCandidates: [], all: [] };
  const seen = new Set<string>();
  const visitedFolders = new Set<string>();
  const add = (filePath: string): void => {
    if (seen.has(filePath)) return;
    seen.add(filePath);
    files.all.push(filePath);
    const extension = path.extname(filePath).toLowerCase();
    if (extension === '.wxs') files.sources.push(filePath);
    else if (extension === '.wxi') files.includes.push(filePath);
    else if (extension === '.wixproj') files.projects.push(filePath);
    else if (CERTIFICATE_EXTENSIONS.includes(extension)) files.certificates.push(filePath);
    else if (PACKAGE_EXTENSIONS.includes(extension)) files.packages.push(filePath);
    else if (extension === '.idt') files.idtFiles.push(filePath);
    else if (extension === '.sdp' || extension === '.xml') files.manifestCandidates.push(filePath);
  };
  const walk = (folder: string, depth: number): void => {
    const key = fs.realPath ? fs.realPath(folder) : folder;
    if (key === undefined || visitedFolders.has(key) || depth > 64) return;
    visitedFolders.add(key);
    for (const entry of fs.readDirectory(folder)) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(child, depth + 1);
      } else if (entry.isFile) add(child);
    }
  };
  for (const root of roots) {
    if (fs.isDirectory(root)) walk(root, 0);
    else if (fs.exists(root)) add(root);
  }
  for (const list of [files.sources, files.includes, files.projects, files.certificates, files.packages, files.idtFiles, files.manifestCandidates, files.all]) list.sort();
  return files;
}

export function readProject(projectPath: string, fs: FileSystem, sources: SourceCache): WixProject | undefined {
  const source = sources.get(projectPath);
  const root = source?.xml.root;
  if (!root || root.localName !== 'Project') return undefined;
  const folder = path.dirname(projectPath);
  const sdkAttribute = attr(root, 'Sdk')?.value ?? '';
  const sdkStyle = /wix/i.test(sdkAttribute) || everyElement(root).some((element) => (element.localName === 'Sdk' || element.localName === 'Import') && /wix/i.test(attr(element, 'Sdk')?.value ?? attr(element, 'Name')?.value ?? ''));
  const properties = unconditionalProperties(root);
  const reserved = reservedProperties(projectPath);
  // The WiX targets pass these to the compiler as $(var.ProjectDir) and so on.
  const defines = new Map<string, string>(['ProjectDir', 'ProjectExt', 'ProjectFileName', 'ProjectName', 'ProjectPath'].map((name) => [name, reserved.get(name.toLowerCase())!]));
  for (const definition of (properties.get('DefineConstants') ?? '').split(';')) {
    const trimmed = definition.trim();
    if (!trimmed) continue;
    const equals = trimmed.indexOf('=');
    const name = (equals < 0 ? trimmed : trimmed.slice(0, equals)).trim();
    const value = equals < 0 ? '' : evaluateProperties(trimmed.slice(equals + 1).trim(), reserved, properties);
    // A value that needs the build (Configuration, OutDir, …) is left undefined, hence undecided.
    if (name.includes('$(') || value === undefined) defines.delete(name);
    else defines.set(name, value);
  }
  const includeSearchPaths = (properties.get('IncludeSearchPaths') ?? '')
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry && !entry.includes('$('))
    .map((entry) => path.resolve(folder, toHostPath(entry)));
  const items = everyElement(root).filter((element) => element.localName === 'Compile');
  const includes = items.map((item) => attr(item, 'Include')?.value).filter(isText);
  const removes = items.map((item) => attr(item, 'Remove')?.value).filter(isText);
  const defaultItems = sdkStyle && (properties.get('EnableDefaultCompileItems') ?? 'true').toLowerCase() !== 'false';
  const patterns = [...(defaultItems ? ['**/*.wxs'] : []), ...includes.flatMap(splitItems)];
  const excluded = [...(defaultItems ? ['bin/**', 'obj/**'] : []), ...removes.flatMap(splitItems)];
  const problems: string[] = [];
  const compileFiles = expandItems(fs, folder, patterns, excluded, problems);
  const projectReferences = everyElement(root)
    .filter((element) => element.localName === 'ProjectReference')
    .map((element) => attr(element, 'Include')?.value)
    .filter(isText)
    .map((include) => path.resolve(folder, toHostPath(include)));
  return {
    path: projectPath,
    folder,
    sdkStyle,
    outputType: properties.get('OutputType') ?? 'Package',
    outputName: properties.get('OutputName') ?? path.basename(projectPath, path.extname(projectPath)),
    defines,
    includeSearchPaths,
    platform: properties.get('Platform') ?? properties.get('InstallerPlatform'),
    compileFiles,
    projectReferences,
    problems,
  };
}

/**
 * The ProjectReference a `$(var.<Name>.<Property>)` reference of a WiX source names: the WiX build
 * defines TargetPath, TargetDir, TargetName… of each referenced project under its file name.
 */
export function referencedProject(reference: string, project: WixProject): { path: string; property: string } | undefined {
  const match = /^\$\(var\.(.+)\.(\w+)\)$/.exec(reference);
  if (!match) return undefined;
  const referencePath = project.projectReferences.find((candidate) => path.basename(candidate, path.extname(candidate)) === match[1]);
  return referencePath ? { path: referencePath, property: match[2] } : undefined;
}

/** MSBuild properties every project has, known without running the build; keys in lower case. */
function reservedProperties(projectPath: string): Map<string, string> {
  const folder = path.dirname(projectPath);
  const fileName = path.basename(projectPath);
  const extension = path.extname(projectPath);
  const name = path.basename(projectPath, extension);
  return new Map([
    ['msbuildprojectdirectory', folder],
    ['msbuildthisfiledirectory', folder + path.sep],
    ['projectdir', folder + path.sep],
    ['msbuildprojectname', name],
    ['projectname', name],
    ['msbuildprojectfile', fileName],
    ['projectfilename', fileName],
    ['msbuildprojectextension', extension],
    ['projectext', extension],
    ['msbuildprojectfullpath', projectPath],
    ['projectpath', projectPath],
  ]);
}

/** Replaces $(Property) references; undefined when one cannot be known here. Names are case-insensitive in MSBuild. */
function evaluateProperties(value: string, reserved: Map<string, string>, properties: Map<string, string>): string | undefined {
  let unknown = false;
  const evaluated = value.replace(/\$\(([A-Za-z_][\w.-]*)\)/g, (whole, name: string) => {
    const lower = name.toLowerCase();
    const own = [...properties].find(([key]) => key.toLowerCase() === lower)?.[1];
    const known = reserved.get(lower) ?? (own !== undefined && !own.includes('$(') ? own : undefined);
    if (known === undefined) unknown = true;
    return known ?? whole;
  });
  return unknown || evaluated.includes('$(') ? undefined : evaluated;
}

function isText(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function splitItems(value: string): string[] {
  return value.split(';').map((item) => item.trim()).filter((item) => item && !item.includes('$('));
}

/** In document order; with a stack rather than recursion, as a project can nest deeper than the call stack. */
function everyElement(root: XmlElement): XmlElement[] {
  const all: XmlElement[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const element = stack.pop()!;
    all.push(element);
    const children = childElements(element);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return all;
}

/** Properties set outside any Condition (per-configuration values cannot be known here). */
function unconditionalProperties(root: XmlElement): Map<string, string> {
  const properties = new Map<string, string>();
  for (const group of childElements(root)) {
    if (group.localName !== 'PropertyGroup' || attr(group, 'Condition')) continue;
    for (const property of childElements(group)) {
      if (attr(property, 'Condition')) continue;
      const previous = properties.get(property.localName) ?? '';
      // $(Name) refers to the earlier value of the same property (DefineConstants accumulate).
      properties.set(property.localName, innerText(property).trim().replace(new RegExp(`\\$\\(${property.localName}\\)`, 'g'), previous));
    }
  }
  return properties;
}

/** MSBuild item patterns (relative, `\` or `/`, `*` and `**`) against the files below the project folder. */
function expandItems(fs: FileSystem, folder: string, patterns: string[], excluded: string[], problems: string[]): string[] {
  if (patterns.length === 0) return [];
  const normalize = (pattern: string): string => pattern.replace(/\\/g, '/');
  for (const pattern of [...patterns, ...excluded]) {
    const unsafe = unsafeGlob(pattern);
    if (unsafe) problems.push(l10n.t('Compile pattern "{0}" is left out: {1}.', quotedGlob(pattern), unsafe));
  }
  const isExcluded = globMatcher(excluded.map(normalize), { nocase: true, dot: true });
  const result = new Set<string>();
  const wildcardPatterns: string[] = [];
  for (const pattern of patterns.map(normalize)) {
    if (/[*?]/.test(pattern)) wildcardPatterns.push(pattern);
    else {
      const full = path.resolve(folder, toHostPath(pattern));
      const relative = relativeWithSlashes(folder, full);
      if (fs.exists(full) && !isExcluded(relative)) result.add(full);
    }
  }
  if (wildcardPatterns.length > 0) {
    // Patterns may reach outside the folder (..\Shared\*.wxs): walk from their common base.
    for (const pattern of wildcardPatterns) {
      if (unsafeGlob(pattern)) continue;
      const { base, glob } = picomatch.scan(pattern);
      // `C:` alone is the current folder of drive C; as a pattern's base it is the drive.
      const baseFolder = path.resolve(folder, toHostPath(/^[A-Za-z]:$/.test(base) ? `${base}/` : base));
      // A walk of the whole disk (`\**\*.wxs`, or enough `..`) takes minutes on every analysis.
      if (path.parse(baseFolder).root === baseFolder) {
        problems.push(l10n.t('Compile Include="{0}" would enumerate every file of {1}; MSBuild warns of such wildcards too (MSB5029), and wix-uac leaves them out.', pattern, baseFolder));
        continue;
      }
      const matches = globMatcher(glob, { nocase: true, dot: true });
      for (const file of collectFiles(fs, [baseFolder]).sources) {
        const relativeToBase = relativeWithSlashes(baseFolder, file);
        const relativeToProject = relativeWithSlashes(folder, file);
        if (matches(relativeToBase) && !isExcluded(relativeToProject)) result.add(file);
      }
    }
  }
  return [...result].sort();
}

/** Groups the sources into the units the WiX compiler would link. */
export function compilationUnits(fs: FileSystem, files: WorkspaceFiles, sources: SourceCache, roots: string[]): CompilationUnit[] {
  const projects = new Map<string, WixProject>();
  const load = (projectPath: string): WixProject | undefined => {
    if (!projects.has(projectPath)) {
      const project = readProject(projectPath, fs, sources);
      if (project) projects.set(projectPath, project);
    }
    return projects.get(projectPath);
  };
  // A source given on its own still belongs to the project that compiles it.
  for (const source of files.sources) {
    if (files.projects.some((projectPath) => isInside(path.dirname(projectPath), source))) continue;
    for (const projectPath of projectsAbove(fs, source, roots)) if (!files.projects.includes(projectPath)) files.projects.push(projectPath);
  }
  const units: CompilationUnit[] = [];
  const claimed = new Set<string>();
  for (const projectPath of files.projects) {
    const project = load(projectPath);
    if (!project) continue;
    const unitSources = new Set(project.compileFiles);
    for (const reference of project.projectReferences) {
      const library = load(reference);
      if (library && library.outputType.toLowerCase() === 'library') for (const file of library.compileFiles) unitSources.add(file);
    }
    for (const file of project.compileFiles) claimed.add(file);
    units.push({ id: projectPath, project, sources: [...unitSources].sort() });
  }
  // A source below a project's folder that the project does not compile (bin/, obj/, a
  // <Compile Remove>, a file a WiX v3 project does not list) is not built at all.
  const projectFolders = [...projects.values()].map((project) => project.folder);
  const loose = files.sources.filter((source) => !claimed.has(source) && !projectFolders.some((folder) => isInside(folder, source)));
  if (loose.length > 0) units.push({ id: roots.join(path.delimiter), sources: loose });
  return units;
}

/** .wixproj files in the folders above a source (up to three levels), for a file analysed on its own. */
function projectsAbove(fs: FileSystem, source: string, roots: string[]): string[] {
  if (!roots.includes(source)) return [];
  let folder = path.dirname(source);
  for (let level = 0; level < 3; level++) {
    const found = fs.readDirectory(folder).filter((entry) => entry.isFile && entry.name.toLowerCase().endsWith('.wixproj'));
    if (found.length > 0) return found.map((entry) => path.join(folder, entry.name));
    const parent = path.dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return [];
}
