import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import { Composer } from '../../../../renderer/features/chat/Composer';
import { DeliveryMark } from '../../../../renderer/features/chat/DeliveryMark';
import { MessageList } from '../../../../renderer/features/chat/MessageList';
import { TYPING_TIMEOUT_MS, TypingIndicator } from '../../../../renderer/features/chat/TypingIndicator';
import { PAUSED_AFTER_MS } from '../../../../renderer/features/chat/useChatStateSender';
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

describe('DeliveryMark (XEP-0184)', () => {
  it('shows Delivered only for an outgoing message with a receipt', () => {
    const { rerender } = render(<DeliveryMark message={msg('a')} />);
    expect(screen.queryByText('Delivered')).toBeNull();
    rerender(<DeliveryMark message={msg('a', { direction: 'incoming', deliveredAt: 5 })} />);
    expect(screen.queryByText('Delivered')).toBeNull();
    rerender(<DeliveryMark message={msg('a', { deliveredAt: 5 })} />);
    expect(screen.getByText('Delivered')).toBeTruthy();
  });

  it("marks the sent message when the host's chat.delivered arrives, and only that one", async () => {
    const off = connectStores(api);
    chatsStore.setState({ byPeer: { [PEER]: [msg('s1'), msg('s2'), msg('in', { direction: 'incoming', deliveredAt: undefined })] } });
    render(<MessageList jid={PEER} />);
    expect(screen.queryByText('Delivered')).toBeNull();
    act(() => bridge.emit('chat.delivered', { peer: PEER as BareJid, id: 's2', deliveredAt: 9 }));
    act(() => bridge.emit('chat.delivered', { peer: PEER as BareJid, id: 'in', deliveredAt: 9 }));
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.includes('Delivered'))).toEqual([false, true, false]);
    off();
  });
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

describe('Composer chat states (XEP-0085 §5.2, §5.3)', () => {
  it('sends composing once while typing, paused after the idle time, composing again on new typing', () => {
    vi.useFakeTimers();
    chatsStore.setState({ openJid: PEER });
    render(<Composer name="Bob" />);
    const box = screen.getByRole('textbox');
    for (const text of ['h', 'he', 'hel']) fireEvent.change(box, { target: { value: text } });
    expect(bridge.argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }]);
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS - 1); });
    fireEvent.change(box, { target: { value: 'hell' } }); // typing again restarts the idle time
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS - 1); });
    expect(bridge.argsOf('chat.state')).toHaveLength(1);
    act(() => { vi.advanceTimersByTime(1); });
    expect(bridge.argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }, { to: PEER, state: 'paused' }]);
    fireEvent.change(box, { target: { value: 'hello' } });
    expect(bridge.argsOf('chat.state')).toHaveLength(3);
  });

  it('sends no paused after the message went (it carried active), and paused to the old peer when the chat closes mid-sentence', async () => {
    vi.useFakeTimers();
    bridge.handle('chat.send', ({ body }) => msg('s1', { body }));
    chatsStore.setState({ openJid: PEER });
    const { unmount } = render(<Composer name="Bob" />);
    const box = screen.getByRole('textbox');
    fireEvent.change(box, { target: { value: 'hi' } });
    await act(async () => { fireEvent.keyDown(box, { key: 'Enter' }); });
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS * 2); });
    expect(bridge.argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }]);
    fireEvent.change(box, { target: { value: 'and' } });
    unmount();
    expect(bridge.argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }, { to: PEER, state: 'composing' }, { to: PEER, state: 'paused' }]);
  });
});
