import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import { TYPING_TIMEOUT_MS, TypingIndicator } from '../../../../renderer/features/chat/TypingIndicator';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { api } from '../../../../renderer/api';
import { useFakeBridge, type FakeBridge } from '../../support/fakeBridge';

const PEER = 'bob@localhost';
const msg = (id: string, overrides: Partial<ChatMessage> = {}): ChatMessage => ({
  id, peer: PEER as BareJid, direction: 'outgoing', from: 'alice@localhost/ferry', body: `body ${id}`, at: 1_000, deliveredAt: null, ...overrides,
});

let bridge: FakeBridge;
beforeEach(() => {
  bridge = useFakeBridge();
  bridge.handle('chat.state', () => undefined);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('TypingIndicator (XEP-0085)', () => {
  it('shows "Bob is typing…" on composing, clears it on paused, on their message, and after the timeout', () => {
    vi.useFakeTimers();
    const off = connectStores(api);
    render(<TypingIndicator jid={PEER} name="Bob" />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('');
    act(() => bridge.emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
    expect(status.textContent).toBe('Bob is typing…');
    act(() => bridge.emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'paused' }));
    expect(status.textContent).toBe('');
    act(() => bridge.emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
    act(() => bridge.emit('chat.received', msg('r1', { direction: 'incoming', deliveredAt: undefined })));
    expect(status.textContent).toBe('');
    act(() => bridge.emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
    act(() => { vi.advanceTimersByTime(TYPING_TIMEOUT_MS - 1); });
    expect(status.textContent).toBe('Bob is typing…');
    act(() => { vi.advanceTimersByTime(1); });
    expect(status.textContent).toBe('');
    off();
  });

  it("does not show another contact's typing in this chat", () => {
    render(<TypingIndicator jid={PEER} name="Bob" />);
    act(() => chatsStore.getState().receiveState({ peer: 'carol@localhost', state: 'composing' }));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
