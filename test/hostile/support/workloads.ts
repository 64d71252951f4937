// What the hostile-input tests run in a fresh process (./measure.ts): the engine as the CLI and
// the language server use it, on a real folder, answering with what a user would see.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfinedFileSystem, Engine, NodeFileSystem, OverlayFileSystem, type AnalysisResult, type FileSystem } from '../../../server/src/engine';

/** The day the tests see (the Contoso certificate is valid then), as in test/support/rule-tester.ts. */
const TODAY = new Date('2026-06-01T00:00:00Z');

export interface Shown {
  findings: { ruleId: string; file: string; line: number; character: number; message: string }[];
  notices: { file: string; line?: number; message: string }[];
  files: string[];
  lenses: { file: string; line: number; title: string }[];
  /** The hover text at each asked position, or null where there is none. */
  hovers: (string | null)[];
  /** The error or the table names of each asked inspection. */
  inspections: ({ error: string } | { tables: string[] } | null)[];
}

export interface AnalyzeArgs {
  roots: string[];
  /** Restricted Mode: roots are the open files, given to the engine as editor buffers. */
  restricted?: { workspace: string };
  hovers?: { file: string; line: number; character: number }[];
  inspect?: string[];
}

function show(result: AnalysisResult, args: AnalyzeArgs): Shown {
  return {
    findings: result.findings.map((finding) => ({ ruleId: finding.ruleId, file: finding.file, line: finding.range.start.line, character: finding.range.start.character, message: finding.message })),
    notices: result.notices.map((notice) => ({ file: notice.file, line: notice.range?.start.line, message: notice.message })),
    files: result.files,
    lenses: result.lenses.map((lens) => ({ file: lens.file, line: lens.range.start.line, title: lens.title })),
    hovers: (args.hovers ?? []).map(({ file, line, character }) => {
      const hover = result.hover(file, { line, character });
      return hover ? hover.contents : null;
    }),
    inspections: (args.inspect ?? []).map((file) => {
      const inspection = result.inspect(file);
      if (!inspection) return null;
      return inspection.error !== undefined ? { error: inspection.error } : { tables: inspection.tables.map((table) => table.name) };
    }),
  };
}

function engineFor(args: AnalyzeArgs): Engine {
  let files: FileSystem = new NodeFileSystem();
  if (args.restricted) {
    const overlay = new OverlayFileSystem(new ConfinedFileSystem([args.restricted.workspace]));
    for (const file of args.roots) overlay.setBuffer(file, fs.readFileSync(file, 'utf8'), 1);
    files = overlay;
  }
  return new Engine(files, { now: () => TODAY });
}

export const workloads = {
  /** One analysis of the roots, as `wix-uac lint` runs it. */
  analyze(args: AnalyzeArgs): Shown {
    return show(engineFor(args).analyze({ roots: args.roots, restricted: args.restricted !== undefined }), args);
  },

  /** What the language server does on start: read every package with progress, then analyse. */
  async readPackagesThenAnalyze(args: AnalyzeArgs): Promise<Shown & { progress: string[] }> {
    const engine = engineFor(args);
    const progress: string[] = [];
    await engine.readPackages(args.roots, (done, total, file) => progress.push(`${done + 1}/${total} ${path.basename(file)}`));
    return { ...show(engine.analyze({ roots: args.roots }), args), progress };
  },
};

export type Workloads = typeof workloads;
