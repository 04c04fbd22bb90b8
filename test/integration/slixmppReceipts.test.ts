import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Events } from '../../shared/ipc/contract';
import type { RosterItem } from '../../shared/model/session';
import type { Core } from '../../electron/app/core';
import { createCore } from '../../electron/app/createCore';
import { isProsodyInstalled } from '../../scripts/lib/localProsody.mjs';
import { startTestProsody, type LocalProsody } from '../support/prosody';
import { skipUnlessPresent } from '../support/requiredTool';
import { isSlixmppInstalled, startSlixmppPeer, type SlixmppPeer } from '../support/slixmppPeer';
import { waitFor } from '../support/xmppWaits';

const CHAT_PEER_SCRIPT = fileURLToPath(new URL('../interop/chat_peer.py', import.meta.url));

// Issue #10: Ferry ↔ slixmpp 1.8.3 with its own xep_0184 (auto-ack, auto-request) and xep_0085 plugins.
describe.skipIf(skipUnlessPresent({ prosody: isProsodyInstalled(), 'slixmpp (bash scripts/setup.sh)': isSlixmppInstalled() }))('receipts and chat states with slixmpp', () => {
  let server: LocalProsody;
  const cores: Core[] = [];
  const peers: SlixmppPeer[] = [];

  beforeAll(async () => {
    server = await startTestProsody({ offerTls: false, accounts: [['alice', 'alice-pw'], ['bob', 'bob-pw']], friends: [['alice', 'bob']] });
  });
  afterEach(async () => {
    await Promise.all(peers.splice(0).map((peer) => peer.stop()));
    await Promise.all(cores.splice(0).map((core) => core.dispose()));
  });
  afterAll(async () => { await server?.stop(); });

  it("slixmpp's auto-ack answers Ferry's request (Delivered), its typing shows, and Ferry answers its request (XEP-0184 §5, XEP-0085 §5)", async () => {
    const bob = startSlixmppPeer({ jid: 'bob@localhost/slix', password: 'bob-pw', port: server.ports.c2s, args: ['chat', '--reply', 'hi from slixmpp'], timeoutS: 40, script: CHAT_PEER_SCRIPT });
    peers.push(bob);
    await bob.waitFor('ready', 20_000);
    const alice = createCore({ downloadDir: '/nonexistent', session: { loginTimeoutMs: 10_000 } });
    cores.push(alice);
    const seen = { delivered: [] as Events['chat.delivered'][], states: [] as Events['chat.stateChanged'][], received: [] as Events['chat.received'][] };
    alice.on('chat.delivered', (d) => seen.delivered.push(d));
    alice.on('chat.stateChanged', (s) => seen.states.push(s));
    alice.on('chat.received', (m) => seen.received.push(m));
    await alice.handlers['session.login']({ jid: 'alice@localhost', password: 'alice-pw', service: server.service, resource: 'ferry', allowPlaintext: true });
    for (let round = 0; round < 200; round += 1) {
      if ((await alice.handlers['roster.get']()).some((i: RosterItem) => i.jid === 'bob@localhost')) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const sent = await alice.handlers['chat.send']({ to: 'bob@localhost', body: 'hello slixmpp' });
    const got = await bob.waitFor('message', 10_000);
    expect(got).toMatchObject({ from: 'alice@localhost/ferry', id: sent.id, body: 'hello slixmpp', state: 'active', requested: true });
    await waitFor(() => seen.delivered.find((d) => d.id === sent.id), 10_000, "slixmpp's receipt");
    expect((await alice.handlers['chat.history']({ jid: 'bob@localhost' }))[0].deliveredAt).toEqual(expect.any(Number));
    await waitFor(() => seen.states.find((s) => s.state === 'composing'), 10_000, "slixmpp's composing");
    await waitFor(() => seen.received.find((m) => m.body === 'hi from slixmpp'), 10_000, "slixmpp's answer");
    const answer = await bob.waitFor('sent', 1000);
    const receipt = await bob.waitFor('receipt', 10_000, (e) => e.id === answer.id);
    expect(receipt.from).toBe('alice@localhost/ferry');
    expect(await bob.exitCode, bob.stderr()).toBe(0);
    expect(seen.states.map((s) => s.state)).toEqual(['composing', 'active']);
  });
});
