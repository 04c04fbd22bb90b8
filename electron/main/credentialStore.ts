/**
 * Remembered credentials for the Electron host, encrypted with safeStorage's async API and written to
 * one file in userData. Nothing is ever stored in plain text: when the OS offers no real encryption
 * (unavailable, or on Linux a backend other than a known keyring: 'basic_text' with its fixed key, or
 * 'unknown'), saving is refused.
 */
import type { SafeStorage } from 'electron';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { FerryError } from '../../shared/ipc/wireError';
import type { CredentialStore } from '../app/core';

export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'>
  & Partial<Pick<SafeStorage, 'getSelectedStorageBackend'>>;

/** The credential store plus whether it can remember at all (for host.info). */
export interface ElectronCredentialStore extends CredentialStore {
  canRemember(): Promise<boolean>;
}

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

/** Linux keyring backends that really encrypt (Electron 45 safeStorage.getSelectedStorageBackend()). */
const LINUX_KEYRING_BACKENDS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * Whether safeStorage encrypts with a key the OS keeps. On Linux the backend must be a known keyring:
 * 'basic_text' is a fixed key (plain text in effect) and 'unknown' means no keyring was selected.
 */
async function isEncryptionReal(safeStorage: SafeStorageLike, platform: NodeJS.Platform): Promise<boolean> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend?.();
  return backend !== undefined && LINUX_KEYRING_BACKENDS.has(backend);
}

/** A CredentialStore over safeStorage, kept in filePath (e.g. `<userData>/credentials.bin`). */
export function createCredentialStore(options: {
  safeStorage: SafeStorageLike; filePath: string; log?: (line: string) => void; platform?: NodeJS.Platform;
}): ElectronCredentialStore {
  const { safeStorage, filePath } = options;
  const platform = options.platform ?? process.platform;
  const log = options.log ?? (() => undefined);

  async function save(credentials: Credentials): Promise<void> {
    if (!(await isEncryptionReal(safeStorage, platform))) {
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

  const canRemember = async () => {
    try {
      return await isEncryptionReal(safeStorage, platform);
    } catch {
      return false;
    }
  };
  return { save, load, clear: () => rm(filePath, { force: true }), canRemember };
}
