import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import { DeliveryMark } from '../../../../renderer/features/chat/DeliveryMark';
import { Timeline } from '../../../../renderer/features/chat/Timeline';
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
    render(<Timeline jid={PEER} />);
    expect(screen.queryByText('Delivered')).toBeNull();
    act(() => bridge.emit('chat.delivered', { peer: PEER as BareJid, id: 's2', deliveredAt: 9 }));
    act(() => bridge.emit('chat.delivered', { peer: PEER as BareJid, id: 'in', deliveredAt: 9 }));
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.includes('Delivered'))).toEqual([false, true, false]);
    off();
  });
});
