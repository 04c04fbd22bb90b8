import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { client, xml } from '@xmpp/client';
import { isEjabberdInstalled, startTestEjabberd, type LocalEjabberd } from '../support/ejabberd';
import { countInboundFromEnabled, type CountingClient } from '../../electron/xmpp/smInboundCounter';

/** PIDs of processes whose command line names this node (its beam.smp and ejabberdctl's shell). */
function processesOf(node: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', node], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

describe.runIf(isEjabberdInstalled() || process.env.CI)('private ejabberd harness (scripts/lib/localEjabberd.mjs)', () => {
  let server: LocalEjabberd;
  beforeAll(async () => {
    server = await startTestEjabberd({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']] });
  }, 60_000);
  afterAll(async () => { await server?.stop(); }, 30_000);

  it('serves STARTTLS with a certificate the test CA signs, the seeded mutual roster, a proxy65 streamhost on 127.0.0.1 and HTTP upload', async () => {
    const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', resource: 'h', username: 'alice', password: 'alice-pw' });
    countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
    xmpp.reconnect.stop();
    xmpp.on('error', () => {});
    await xmpp.start();
    expect(xmpp.isSecure()).toBe(true);
    const roster = await xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    const item = roster.getChild('query')?.getChild('item');
    expect(item?.attrs).toMatchObject({ jid: 'bob@localhost', subscription: 'both' });
    const address = await xmpp.iqCaller.request(xml('iq', { type: 'get', to: server.proxyJid }, xml('query', { xmlns: 'http://jabber.org/protocol/bytestreams' })));
    const streamhost = address.getChild('query')?.getChild('streamhost');
    expect(streamhost?.attrs).toMatchObject({ host: '127.0.0.1', port: String(server.ports.proxy65) });
    expect(streamhost?.attrs.jid).toMatch(/^proxy\.localhost\/.+/u); // ejabberd names its proxy with a resource
    // mod_http_upload (XEP-0363 §4): a slot whose PUT URL is on the loopback listener, and the file comes back.
    const slot = await xmpp.iqCaller.request(xml('iq', { type: 'get', to: server.uploadJid },
      xml('request', { xmlns: 'urn:xmpp:http:upload:0', filename: 'h.txt', size: '5', 'content-type': 'text/plain' })));
    const put = slot.getChild('slot')?.getChild('put')?.attrs.url as string;
    const get = slot.getChild('slot')?.getChild('get')?.attrs.url as string;
    expect(put).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.ports.http}/upload/`, 'u'));
    expect((await fetch(put, { method: 'PUT', body: 'hello', headers: { 'content-type': 'text/plain' } })).status).toBe(201);
    expect(await (await fetch(get)).text()).toBe('hello');
    await xmpp.stop();
  });

  it('runs as its own node with its own spool and log dirs, and stop() leaves none of its processes or files', async () => {
    const other = await startTestEjabberd({ shaper: 'none', upload: false, offerTls: false });
    expect(other.node).toMatch(/^ferry-test-[0-9a-f]{8}@localhost$/u);
    expect(other.node).not.toBe(server.node);
    expect(existsSync(`${other.dir}/spool`)).toBe(true);
    expect(existsSync(`${other.dir}/logs/ejabberd.log`)).toBe(true);
    expect(processesOf(other.node).length).toBeGreaterThan(0);
    await other.register('carol', 'carol-pw');
    expect((await other.ctl('registered_users', 'localhost')).trim()).toBe('carol');
    await other.stop();
    expect(processesOf(other.node)).toEqual([]);
    expect(existsSync(other.dir)).toBe(false);
    expect(processesOf(server.node).length).toBeGreaterThan(0); // the first one is untouched
  }, 60_000);
});
