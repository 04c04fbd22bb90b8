import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferId } from '../../../shared/model/transfer';
import { OFFER_NOTIFY_WINDOW_MS, watchOfferNotifications, type NotificationLike } from '../../../renderer/stores/offerNotifications';
import { forgetPermissionAsked } from '../../../renderer/stores/notificationPermission';
import { sessionStore } from '../../../renderer/stores/sessionStore';
import { chatsStore } from '../../../renderer/stores/chatsStore';
import { revealStore } from '../../../renderer/stores/revealStore';
import { transfersStore } from '../../../renderer/stores/transfersStore';
import { useFakeBridge } from '../support/fakeBridge';
import { settingsStore } from '../../../renderer/stores/settingsStore';
import { defaultSettings } from '../../../shared/model/settings';
import { transfer } from '../support/transfers';

let shown: { title: string; body?: string }[];
let clicks: (() => void)[];
let permission: string;
let stop: () => void;
let clock: number;

function fakeNotification(): NotificationLike {
  return class {
    static get permission() { return permission; }
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
      // The watcher sets onclick after construction: keep what it sets.
      Object.defineProperty(this, 'onclick', { set: (fn: () => void) => { clicks.push(fn); } });
    }
  };
}

beforeEach(() => {
  useFakeBridge();
  forgetPermissionAsked();
  shown = [];
  clicks = [];
  permission = 'granted';
  sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
  clock = 0;
  stop = watchOfferNotifications(fakeNotification, () => clock);
});
afterEach(() => stop());

describe('offer notifications (web host)', () => {
  it('notifies once per new incoming offer when permission was already granted', () => {
    transfersStore.getState().upsert(transfer());
    transfersStore.getState().upsert(transfer({ bytes: 0 }));
    transfersStore.getState().upsert(transfer({ id: 't2' as TransferId, direction: 'outgoing' }));
    expect(shown).toEqual([{ title: 'File offered by bob@localhost/phone', body: 'photo.jpg (2.0 KB)' }]);
  });

  it('a click opens the sender\'s chat at the offer\'s card (issue #11 "a click opens the chat at that card")', () => {
    transfersStore.getState().upsert(transfer({ id: 'o7' as TransferId }));
    expect(clicks).toHaveLength(1);
    clicks[0]!();
    expect(chatsStore.getState().openJid).toBe('bob@localhost');
    expect(revealStore.getState().target).toEqual({ jid: 'bob@localhost', transferId: 'o7' });
    revealStore.getState().done();
    chatsStore.getState().close();
  });

  it('names the file as it will be saved, without its bidi override', () => {
    transfersStore.getState().upsert(transfer({ id: 't9' as TransferId, file: { ...transfer().file, name: 'Invoice\u202Efdp.exe' } }));
    expect(shown).toEqual([{ title: 'File offered by bob@localhost/phone', body: 'Invoicefdp.exe (2.0 KB)' }]);
  });

  it('stays quiet when the settings turned "Someone offers me a file" off', () => {
    settingsStore.getState().apply({ ...defaultSettings(), notifications: { offerArrived: false, transferDone: true, transferFailed: true } });
    transfersStore.getState().upsert(transfer());
    expect(shown).toEqual([]);
    settingsStore.setState(settingsStore.getInitialState(), true);
  });

  it('never notifies (nor prompts) once permission was denied', () => {
    permission = 'denied';
    transfersStore.getState().upsert(transfer());
    expect(shown).toEqual([]);
  });

  it('while permission is undecided, asks on the first offer (once, whatever follows) and shows it on a yes', async () => {
    permission = 'default';
    let asked = 0;
    stop();
    stop = watchOfferNotifications(() => Object.assign(fakeNotification(), {
      requestPermission: () => { asked += 1; return new Promise<string>((resolve) => setTimeout(() => { permission = 'granted'; resolve('granted'); }, 0)); },
    }), () => clock);
    transfersStore.getState().upsert(transfer({ id: 'p1' as TransferId }));
    transfersStore.getState().upsert(transfer({ id: 'p2' as TransferId, peer: 'carol@localhost/pc' as never }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(asked).toBe(1);
    expect(shown.map((n) => n.title)).toEqual(['File offered by bob@localhost/phone']);
  });

  it('coalesces an offer flood from one peer: one notification per window, then one that counts what is pending', () => {
    for (let n = 0; n < 20; n += 1) transfersStore.getState().upsert(transfer({ id: `f${n}` as TransferId }));
    expect(shown).toHaveLength(1);
    clock = OFFER_NOTIFY_WINDOW_MS;
    transfersStore.getState().upsert(transfer({ id: 'f20' as TransferId }));
    expect(shown).toHaveLength(2);
    expect(shown[1].title).toBe('21 files offered by bob@localhost');
  });

  it('leaves notifications to the Electron host there', () => {
    sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });
    transfersStore.getState().upsert(transfer());
    expect(shown).toEqual([]);
  });
});
