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
    ["Linux falls back to 'basic_text' (a fixed key: plain text in effect)", { backend: 'basic_text' }],
    ["Linux selected no keyring ('unknown')", { backend: 'unknown' }],
  ])('refuses to save when %s, says it cannot remember, and writes nothing', async (_title, options) => {
    const safeStorage = fakeSafeStorage(options);
    const store = createCredentialStore({ safeStorage, filePath, platform: 'linux' });
    expect(await store.canRemember()).toBe(false);
    await expect(store.save(CREDENTIALS)).rejects.toThrow(/no secure storage/);
    expect(safeStorage.encryptStringAsync).not.toHaveBeenCalled();
    expect(existsSync(filePath)).toBe(false);
  });

  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('remembers on Linux with the %s keyring', async (backend) => {
    const store = createCredentialStore({ safeStorage: fakeSafeStorage({ backend }), filePath, platform: 'linux' });
    expect(await store.canRemember()).toBe(true);
    await store.save(CREDENTIALS);
    expect(await store.load()).toEqual(CREDENTIALS);
  });

  it('remembers on macOS and Windows, where safeStorage has no Linux backend to ask', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const store = createCredentialStore({ safeStorage: fakeSafeStorage({ backend: 'unknown' }), filePath, platform });
      expect(await store.canRemember()).toBe(true);
    }
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
