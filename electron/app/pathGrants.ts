/**
 * The host's allow-list of paths a renderer may name (DESIGN.md "Where files go"): the main process
 * never trusts a path because a renderer sent it. Folders come only from the folder picker or the
 * settings (the default download folder); files only from the file picker, a drop (the preload's
 * webUtils path) or the web host's upload staging. `file.open`/`file.reveal` accept only finished
 * incoming files and files the user picked.
 */
import { resolve } from 'node:path';
import { FerryError } from '../../shared/ipc/wireError';
import type { TransferSummary } from '../../shared/model/transfer';
import type { CoreHandlers } from './core';

/** Most paths remembered of each kind; the oldest grant goes first (a long session picks many files). */
export const MAX_GRANTS = 10_000;

export interface PathGrants {
  /** Files the user chose (picker, drop, staging): they may be sent and opened. */
  grantFiles(paths: readonly string[]): void;
  /** A folder the user chose (picker) or configured: incoming files may be saved there. */
  grantFolder(path: string): void;
  isFileGranted(path: string): boolean;
  isFolderGranted(path: string): boolean;
}

class BoundedSet {
  private readonly items = new Set<string>();
  add(item: string): void {
    this.items.delete(item);
    this.items.add(item);
    if (this.items.size > MAX_GRANTS) this.items.delete(this.items.values().next().value as string);
  }
  has(item: string): boolean {
    return this.items.has(item);
  }
}

/** An allow-list; `folders` are granted from the start (the settings' download folder). */
export function createPathGrants(options: { folders?: readonly string[] } = {}): PathGrants {
  const files = new BoundedSet();
  const folders = new BoundedSet();
  for (const folder of options.folders ?? []) folders.add(resolve(folder));
  return {
    grantFiles: (paths) => { for (const path of paths) files.add(resolve(path)); },
    grantFolder: (path) => folders.add(resolve(path)),
    isFileGranted: (path) => files.has(resolve(path)),
    isFolderGranted: (path) => folders.has(resolve(path)),
  };
}

function shortPath(path: string): string {
  return JSON.stringify(path.length > 120 ? `…${path.slice(-119)}` : path);
}

/**
 * The core's transfer.send and transfer.accept behind the allow-list: a path the user did not pick,
 * drop or stage, or a folder not picked or configured, is refused with `not-authorized` before the
 * core sees it. accept without a dir (the default download folder) is always allowed.
 */
export function guardTransferPaths(handlers: CoreHandlers, grants: PathGrants): CoreHandlers {
  return {
    ...handlers,
    'transfer.send': (args) => {
      const refused = args.paths.find((path) => !grants.isFileGranted(path));
      if (refused !== undefined) {
        throw new FerryError('not-authorized', `Ferry only sends files you picked, dropped or uploaded; ${shortPath(refused)} is none of these.`);
      }
      return handlers['transfer.send'](args);
    },
    'transfer.accept': (args) => {
      if (args.dir !== undefined && !grants.isFolderGranted(args.dir)) {
        throw new FerryError('not-authorized', `Ferry only saves into the download folder or a folder you picked; ${shortPath(args.dir)} is neither.`);
      }
      return handlers['transfer.accept'](args);
    },
    // The settings' download folder is where every later file goes: the same rule as an accept's folder,
    // except that the folder already configured may be kept.
    'settings.set': async (args) => {
      const folder = args.downloadDir;
      if (folder !== null && !grants.isFolderGranted(folder) && (await handlers['settings.get']()).downloadDir !== folder) {
        throw new FerryError('not-authorized', `Ferry only saves into the download folder or a folder you picked; ${shortPath(folder)} is neither.`);
      }
      return await handlers['settings.set'](args);
    },
  };
}

/** True for a file the user picked or dropped, or the final path of a finished incoming transfer. */
export function isOpenable(path: string, grants: PathGrants, transfers: readonly TransferSummary[]): boolean {
  if (grants.isFileGranted(path)) return true;
  const wanted = resolve(path);
  return transfers.some((transfer) => transfer.direction === 'incoming' && transfer.state === 'done'
    && transfer.path !== null && resolve(transfer.path) === wanted);
}
