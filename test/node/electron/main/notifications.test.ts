import { describe, expect, it } from 'vitest';
import type { TransferSummary } from '../../../../shared/model/transfer';
import { createNotificationKeeper, notifyIncomingOffers, type NotificationLike } from '../../../../electron/main/notifications';
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
    let clicks = 0;
    const dispose = notifyIncomingOffers({
      core, keeper, onClick: () => { clicks += 1; },
      createNotification: () => { const n = new FakeNotification(); shown.push(n); return n; },
    });
    for (const id of ['t1', 't2', 't3']) core.emit('transfer.updated', offer(id));
    expect(keeper.size).toBe(3);
    shown[0].fire('click');
    expect(clicks).toBe(1);
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
    const dispose = notifyIncomingOffers({ core, createNotification: () => { count += 1; return new FakeNotification(); } });
    core.emit('settings.changed', { ...defaultSettings(), notifications: { offerArrived: false, transferDone: true, transferFailed: true } });
    core.emit('transfer.updated', offer('q1'));
    expect(count).toBe(0);
    core.emit('settings.changed', defaultSettings());
    core.emit('transfer.updated', offer('q2'));
    expect(count).toBe(1);
    dispose();
  });
});
