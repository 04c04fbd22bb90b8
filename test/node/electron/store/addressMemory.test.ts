import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAddressMemory } from '../../../../electron/store/addressMemory';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ferry-address-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('the web host remembers the address, never the password', () => {
  it('keeps jid, service and the plaintext option; the password is not written anywhere', async () => {
    const memory = createAddressMemory(join(dir, 'sub', 'web-login.json'));
    await memory.save({ jid: 'alice@example.org', password: 'hunter2', service: 'xmpp://127.0.0.1:5222', allowPlaintext: true });
    expect(await memory.address()).toEqual({ jid: 'alice@example.org', service: 'xmpp://127.0.0.1:5222', allowPlaintext: true });
    const text = await readFile(join(dir, 'sub', 'web-login.json'), 'utf8');
    expect(text).not.toContain('hunter2');
    expect(await readdir(join(dir, 'sub'))).toEqual(['web-login.json']);
    expect(await memory.load()).toBeNull(); // nothing to log in with: the form is filled, the password asked
    await memory.clear();
    expect(await memory.address()).toBeNull();
  });

  it.each([
    ['not JSON', 'alice@example.org'],
    ['no local part', JSON.stringify({ jid: 'example.org' })],
    ['a number for a jid', JSON.stringify({ jid: 5 })],
  ])('remembers nothing from a file with %s, and drops wrong-typed options', async (_what, content) => {
    const path = join(dir, 'web-login.json');
    await writeFile(path, content);
    expect(await createAddressMemory(path).address()).toBeNull();
    await writeFile(path, JSON.stringify({ jid: 'bob@example.org', service: 7, allowPlaintext: 'yes' }));
    expect(await createAddressMemory(path).address()).toEqual({ jid: 'bob@example.org' });
  });

  it('remembers nothing when there is no file', async () => {
    expect(await createAddressMemory(join(dir, 'missing.json')).address()).toBeNull();
  });
});
