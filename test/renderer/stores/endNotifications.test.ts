import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferId } from '../../../shared/model/transfer';
import { watchEndNotifications, type AskingNotificationLike } from '../../../renderer/stores/endNotifications';
import { chatsStore } from '../../../renderer/stores/chatsStore';
import { revealStore } from '../../../renderer/stores/revealStore';
import { forgetPermissionAsked } from '../../../renderer/stores/notificationPermission';
import { sessionStore } from '../../../renderer/stores/sessionStore';
import { settingsStore } from '../../../renderer/stores/settingsStore';
import { transfersStore } from '../../../renderer/stores/transfersStore';
import { defaultSettings } from '../../../shared/model/settings';
import { useFakeBridge } from '../support/fakeBridge';
import { transfer } from '../support/transfers';

let shown: { title: string; body?: string; onclick?: () => void }[];
let permission: string;
let asked: number;
let stop: () => void;

function fakeNotification(): AskingNotificationLike {
  return class {
    static get permission() { return permission; }
    static requestPermission(): Promise<string> { asked += 1; permission = 'granted'; return Promise.resolve('granted'); }
    onclick?: () => void;
    constructor(title: string, options?: { body?: string }) {
      const entry: { title: string; body?: string; onclick?: () => void } = { title, body: options?.body };
      shown.push(entry);
      // The watcher sets onclick after construction: read it back through the entry.
      Object.defineProperty(this, 'onclick', { set: (fn: () => void) => { entry.onclick = fn; } });
    }
  };
}

const running = (id: string, direction: 'incoming' | 'outgoing') => transfer({ id: id as TransferId, direction, state: 'transferring', bytes: 10 });

beforeEach(() => {
  useFakeBridge();
  forgetPermissionAsked();
  shown = [];
  asked = 0;
  permission = 'granted';
  sessionStore.setState({ host: { kind: 'web', hasNativeFiles: false, rememberedJid: null } });
  stop = watchEndNotifications(fakeNotification);
});
afterEach(() => stop());

describe('done and failed notifications (web host)', () => {
  it('tells of a file received and a send failed, once each, in plain words', () => {
    transfersStore.getState().upsert(running('a', 'incoming'));
    transfersStore.getState().upsert(running('b', 'outgoing'));
    transfersStore.getState().upsert({ ...running('a', 'incoming'), state: 'done', endedAt: 9 });
    transfersStore.getState().upsert({ ...running('a', 'incoming'), state: 'done', endedAt: 9, rate: 1 });
    transfersStore.getState().upsert({ ...running('b', 'outgoing'), state: 'failed', reason: 'write ENOSPC', endedAt: 9 });
    expect(shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Received photo.jpg', body: 'from bob@localhost · 2.0 KB' },
      { title: 'photo.jpg could not be sent', body: 'To bob@localhost. Failed: the disk is full.' },
    ]);
  });

  it('a click opens that contact\'s chat at the transfer\'s card', () => {
    transfersStore.getState().upsert(running('a', 'incoming'));
    transfersStore.getState().upsert({ ...running('a', 'incoming'), state: 'done', endedAt: 9 });
    shown[0].onclick?.();
    expect(chatsStore.getState().openJid).toBe('bob@localhost');
    expect(revealStore.getState().target).toEqual({ jid: 'bob@localhost', transferId: running('a', 'incoming').id });
    revealStore.getState().done();
  });

  it('is quiet for a transfer that was already over when the page first saw it, for a cancel, and when the setting is off', () => {
    transfersStore.getState().upsert(transfer({ id: 'old' as TransferId, state: 'done', endedAt: 3 }));
    transfersStore.getState().upsert(running('c', 'outgoing'));
    transfersStore.getState().upsert({ ...running('c', 'outgoing'), state: 'cancelled', endedAt: 9 });
    settingsStore.getState().apply({ ...defaultSettings(), notifications: { offerArrived: true, transferDone: true, transferFailed: false } });
    transfersStore.getState().upsert(running('d', 'outgoing'));
    transfersStore.getState().upsert({ ...running('d', 'outgoing'), state: 'failed', reason: 'x', endedAt: 9 });
    expect(shown).toEqual([]);
  });

  it('asks for the permission on the first need, once, and then shows it', async () => {
    permission = 'default';
    transfersStore.getState().upsert(running('e', 'incoming'));
    transfersStore.getState().upsert({ ...running('e', 'incoming'), state: 'done', endedAt: 9 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(asked).toBe(1);
    expect(shown.map((n) => n.title)).toEqual(['Received photo.jpg']);
  });

  it('never asks again after a "no"', () => {
    permission = 'denied';
    transfersStore.getState().upsert(running('f', 'incoming'));
    transfersStore.getState().upsert({ ...running('f', 'incoming'), state: 'done', endedAt: 9 });
    expect(asked).toBe(0);
    expect(shown).toEqual([]);
  });
});
