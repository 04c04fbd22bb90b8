import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import { TYPING_TIMEOUT_MS, TypingIndicator } from '../../../../renderer/features/chat/TypingIndicator';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { api } from '../../../../renderer/api';
import { chatMessage, PEER, useChatTestBridge } from '../../support/chatTests';

const getBridge = useChatTestBridge();
const msg = chatMessage;

describe('TypingIndicator (XEP-0085)', () => {
  it('shows "Bob is typing…" on composing, clears it on paused, on their message, and after the timeout', () => {
    vi.useFakeTimers();
    const off = connectStores(api);
    render(<TypingIndicator jid={PEER} name="Bob" />);
    const status = screen.getByRole('status');
    expect(status.textContent).toBe('');
    act(() => getBridge().emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
    expect(status.textContent).toBe('Bob is typing…');
    act(() => getBridge().emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'paused' }));
    expect(status.textContent).toBe('');
    act(() => getBridge().emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
    act(() => getBridge().emit('chat.received', msg('r1', { direction: 'incoming', deliveredAt: undefined })));
    expect(status.textContent).toBe('');
    act(() => getBridge().emit('chat.stateChanged', { peer: PEER as BareJid, from: `${PEER}/phone`, state: 'composing' }));
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
