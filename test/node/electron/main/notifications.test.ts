import { describe, expect, it } from 'vitest';
import type { TransferSummary } from '../../../../shared/model/transfer';
import { createNotificationKeeper, notifyTransfers, revealCard, type NotificationLike } from '../../../../electron/main/notifications';
import { createFakeCore } from '../../../fakes/fakeCore';
import { defaultSettings } from '../../../../shared/model/settings';

class FakeNotification implements NotificationLike {
  listeners = new Map<string, (() => void)[]>();
  show(): void {}
  on(event: 'click' | 'close', listener: () => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  fire(event: 'click' | 'close'): void { for (const listener of this.listeners.get(event) ?? []) listener(); }
}

const offer = (id: string) => ({
  id, state: 'offered', direction: 'incoming', peer: 'bob@example.org/phone', file: { name: 'a.txt', size: 3 },
}) as unknown as TransferSummary;

describe('offer notifications stay referenced until the user is done with them', () => {
  it('holds each shown notification until it is clicked or closed (else Electron may collect it and drop the click)', () => {
    const core = createFakeCore();
    const keeper = createNotificationKeeper();
    const shown: FakeNotification[] = [];
    const clicked: string[] = [];
    const dispose = notifyTransfers({
      core, keeper, onClick: (summary) => { clicked.push(summary.id); },
      createNotification: () => { const n = new FakeNotification(); shown.push(n); return n; },
    });
    for (const id of ['t1', 't2', 't3']) core.emit('transfer.updated', offer(id));
    expect(keeper.size).toBe(3);
    shown[0].fire('click');
    expect(clicked).toEqual(['t1']);
    expect(keeper.size).toBe(2);
    shown[1].fire('close');
    expect(keeper.size).toBe(1);
    shown[1].fire('click');
    shown[2].fire('close');
    expect(keeper.size).toBe(0);
    dispose();
  });

  it('shows none while the settings turned "Someone offers me a file" off, and again once it is on', () => {
    const core = createFakeCore();
    let count = 0;
    const dispose = notifyTransfers({ core, createNotification: () => { count += 1; return new FakeNotification(); } });
    core.emit('settings.changed', { ...defaultSettings(), notifications: { offerArrived: false, transferDone: true, transferFailed: true } });
    core.emit('transfer.updated', offer('q1'));
    expect(count).toBe(0);
    core.emit('settings.changed', defaultSettings());
    core.emit('transfer.updated', offer('q2'));
    expect(count).toBe(1);
    dispose();
  });
});

describe('done and failed notifications (Electron host)', () => {
  const running = (id: string, direction: 'incoming' | 'outgoing') => ({
    id, state: 'transferring', direction, peer: 'bob@example.org/phone', file: { name: 'report.pdf', size: 2048 },
    path: null, reason: null, endedAt: null,
  }) as unknown as TransferSummary;
  const ended = (summary: TransferSummary, state: 'done' | 'failed' | 'cancelled', reason: string | null = null) =>
    ({ ...summary, state, reason, endedAt: 5 }) as TransferSummary;

  function watch() {
    const core = createFakeCore();
    const shown: { title?: string; body?: string }[] = [];
    const dispose = notifyTransfers({ core, createNotification: (options) => { shown.push({ title: options.title, body: options.body }); return new FakeNotification(); } });
    return { core, shown, dispose };
  }

  it('tells of a received file and a failed send once each, with the reason in words', () => {
    const { core, shown, dispose } = watch();
    const incoming = running('r1', 'incoming');
    const outgoing = running('s1', 'outgoing');
    core.emit('transfer.updated', incoming);
    core.emit('transfer.updated', outgoing);
    core.emit('transfer.updated', ended(incoming, 'done'));
    core.emit('transfer.updated', ended(incoming, 'done'));
    core.emit('transfer.updated', ended(outgoing, 'failed', 'connect ECONNREFUSED 127.0.0.1:9'));
    expect(shown).toEqual([
      { title: 'Received report.pdf', body: 'from bob@example.org · 2.0 KB' },
      { title: 'report.pdf could not be sent', body: 'To bob@example.org. Failed: the other side could not be reached (connection refused).' },
    ]);
    dispose();
  });

  it('is quiet for a cancel, for a transfer it never saw running (a restored list), and when the setting is off', () => {
    const { core, shown, dispose } = watch();
    core.emit('transfer.updated', ended(running('old', 'incoming'), 'done'));
    const cancelled = running('c1', 'outgoing');
    core.emit('transfer.updated', cancelled);
    core.emit('transfer.updated', ended(cancelled, 'cancelled'));
    core.emit('settings.changed', { ...defaultSettings(), notifications: { offerArrived: true, transferDone: false, transferFailed: true } });
    const quiet = running('q1', 'incoming');
    core.emit('transfer.updated', quiet);
    core.emit('transfer.updated', ended(quiet, 'done'));
    expect(shown).toEqual([]);
    dispose();
  });
});

describe('revealCard (a notification click shows its card in the window)', () => {
  it('sends the window\'s renderer ui.reveal with the peer\'s bare JID and the transfer id, and nothing to a closed window', () => {
    const sent: [string, unknown][] = [];
    let isDestroyed = false;
    const target = { isDestroyed: () => isDestroyed, send: (channel: string, payload: unknown) => { sent.push([channel, payload]); } };
    revealCard(target, offer('t9'));
    expect(sent).toEqual([['ferry:event:ui.reveal', { peer: 'bob@example.org', transferId: 't9' }]]);
    isDestroyed = true;
    revealCard(target, offer('t10'));
    expect(sent).toHaveLength(1);
  });
});
