import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import { DeliveryMark } from '../../../../renderer/features/chat/DeliveryMark';
import { Timeline } from '../../../../renderer/features/chat/Timeline';
import { connectStores } from '../../../../renderer/stores/connectStores';
import { chatsStore } from '../../../../renderer/stores/chatsStore';
import { api } from '../../../../renderer/api';
import { chatMessage, PEER, useChatTestBridge } from '../../support/chatTests';

const getBridge = useChatTestBridge();
const msg = chatMessage;

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
    act(() => getBridge().emit('chat.delivered', { peer: PEER as BareJid, id: 's2', deliveredAt: 9 }));
    act(() => getBridge().emit('chat.delivered', { peer: PEER as BareJid, id: 'in', deliveredAt: 9 }));
    const items = screen.getAllByRole('listitem');
    expect(items.map((li) => li.textContent?.includes('Delivered'))).toEqual([false, true, false]);
    off();
  });
});
