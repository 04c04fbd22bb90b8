import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import { RosterPanel } from '../../../../renderer/features/roster/RosterPanel';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import type { TransferId } from '../../../../shared/model/transfer';
import { act } from '@testing-library/react';
import { transfer } from '../../support/transfers';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge();
  rosterStore.getState().setItems([
    rosterItem('zed@localhost', { name: 'Zed' }),
    rosterItem('bob@localhost', { name: 'Bob', resources: [{ resource: 'x', show: 'away', status: 'at lunch', priority: 0 }] }),
    rosterItem('carol@localhost', { subscription: 'none', isPending: true }),
  ]);
  rosterStore.getState().addRequest({ jid: 'dave@localhost' as BareJid });
});
afterEach(cleanup);

function rows() {
  return within(screen.getByRole('list', { name: 'Contacts' })).getAllByRole('listitem');
}

describe('RosterPanel', () => {
  it('lists online contacts first, with presence label and status text', () => {
    render(<RosterPanel />);
    const text = rows().map((row) => row.textContent);
    expect(text).toEqual(['BobAway — at lunch', 'carolOffline — Waiting for approval', 'ZedOffline']);
    expect(rows()[0].querySelector('.presence-dot--away')).not.toBeNull();
  });

  it('updates a row when roster.changed brings new presence', () => {
    render(<RosterPanel />);
    rosterStore.getState().setItems([rosterItem('zed@localhost', {
      name: 'Zed', resources: [{ resource: 'r', show: 'available', status: '', priority: 1 }],
    })]);
    return waitFor(() => expect(rows().map((row) => row.textContent)).toEqual(['ZedOnline']));
  });

  it('shows pending subscription requests with Approve and Deny', async () => {
    bridge.handle('roster.approve', () => undefined);
    bridge.handle('roster.deny', () => undefined);
    rosterStore.getState().addRequest({ jid: 'erin@localhost' as BareJid });
    render(<RosterPanel />);
    const requests = screen.getByRole('region', { name: 'Subscription requests' });
    expect(within(requests).getAllByRole('listitem')).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: 'Approve dave@localhost' }));
    fireEvent.click(screen.getByRole('button', { name: 'Deny erin@localhost' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Subscription requests' })).toBeNull());
    expect(bridge.argsOf('roster.approve')).toEqual([{ jid: 'dave@localhost' }]);
    expect(bridge.argsOf('roster.deny')).toEqual([{ jid: 'erin@localhost' }]);
  });

  it('adds a contact and opens a chat from a row', async () => {
    bridge.handle('roster.add', () => undefined);
    render(<RosterPanel />);
    const input = screen.getByLabelText('Contact address');
    fireEvent.change(input, { target: { value: 'frank@localhost' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await waitFor(() => expect((input as HTMLInputElement).value).toBe(''));
    expect(bridge.argsOf('roster.add')).toEqual([{ jid: 'frank@localhost' }]);
    fireEvent.click(within(rows()[0]).getByRole('button'));
    expect(chatsStore.getState().openJid).toBe('bob@localhost');
  });

  it('counts the files a contact offers that wait for an answer on its row, and drops the count once answered', () => {
    transfersStore.setState(transfersStore.getInitialState(), true);
    render(<RosterPanel />);
    act(() => {
      transfersStore.getState().upsert(transfer({ id: 'a' as TransferId }));
      transfersStore.getState().upsert(transfer({ id: 'b' as TransferId }));
      transfersStore.getState().upsert(transfer({ id: 'c' as TransferId, direction: 'outgoing' }));
    });
    const bob = rows().find((row) => row.textContent?.includes('Bob'))!;
    expect(within(bob).getByLabelText('2 files offered')).toBeTruthy();
    act(() => transfersStore.setState({ answered: { a: true, b: true } }));
    expect(within(bob).queryByLabelText(/files? offered/)).toBeNull();
  });
});
