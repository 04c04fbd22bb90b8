import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferId } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { Timeline } from '../../../../renderer/features/chat/Timeline';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { sessionStore } from '../../../../renderer/stores/sessionStore';
import { settingsStore } from '../../../../renderer/stores/settingsStore';
import { defaultSettings } from '../../../../shared/model/settings';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

let bridge: FakeBridge;
let disconnect: () => void;
beforeEach(async () => {
  bridge = useFakeBridge({
    'transfer.accept': () => undefined, 'transfer.decline': () => undefined, 'file.pickFolder': () => '/home/bob/Pictures',
  });
  disconnect = connectStores(api);
  rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob' })]);
  await chatsStore.getState().open('bob@localhost');
});
afterEach(() => {
  disconnect();
  cleanup();
});

const file = (name: string, size = 2048) => ({ name, size, mediaType: 'application/pdf', date: null, description: '', md5: null });
const offers = (...names: string[]) => act(() => names.forEach((name, i) =>
  bridge.emit('transfer.updated', transfer({ id: `t${i + 1}` as TransferId, startedAt: 10 + i, file: file(name) }))));
const native = () => sessionStore.setState({ host: { kind: 'electron', hasNativeFiles: true, rememberedJid: null } });

describe('OfferCard (one offer in the timeline)', () => {
  it('says who offers what, with size and type; Accept calls transfer.accept', async () => {
    render(<Timeline jid="bob@localhost" />);
    offers('report.pdf');
    const card = screen.getByRole('listitem', { name: 'Incoming file: report.pdf' });
    expect(card.textContent).toContain('Bob (bob@localhost/phone) wants to send you a file');
    expect(card.textContent).toContain('2.0 KB');
    expect(card.textContent).toContain('application/pdf');
    expect(within(card).queryByRole('button', { name: /Save to/ })).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1' }]));
  });

  it('Decline calls transfer.decline', async () => {
    render(<Timeline jid="bob@localhost" />);
    offers('report.pdf');
    fireEvent.click(screen.getByRole('button', { name: 'Decline' }));
    await waitFor(() => expect(bridge.argsOf('transfer.decline')).toEqual([{ id: 't1' }]));
  });

  it('Save to… asks for a folder and passes it as dir; a cancelled dialog accepts nothing', async () => {
    native();
    render(<Timeline jid="bob@localhost" />);
    offers('report.pdf', 'notes.pdf');
    bridge.handle('file.pickFolder', () => null);
    fireEvent.click(screen.getByRole('button', { name: 'Save report.pdf to…' }));
    await waitFor(() => expect(bridge.argsOf('file.pickFolder')).toHaveLength(1));
    expect(bridge.argsOf('transfer.accept')).toEqual([]);
    bridge.handle('file.pickFolder', () => '/home/bob/Pictures');
    fireEvent.click(screen.getByRole('button', { name: 'Save notes.pdf to…' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't2', dir: '/home/bob/Pictures' }]));
  });
});

describe('OfferBatchCard (files offered together)', () => {
  it('is one card with a row per file; Accept all accepts each file', async () => {
    render(<Timeline jid="bob@localhost" />);
    offers('a.pdf', 'b.pdf', 'c.pdf');
    const batch = screen.getByRole('listitem', { name: '3 incoming files' });
    expect(batch.textContent).toContain('Bob (bob@localhost/phone) wants to send you 3 files (6.0 KB)');
    expect(within(batch).getAllByRole('listitem').map((row) => row.getAttribute('aria-label'))).toEqual(['Incoming file: a.pdf', 'Incoming file: b.pdf', 'Incoming file: c.pdf']);
    fireEvent.click(within(batch).getByRole('button', { name: 'Accept all' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1' }, { id: 't2' }, { id: 't3' }]));
  });

  it('Decline all declines each file; a row\'s own Decline only its file, leaving the rest grouped', async () => {
    render(<Timeline jid="bob@localhost" />);
    offers('a.pdf', 'b.pdf', 'c.pdf');
    fireEvent.click(screen.getByRole('button', { name: 'Decline a.pdf' }));
    await waitFor(() => expect(bridge.argsOf('transfer.decline')).toEqual([{ id: 't1' }]));
    const batch = screen.getByRole('listitem', { name: '2 incoming files' });
    fireEvent.click(within(batch).getByRole('button', { name: 'Decline all' }));
    await waitFor(() => expect(bridge.argsOf('transfer.decline')).toEqual([{ id: 't1' }, { id: 't2' }, { id: 't3' }]));
  });

  it('with "ask where to save every time", Accept all asks for the folder once for the whole batch', async () => {
    native();
    settingsStore.getState().apply({ ...defaultSettings(), askWhereToSave: true });
    render(<Timeline jid="bob@localhost" />);
    offers('a.pdf', 'b.pdf');
    fireEvent.click(screen.getByRole('button', { name: 'Accept all' }));
    await waitFor(() => expect(bridge.argsOf('transfer.accept')).toHaveLength(2));
    expect(bridge.argsOf('file.pickFolder')).toHaveLength(1);
    expect(bridge.argsOf('transfer.accept')).toEqual([{ id: 't1', dir: '/home/bob/Pictures' }, { id: 't2', dir: '/home/bob/Pictures' }]);
  });
});
