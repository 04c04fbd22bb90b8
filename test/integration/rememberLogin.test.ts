import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../electron/app/createCore';
import { createAddressMemory } from '../../electron/store/addressMemory';
import { startTestProsody, type LocalProsody } from '../support/prosody';

describe('session.login with remember (real Prosody)', () => {
  let server: LocalProsody;
  beforeAll(async () => { server = await startTestProsody({ accounts: [['alice', 'alice-pw']] }); });
  afterAll(async () => { await server?.stop(); });

  it('stays logged in when the password cannot be remembered, and logs why', async () => {
    const lines: string[] = [];
    const credentials = {
      load: async () => null,
      save: async () => { throw new Error('This system offers no secure storage, so Ferry cannot remember the password.'); },
      clear: async () => undefined,
    };
    const core = createCore({ downloadDir: '/nonexistent', credentials, log: (line) => lines.push(line), session: { loginTimeoutMs: 10_000 } });
    try {
      const snapshot = await core.handlers['session.login']({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, remember: true });
      expect(snapshot.state).toBe('online');
      expect((await core.handlers['session.get']()).state).toBe('online');
      expect(lines.some((line) => line.includes('could not be remembered') && line.includes('no secure storage'))).toBe(true);
    } finally {
      await core.dispose();
    }
  });

  it('the web host keeps the address, never the password, and forgets it on remember: false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-address-'));
    const memory = createAddressMemory(join(dir, 'web-login.json'));
    const core = createCore({ downloadDir: '/nonexistent', credentials: memory, session: { loginTimeoutMs: 10_000 } });
    try {
      await core.handlers['session.login']({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, allowPlaintext: true, remember: true });
      expect(await memory.address()).toEqual({ jid: 'alice@localhost', service: server.service, allowPlaintext: true });
      expect(readFileSync(join(dir, 'web-login.json'), 'utf8')).not.toContain('alice-pw');
      await expect(core.handlers['session.loginRemembered']()).rejects.toMatchObject({ code: 'not-found' });
      await core.handlers['session.logout']();
      await core.handlers['session.login']({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, remember: false });
      expect(await memory.address()).toBeNull();
    } finally {
      await core.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
