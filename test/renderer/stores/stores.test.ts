import { beforeEach, describe, expect, it } from 'vitest';
import type { BareJid, FullJid } from '../../../shared/model/jid';
import type { ChatMessage } from '../../../shared/model/session';
import type { TransferId, TransferSummary } from '../../../shared/model/transfer';
import { chatsStore } from '../../../renderer/stores/chatsStore';
import { connectStores } from '../../../renderer/stores/connectStores';
import { rosterStore } from '../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../renderer/stores/sessionStore';
import { selectTransfersWith, transfersStore } from '../../../renderer/stores/transfersStore';
import { api } from '../../../renderer/api';
import { errorText } from '../../../renderer/stores/errorText';
import { ONLINE, rosterItem, useFakeBridge, type FakeBridge } from '../support/fakeBridge';

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge();
});

const settle = () => new Promise((r) => setTimeout(r, 0));

function message(id: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return { id, peer: 'bob@localhost' as BareJid, direction: 'incoming', from: 'bob@localhost/x', body: id, at: 1, ...overrides };
}

describe('sessionStore', () => {
  it('starts offline and from getInitialState again after a reset', () => {
    sessionStore.setState({ hasSession: true });
    sessionStore.setState(sessionStore.getInitialState(), true);
    expect(sessionStore.getState()).toMatchObject({ hasSession: false, snapshot: { state: 'offline' } });
  });

  it('turns a rejected login into a sentence and stays logged out', async () => {
    bridge.handle('session.login', () => { throw { code: 'not-authorized', message: 'not-authorized' }; });
    await sessionStore.getState().login({ jid: 'alice@localhost', password: 'x' });
    expect(sessionStore.getState()).toMatchObject({ hasSession: false, isBusy: false, errorText: 'Wrong address or password.' });
  });

  it('computes the reconnect deadline from retryInMs', () => {
    const before = Date.now();
    sessionStore.getState().applySnapshot({ ...ONLINE, state: 'reconnecting', retryInMs: 5000 });
    expect(sessionStore.getState().retryAt).toBeGreaterThanOrEqual(before + 5000);
  });

  it('reverts own presence when presence.set fails', async () => {
    bridge.handle('presence.set', () => { throw { code: 'not-connected', message: 'offline' }; });
    await sessionStore.getState().setPresence('dnd');
    expect(sessionStore.getState().ownShow).toBe('available');
  });
});

describe('connectStores', () => {
  it('loads roster and transfers when the session comes online, and empties them on logout', async () => {
    bridge.handle('roster.get', () => [rosterItem('bob@localhost')]);
    bridge.handle('roster.pendingRequests', () => [{ jid: 'carol@localhost' as BareJid }]);
    const off = connectStores(api);
    bridge.emit('session.changed', ONLINE);
    await settle();
    expect(rosterStore.getState().items.map((i) => i.jid)).toEqual(['bob@localhost']);
    expect(rosterStore.getState().pending).toEqual([{ jid: 'carol@localhost' }]);
    bridge.emit('session.changed', { ...ONLINE, state: 'offline', jid: null });
    expect(rosterStore.getState().items).toEqual([]);
    off();
  });

  it('routes chat, roster and transfer events into their stores', () => {
    const off = connectStores(api);
    bridge.emit('roster.subscriptionRequested', { jid: 'dave@localhost' as BareJid });
    bridge.emit('roster.subscriptionRequested', { jid: 'dave@localhost' as BareJid });
    bridge.emit('chat.received', message('m1'));
    expect(rosterStore.getState().pending).toHaveLength(1);
    expect(chatsStore.getState().byPeer['bob@localhost']).toHaveLength(1);
    expect(chatsStore.getState().unread['bob@localhost']).toBe(1);
    off();
    bridge.emit('chat.received', message('m2'));
    expect(chatsStore.getState().byPeer['bob@localhost']).toHaveLength(1);
  });
});

describe('rosterStore', () => {
  it('keeps a presence that arrived while the roster was loading: an older roster.get answer does not overwrite it', async () => {
    let answerPending: (value: never[]) => void = () => undefined;
    bridge.handle('roster.get', () => [rosterItem('bob@localhost')]);
    bridge.handle('roster.pendingRequests', () => new Promise((resolve) => { answerPending = resolve; }));
    const loading = rosterStore.getState().load();
    await settle();
    const online = rosterItem('bob@localhost', { resources: [{ resource: 'ferry', show: 'available', status: '', priority: 0 }] });
    rosterStore.getState().setItems([online]);
    rosterStore.getState().addRequest({ jid: 'carol@localhost' as BareJid });
    answerPending([]);
    await loading;
    expect(rosterStore.getState().items).toEqual([online]);
    expect(rosterStore.getState().pending).toEqual([{ jid: 'carol@localhost' }]);
  });

  it('approves a request and drops it from pending', async () => {
    bridge.handle('roster.approve', () => undefined);
    rosterStore.getState().addRequest({ jid: 'carol@localhost' as BareJid });
    await rosterStore.getState().approve('carol@localhost');
    expect(bridge.argsOf('roster.approve')).toEqual([{ jid: 'carol@localhost' }]);
    expect(rosterStore.getState().pending).toEqual([]);
  });

  it('refuses to add something that is not an account address', async () => {
    expect(await rosterStore.getState().add('not a jid')).toBe(false);
    expect(bridge.argsOf('roster.add')).toEqual([]);
    expect(rosterStore.getState().errorText).toMatch(/not an address/);
  });
});

describe('chatsStore', () => {
  it('sends to the open chat, appends the echo once, and keeps history order', async () => {
    bridge.handle('chat.history', () => [message('old', { at: 0 })]);
    bridge.handle('chat.send', ({ to, body }) => message('s1', { peer: to as BareJid, body, direction: 'outgoing', at: 5 }));
    await chatsStore.getState().open('bob@localhost/phone');
    expect(chatsStore.getState().openJid).toBe('bob@localhost');
    expect(await chatsStore.getState().send('  hello  ')).toBe(true);
    expect(bridge.argsOf('chat.send')).toEqual([{ to: 'bob@localhost', body: 'hello' }]);
    chatsStore.getState().receive(message('s1', { direction: 'outgoing', body: 'hello', at: 5 }));
    expect(chatsStore.getState().byPeer['bob@localhost'].map((m) => m.id)).toEqual(['old', 's1']);
  });
});

describe('transfersStore', () => {
  it('keeps the latest summary per id and selects by bare peer', () => {
    const t = { id: 't1' as TransferId, peer: 'bob@localhost/x' as FullJid, state: 'offered', startedAt: 1 } as unknown as TransferSummary;
    transfersStore.getState().upsert(t);
    transfersStore.getState().upsert({ ...t, state: 'transferring' });
    expect(selectTransfersWith('bob@localhost')(transfersStore.getState()).map((x) => x.state)).toEqual(['transferring']);
    expect(selectTransfersWith('carol@localhost')(transfersStore.getState())).toEqual([]);
  });
});

describe('errorText', () => {
  it('keeps the host sentence, and explains bare codes', () => {
    expect(errorText({ code: 'not-authorized', message: 'The server did not accept the password for a@b.' }))
      .toBe('The server did not accept the password for a@b.');
    expect(errorText({ code: 'not-authorized', message: 'not-authorized' })).toBe('Wrong address or password.');
    expect(errorText({ code: 'cannot-connect', message: 'ECONNREFUSED' })).toMatch(/^Could not reach the server.*\(ECONNREFUSED\)$/);
    expect(errorText({ code: 'weird', message: '' })).toBe('Something went wrong.');
    expect(errorText(null)).toBeNull();
  });
});

describe('sessionStore account', () => {
  it('keeps the own JID while reconnecting and forgets it when offline', () => {
    sessionStore.getState().applySnapshot(ONLINE);
    sessionStore.getState().applySnapshot({ ...ONLINE, state: 'reconnecting', jid: null, retryInMs: 1000 });
    expect(sessionStore.getState()).toMatchObject({ hasSession: true, accountJid: 'alice@localhost/ferry' });
    sessionStore.getState().applySnapshot({ ...ONLINE, state: 'offline', jid: null });
    expect(sessionStore.getState()).toMatchObject({ hasSession: false, accountJid: null });
  });
});
