// Public entry of the engine for the adapters.
export * from './types';
export * from './api';
export { Engine, type EngineOptions } from './engine';
export { ConfinedFileSystem, NodeFileSystem, OverlayFileSystem, MemoryFileSystem, type FileSystem, type Refusal } from './fs';
export { allRules } from './rules';
export { isInside } from './paths';
export type { PackageInspection, InspectedTable, InspectedSignature, InspectedSigner } from './package/inspect';
