/** Error type and path rules shared by the download-folder store (./fileStore.ts) and ./publishFile.ts. */
import { basename, dirname, resolve } from 'node:path';

/** How many "name (n).ext" alternatives to try before giving up. */
export const MAX_NAME_ATTEMPTS = 1000;

export type FileStoreErrorCode = 'outside-dir' | 'no-free-name' | 'size-mismatch' | 'hash-mismatch' | 'too-many-bytes' | 'not-a-file' | 'aborted';

/** A store failure with a machine-readable code for the attempt log. */
export class FileStoreError extends Error {
  constructor(readonly code: FileStoreErrorCode, message: string) {
    super(message);
    this.name = 'FileStoreError';
  }
}

/** The errno code of a failed fs call, if any. */
export function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** resolve(dir, name), refusing anything that is not a direct child of dir. */
export function childPath(dir: string, name: string): string {
  const root = resolve(dir);
  const path = resolve(root, name);
  if (dirname(path) !== root || basename(path) !== name) {
    throw new FileStoreError('outside-dir', `refusing a path outside the download folder: ${JSON.stringify(name)}`);
  }
  return path;
}
