/**
 * sharp (libvips) is a native module: it is kept out of the bundles (vite.node.config.ts,
 * vite.electron.config.ts mark it external), shipped in the packaged app's node_modules with its native
 * files unpacked from the asar (build/electron-builder.json), and loaded here on first use, so the CLI,
 * the web host and the Electron main start without it until a thumbnail is made.
 */
import type SharpModule from 'sharp';

/** The sharp constructor and its statics (the package's `export =`). */
export type Sharp = typeof SharpModule;

/** Outcome of loading sharp: a missing or broken native module is an answer, not a crash. */
export type LoadedSharp = { ok: true; sharp: Sharp } | { ok: false; reason: string };

/** Loads sharp on first call (Node's module cache makes later calls cheap). */
export async function loadSharp(): Promise<LoadedSharp> {
  try {
    const loaded = (await import('sharp')) as { default?: Sharp } & Partial<Sharp>;
    const sharp = loaded.default ?? (loaded as Sharp);
    return typeof sharp === 'function' ? { ok: true, sharp } : { ok: false, reason: 'sharp has no callable export' };
  } catch (error) {
    return { ok: false, reason: `sharp could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
