import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Composer } from '../../../../renderer/features/chat/Composer';
import { PAUSED_AFTER_MS } from '../../../../renderer/features/chat/useChatStateSender';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { chatMessage, PEER, useChatTestBridge } from '../../support/chatTests';

const getBridge = useChatTestBridge();
const msg = chatMessage;

describe('Composer chat states (XEP-0085 §5.2, §5.3)', () => {
  it('sends composing once while typing, paused after the idle time, composing again on new typing', () => {
    vi.useFakeTimers();
    chatsStore.setState({ openJid: PEER });
    render(<Composer name="Bob" />);
    const box = screen.getByRole('textbox');
    for (const text of ['h', 'he', 'hel']) fireEvent.change(box, { target: { value: text } });
    expect(getBridge().argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }]);
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS - 1); });
    fireEvent.change(box, { target: { value: 'hell' } }); // typing again restarts the idle time
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS - 1); });
    expect(getBridge().argsOf('chat.state')).toHaveLength(1);
    act(() => { vi.advanceTimersByTime(1); });
    expect(getBridge().argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }, { to: PEER, state: 'paused' }]);
    fireEvent.change(box, { target: { value: 'hello' } });
    expect(getBridge().argsOf('chat.state')).toHaveLength(3);
  });

  it('sends no paused after the message went (it carried active), and paused to the old peer when the chat closes mid-sentence', async () => {
    vi.useFakeTimers();
    getBridge().handle('chat.send', ({ body }) => msg('s1', { body }));
    chatsStore.setState({ openJid: PEER });
    const { unmount } = render(<Composer name="Bob" />);
    const box = screen.getByRole('textbox');
    fireEvent.change(box, { target: { value: 'hi' } });
    await act(async () => { fireEvent.keyDown(box, { key: 'Enter' }); });
    act(() => { vi.advanceTimersByTime(PAUSED_AFTER_MS * 2); });
    expect(getBridge().argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }]);
    fireEvent.change(box, { target: { value: 'and' } });
    unmount();
    expect(getBridge().argsOf('chat.state')).toEqual([{ to: PEER, state: 'composing' }, { to: PEER, state: 'composing' }, { to: PEER, state: 'paused' }]);
  });
});
