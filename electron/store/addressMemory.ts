/**
 * The web host's "remember me": the account's address and connection options, never its password (a
 * browser page has no OS keyring to keep one in). One small JSON file in the host's data folder, written
 * atomically; a missing, unreadable or malformed file remembers nothing.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseJid } from '../../shared/model/jid';

export interface RememberedAddress {
  jid: string;
  service?: string;
  allowPlaintext?: boolean;
}

/** The core's credential store shape (app/core.ts CredentialStore), keeping the address only: load() never has a password. */
export interface AddressMemory {
  address(): Promise<RememberedAddress | null>;
  load(): Promise<null>;
  save(credentials: RememberedAddress & { password: string }): Promise<void>;
  clear(): Promise<void>;
}

/** The file's content, checked field by field: only a bare-or-full JID with a local part and short options. */
function parseAddress(text: string): RememberedAddress | null {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value.jid !== 'string' || value.jid.length > 3071 || !parseJid(value.jid)?.local) return null;
    const address: RememberedAddress = { jid: value.jid };
    if (typeof value.service === 'string' && value.service.length <= 1024) address.service = value.service;
    if (typeof value.allowPlaintext === 'boolean') address.allowPlaintext = value.allowPlaintext;
    return address;
  } catch {
    return null;
  }
}

export function createAddressMemory(filePath: string): AddressMemory {
  return {
    async address() {
      const text = await readFile(filePath, 'utf8').catch(() => null);
      return text === null ? null : parseAddress(text);
    },
    load: () => Promise.resolve(null),
    async save({ jid, service, allowPlaintext }) {
      const address: RememberedAddress = { jid, ...(service ? { service } : {}), ...(allowPlaintext ? { allowPlaintext } : {}) };
      await mkdir(dirname(filePath), { recursive: true, mode: 0o700 });
      const temporary = `${filePath}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(address), { mode: 0o600 });
      await rename(temporary, filePath);
    },
    async clear() {
      await rm(filePath, { force: true });
    },
  };
}
