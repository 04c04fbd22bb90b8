import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/hosts/cli/runCli';
import type { CliIo } from '../../../electron/hosts/cli/command';
import { createCore } from '../../../electron/app/createCore';
import { isEjabberdInstalled, startTestEjabberd, type LocalEjabberd } from '../../support/ejabberd';
import { startTcpTap, type TcpTap } from '../../support/tcpTap';
import { closePeer, loginPeer, randomFile, scratchDir, sha256Of, type Peer } from './transferPair';

type Line = Record<string, unknown> & { event: string };
/** TODO(#7 item 1): the one failure tolerated below until the receiver stops trusting presence over the stream. */
const ACK_REQUEST = /<r xmlns=["']urn:xmpp:sm:3["']\s*\/>/gu;

// Issue 7 item 7, as reported: `ferry send` with IBB in <message/> through ejabberd 23.01 under its default
// client shaper (3000 B/s) sent 325 XEP-0198 <r/> for 16 data messages, then crashed after its done line
// (TypeError in Client._onData). Here the sender's c2s stream goes through a tap that counts its <r/>.
describe.runIf(isEjabberdInstalled() || process.env.CI)('ferry send against ejabberd with its 3000 B/s client shaper', () => {
  let server: LocalEjabberd;
  let tap: TcpTap | null = null;
  const peers: Peer[] = [];
  const src = scratchDir();

  beforeAll(async () => {
    server = await startTestEjabberd({ accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']], offerTls: false, upload: false });
  }, 60_000);
  afterEach(async () => {
    await Promise.all(peers.splice(0).map(closePeer));
    await tap?.close();
    tap = null;
  });
  afterAll(async () => { await server?.stop(); }, 30_000);

  function io(out: string[], err: string[]): CliIo {
    return {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      createCore: (options) => createCore(options),
      waitForStop: () => new Promise(() => undefined),
    };
  }

  // Issue 7 item 1: `ferry send` logs off right after its done line while ejabberd's proxy still relays the last
  // bytes; presence is not the stream, so the receiver must still end done.
  it('sends 8 MiB through ejabberd\'s proxy65 (XEP-0065 §6) the sender exits 0 with done, and the receiver ends done although the sender logged off', async () => {
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(bob);
    const file = randomFile(src, 'cli-proxy.bin', 8 * 1024 * 1024 + 5);
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['send', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', server.service,
      '--allow-plaintext', '--resource', 'cli', '--to', bob.jid, '--method', 'si', '--transport', 's5b-proxy', '--json', '--timeout', '60', file.path], io(out, err));
    expect(code, err.join('')).toBe(0);
    expect(out.join('').trim().split('\n').map((l) => JSON.parse(l) as Line).pop()).toMatchObject({ event: 'done', transport: 's5b-proxy', sha256: file.sha256 });
    const received = await bob.until((t) => t.direction === 'incoming' && (t.state === 'done' || t.state === 'failed'), 30_000, 'bob done');
    expect(received.reason).toBeNull();
    expect(received.state).toBe('done');
    expect(sha256Of(received.path!)).toBe(file.sha256);
  }, 90_000);

  it('sends 16 IBB <message/> blocks (XEP-0047 §3) with few <r/> (XEP-0198 §4: one at a time) and exits 0 without an uncaught error', async () => {
    const bob = await loginPeer(server, 'bob', { acceptPolicy: () => 'accept' });
    peers.push(bob);
    tap = await startTcpTap(server.ports.c2s);
    const file = randomFile(src, 'cli-ibb-message.bin', 16 * 2048);
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      env: {},
      createCore: (options) => createCore(options),
      waitForStop: () => new Promise(() => undefined),
    };
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => { uncaught.push(error); };
    process.on('uncaughtException', onUncaught);
    try {
      const code = await runCli(['send', '--jid', 'alice@localhost', '--password', 'alice-pw', '--service', `xmpp://127.0.0.1:${tap.port}`,
        '--allow-plaintext', '--resource', 'cli', '--to', bob.jid, '--method', 'si', '--transport', 'ibb', '--ibb-stanza', 'message', '--block-size', '2048',
        '--json', '--timeout', '60', file.path], io);
      const lines = out.join('').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Line);
      expect(code, err.join('')).toBe(0);
      expect(lines[lines.length - 1]).toMatchObject({ event: 'done', transport: 'ibb', sha256: file.sha256 });
      const received = await bob.until((t) => t.direction === 'incoming' && (t.state === 'done' || t.state === 'failed'), 60_000, 'bob done');
      expect(received.reason).toBeNull();
      expect(sha256Of(received.path!)).toBe(file.sha256);
      await new Promise((r) => setTimeout(r, 3500)); // past @xmpp's 2 s stream-close wait and stopQuietly's 3 s
      expect(uncaught.map(String)).toEqual([]);
      const asked = tap.sent().match(ACK_REQUEST)?.length ?? 0;
      expect(asked).toBeGreaterThan(0); // stream management was on, so the count means something
      expect(asked, `${asked} <r/> sent`).toBeLessThan(16);
    } finally {
      process.removeListener('uncaughtException', onUncaught);
    }
  }, 120_000);
});
