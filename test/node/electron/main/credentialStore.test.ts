import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCredentialStore, type SafeStorageLike } from '../../../../electron/main/credentialStore';

const KEY = 0x5a;
function fakeSafeStorage(options: { isAvailable?: boolean; backend?: string; shouldReEncrypt?: boolean } = {}) {
  const xor = (buffer: Buffer) => Buffer.from(buffer.map((byte) => byte ^ KEY));
  const storage = {
    isAsyncEncryptionAvailable: vi.fn(async () => options.isAvailable ?? true),
    encryptStringAsync: vi.fn(async (text: string) => Buffer.concat([Buffer.from('ENC1'), xor(Buffer.from(text))])),
    decryptStringAsync: vi.fn(async (blob: Buffer) => {
      if (blob.subarray(0, 4).toString() !== 'ENC1') throw new Error('bad blob');
      return { result: xor(blob.subarray(4)).toString(), shouldReEncrypt: options.shouldReEncrypt ?? false };
    }),
    getSelectedStorageBackend: vi.fn(() => options.backend ?? 'gnome_libsecret'),
  };
  return storage as typeof storage & SafeStorageLike;
}

let dir: string;
let filePath: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ferry-creds-'));
  filePath = join(dir, 'userData', 'credentials.bin');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CREDENTIALS = { jid: 'alice@example.org', password: 's3cret-pw', service: 'xmpps://example.org:5223', allowPlaintext: false };

describe('credential store over safeStorage', () => {
  it('round-trips credentials through an encrypted file that never holds the password in clear', async () => {
    const store = createCredentialStore({ safeStorage: fakeSafeStorage(), filePath });
    await store.save(CREDENTIALS);
    const raw = readFileSync(filePath);
    expect(raw.includes(Buffer.from('s3cret-pw'))).toBe(false);
    expect(raw.includes(Buffer.from('alice'))).toBe(false);
    expect(await store.load()).toEqual(CREDENTIALS);
  });

  it('answers null when nothing was saved, and after clear', async () => {
    const store = createCredentialStore({ safeStorage: fakeSafeStorage(), filePath });
    expect(await store.load()).toBeNull();
    await store.save(CREDENTIALS);
    await store.clear();
    await store.clear();
    expect(await store.load()).toBeNull();
    expect(existsSync(filePath)).toBe(false);
  });

  it.each([
    ['encryption is unavailable', { isAvailable: false }],
    ["Linux falls back to 'basic_text'", { backend: 'basic_text' }],
  ])('refuses to save when %s, and writes nothing', async (_title, options) => {
    const safeStorage = fakeSafeStorage(options);
    const store = createCredentialStore({ safeStorage, filePath });
    await expect(store.save(CREDENTIALS)).rejects.toThrow(/no secure storage/);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(existsSync(filePath)).toBe(false);
  });

  it('answers null for a file it cannot decrypt or parse', async () => {
    const log = vi.fn();
    const store = createCredentialStore({ safeStorage: fakeSafeStorage(), filePath, log });
    await store.save(CREDENTIALS);
    writeFileSync(filePath, 'garbage');
    expect(await store.load()).toBeNull();
    expect(log).toHaveBeenCalled();
  });

  it('re-encrypts when safeStorage asks for it', async () => {
    const safeStorage = fakeSafeStorage({ shouldReEncrypt: true });
    const store = createCredentialStore({ safeStorage, filePath });
    await store.save(CREDENTIALS);
    expect(await store.load()).toEqual(CREDENTIALS);
    expect(safeStorage.encryptStringAsync).toHaveBeenCalledTimes(2);
  });
});
