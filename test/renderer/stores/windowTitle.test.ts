import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferId } from '../../../shared/model/transfer';
import { chatsStore } from '../../../renderer/stores/chatsStore';
import { transfersStore } from '../../../renderer/stores/transfersStore';
import { titleFor, watchWindowTitle } from '../../../renderer/stores/windowTitle';
import { useFakeBridge } from '../support/fakeBridge';
import { transfer } from '../support/transfers';

const doc = { title: 'Ferry' };
let stop: () => void;
beforeEach(() => {
  useFakeBridge();
  chatsStore.setState(chatsStore.getInitialState(), true);
  transfersStore.setState(transfersStore.getInitialState(), true);
  stop = watchWindowTitle(doc);
});
afterEach(() => stop());

describe('the window title counts what waits', () => {
  it('words', () => {
    expect(titleFor(0, 0)).toBe('Ferry');
    expect(titleFor(2, 0)).toBe('Ferry (2 unread)');
    expect(titleFor(0, 1)).toBe('Ferry (1 file offered)');
    expect(titleFor(3, 2)).toBe('Ferry (3 unread, 2 files offered)');
  });

  it('follows unread messages and pending offers, and clears when they are read and answered', () => {
    chatsStore.setState({ unread: { 'bob@localhost': 2, 'carol@localhost': 1 } });
    transfersStore.getState().upsert(transfer({ id: 'o1' as TransferId }));
    transfersStore.getState().upsert(transfer({ id: 'o2' as TransferId, direction: 'outgoing' }));
    expect(doc.title).toBe('Ferry (3 unread, 1 file offered)');
    chatsStore.setState({ unread: { 'bob@localhost': 0, 'carol@localhost': 0 } });
    transfersStore.getState().upsert(transfer({ id: 'o1' as TransferId, state: 'transferring' }));
    expect(doc.title).toBe('Ferry');
  });
});
