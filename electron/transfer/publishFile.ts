/** Gives a verified .part its final name in the download folder without overwriting anything. */
import { link, open, rename, unlink } from 'node:fs/promises';
import { numberedFileName } from './safeName';
import { childPath, errorCode, FileStoreError, MAX_NAME_ATTEMPTS } from './storePaths';

/**
 * The file-system calls that publish a finished file. A seam for tests: FAT/exFAT (no hard links;
 * Windows answers link() with EISDIR) cannot be mounted where the tests run.
 */
export interface PublishFs {
  link(existing: string, created: string): Promise<void>;
  unlink(path: string): Promise<void>;
  open(path: string, flags: 'wx'): Promise<{ close(): Promise<void> }>;
  rename(from: string, to: string): Promise<void>;
}

export const nodePublishFs: PublishFs = { link, unlink, open, rename };

/**
 * Gives the .part its final name without clobbering: link() fails with EEXIST when the name is taken,
 * atomically, and the .part is unlinked after. Any other link() error means "no hard links here"
 * (FAT/exFAT: EISDIR, EPERM, ENOTSUP, EXDEV …): then each name is first reserved with an exclusive
 * create ('wx') and the .part renamed over that reservation, so nothing is overwritten either way.
 * Once the link exists the file is published: a .part that cannot be unlinked is left behind, not a
 * failed transfer.
 */
export async function publish(dir: string, partPath: string, safeName: string, fs: PublishFs): Promise<string> {
  let canLink = true;
  for (let n = 0; n < MAX_NAME_ATTEMPTS; n += 1) {
    const path = childPath(dir, numberedFileName(safeName, n));
    if (canLink) {
      try {
        await fs.link(partPath, path);
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') {
          canLink = false;
          n -= 1;
        }
        continue;
      }
      await fs.unlink(partPath).catch(() => undefined);
      return path;
    }
    if (await reserveName(fs, path)) {
      try {
        await fs.rename(partPath, path);
      } catch (error) {
        await fs.unlink(path).catch(() => undefined);
        throw error;
      }
      return path;
    }
  }
  throw new FileStoreError('no-free-name', `no free name for ${safeName}`);
}

/** Creates path exclusively (an empty placeholder); false when the name is taken. */
async function reserveName(fs: PublishFs, path: string): Promise<boolean> {
  let placeholder: { close(): Promise<void> };
  try {
    placeholder = await fs.open(path, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  await placeholder.close();
  return true;
}
