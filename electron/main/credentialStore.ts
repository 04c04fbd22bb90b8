/**
 * Remembered credentials for the Electron host, encrypted with safeStorage's async API and written to
 * one file in userData. Nothing is ever stored in plain text: when the OS offers no real encryption
 * (unavailable, or Linux's 'basic_text' fallback with a fixed key), saving is refused.
 */
import type { SafeStorage } from 'electron';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../../shared/ipc/wireError';
import type { CredentialStore } from '../app/core';

export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>
  & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

type Credentials = NonNullable<Awaited<ReturnType<CredentialStore['load']>>>;

function parseCredentials(text: string): Credentials | null {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value.jid !== 'string' || typeof value.password !== 'string') return null;
    const credentials: Credentials = { jid: value.jid, password: value.password };
    if (typeof value.service === 'string') credentials.service = value.service;
    if (typeof value.allowPlaintext === 'boolean') credentials.allowPlaintext = value.allowPlaintext;
    return credentials;
  } catch {
    return null;
  }
}

async function isEncryptionReal(safeStorage: SafeStorageLike): Promise<boolean> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
  return safeStorage.getSelectedStorageBackend?.() !== 'basic_text';
}

/** A CredentialStore over safeStorage, kept in filePath (e.g. `<userData>/credentials.bin`). */
export function createCredentialStore(options: { safeStorage: SafeStorageLike; filePath: string; log?: (line: string) => void }): CredentialStore {
  const { safeStorage, filePath } = options;
  const log = options.log ?? (() => undefined);

  async function save(credentials: Credentials): Promise<void> {
    if (!(await isEncryptionReal(safeStorage))) {
      throw new FerryError('internal', 'This system offers no secure storage, so Ferry cannot remember the password.');
    }
    const blob = await safeStorage.encryptStringAsync(JSON.stringify(credentials));
    await mkdir(dirname(filePath), { recursive: true });
    const temporary = `${filePath}.tmp`;
    await writeFile(temporary, blob, { mode: 0o600 });
    await rename(temporary, filePath);
  }

  async function load(): Promise<Credentials | null> {
    let blob: Buffer;
    try {
      blob = await readFile(filePath);
    } catch {
      return null;
    }
    try {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(blob);
      const credentials = parseCredentials(result);
      if (credentials && shouldReEncrypt) await save(credentials).catch(() => undefined);
      return credentials;
    } catch (error) {
      log(`remembered credentials could not be decrypted: ${String(error)}`);
      return null;
    }
  }

  return { save, load, clear: () => rm(filePath, { force: true }) };
}
