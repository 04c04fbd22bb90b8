import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BareJid, FullJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import type { TransferId, TransferSummary } from '../../../../shared/model/transfer';
import { api } from '../../../../renderer/api';
import { ChatView } from '../../../../renderer/features/chat/ChatView';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import { rosterItem, useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

let bridge: FakeBridge;
let disconnect: () => void;
beforeEach(async () => {
  bridge = useFakeBridge();
  disconnect = connectStores(api);
  bridge.handle('chat.send', ({ to, body }) => msg('sent-1', body, { peer: to as BareJid, direction: 'outgoing' }));
  rosterStore.getState().setItems([rosterItem('bob@localhost', { name: 'Bob' })]);
  await chatsStore.getState().open('bob@localhost');
});
afterEach(() => {
  disconnect();
  cleanup();
});

function msg(id: string, body: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return { id, peer: 'bob@localhost' as BareJid, direction: 'incoming', from: 'bob@localhost/phone', body, at: Date.now(), ...overrides };
}

function bodies(): string[] {
  return within(screen.getByRole('log', { name: 'Conversation' })).getAllByRole('listitem').filter((li) => li.classList.contains('message')).map((li) => li.querySelector('p')!.textContent!);
}

describe('ChatView', () => {
  it('sends with Enter, clears the composer and appends the message', async () => {
    render(<ChatView />);
    const box = screen.getByLabelText('Message to Bob');
    fireEvent.change(box, { target: { value: 'hello bob' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(bodies()).toEqual(['hello bob']));
    expect((box as HTMLTextAreaElement).value).toBe('');
    expect(bridge.argsOf('chat.send')).toEqual([{ to: 'bob@localhost', body: 'hello bob' }]);
  });

  it('does not send on Shift+Enter', () => {
    render(<ChatView />);
    const box = screen.getByLabelText('Message to Bob');
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(bridge.argsOf('chat.send')).toEqual([]);
  });

  it('makes http(s) links in a message clickable (a new tab; the Electron host sends it to the browser), nothing else', () => {
    render(<ChatView />);
    act(() => bridge.emit('chat.received', msg('in-link', 'look https://example.org/x, not javascript:alert(1)')));
    const link = within(screen.getByRole('log', { name: 'Conversation' })).getByRole('link', { name: 'https://example.org/x' });
    expect([link.getAttribute('href'), link.getAttribute('target'), link.getAttribute('rel')]).toEqual(['https://example.org/x', '_blank', 'noopener noreferrer']);
    expect(within(screen.getByRole('log', { name: 'Conversation' })).getAllByRole('link')).toHaveLength(1);
    expect(bodies()).toContain('look https://example.org/x, not javascript:alert(1)');
  });

  it('a send error can be dismissed, and goes by itself once the contact is back online', () => {
    render(<ChatView />);
    act(() => transfersStore.setState({ sendErrorByPeer: { 'bob@localhost': 'Could not send the file: bob@localhost is offline' } }));
    expect(screen.getByRole('alert').textContent).toContain('is offline');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
    act(() => transfersStore.setState({ sendErrorByPeer: { 'bob@localhost': 'Could not send the file: bob@localhost is offline' } }));
    act(() => bridge.emit('roster.changed', [rosterItem('bob@localhost', { name: 'Bob', resources: [{ resource: 'phone', show: 'available', status: '', priority: 0 }] })]));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an incoming chat.received event in the open chat', () => {
    render(<ChatView />);
    expect(screen.getByText('No messages yet. Say hello!')).toBeTruthy();
    act(() => bridge.emit('chat.received', msg('in-1', 'hi alice')));
    expect(bodies()).toEqual(['hi alice']);
    expect(screen.getByRole('region', { name: 'Chat with Bob' })).toBeTruthy();
  });

  it('keeps the typed text and shows the error when sending fails', async () => {
    bridge.handle('chat.send', () => { throw { code: 'not-connected', message: 'offline' }; });
    render(<ChatView />);
    const box = screen.getByLabelText('Message to Bob');
    fireEvent.change(box, { target: { value: 'lost?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not connected/);
    // The store shows the error before its send() returns; the box gets the text back one tick later.
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe('lost?'));
  });

  it('lists transfers with this contact as cards fed by transfer.updated', () => {
    render(<ChatView />);
    const summary = {
      id: 't1' as TransferId, batchId: null, direction: 'incoming', peer: 'bob@localhost/phone' as FullJid,
      file: { name: 'photo.jpg', size: 2048, mediaType: 'image/jpeg', date: null, description: '', md5: null },
      state: 'transferring', bytes: 1024, rate: 512, etaSeconds: 2, method: 'si', transport: 'ibb', path: null,
      sha256: null, hash: 'none', url: null, thumbnail: null, resumedFrom: null, reason: null, attempts: [], startedAt: 1, endedAt: null,
    } satisfies TransferSummary;
    act(() => bridge.emit('transfer.updated', summary));
    const card = within(screen.getByRole('log', { name: 'Conversation' })).getByRole('listitem', { name: 'photo.jpg, Transferring' });
    expect(within(card).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50');
    expect(card.textContent).toContain('512 B/s · 2 s left');
  });
});
