import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TransferId } from '../../../../shared/model/transfer';
import { TransferCard } from '../../../../renderer/features/transfers/TransferCard';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import { useFakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

afterEach(cleanup);

describe('Retry on a transfer card (issue 11, card actions by state)', () => {
  it.each(['failed', 'declined', 'cancelled'] as const)('a %s sent file offers Retry, which starts a new transfer', async (state) => {
    const old = transfer({ id: 'old' as TransferId, direction: 'outgoing', state, reason: state });
    const again = transfer({ id: 'new' as TransferId, direction: 'outgoing', state: 'negotiating' });
    const bridge = useFakeBridge({ 'transfer.retry': () => [again] });
    transfersStore.setState({ byId: { [old.id]: old } });
    render(<ul><TransferCard transfer={old} /></ul>);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(transfersStore.getState().byId.new).toBeDefined());
    expect(bridge.calls).toContainEqual({ name: 'transfer.retry', args: { id: 'old' } });
    expect(transfersStore.getState().byId.old?.state).toBe(state);
  });

  it('is disabled while the host starts the retry, so a double click sends once', async () => {
    const old = transfer({ direction: 'outgoing', state: 'failed', reason: 'stalled' });
    let finish!: (value: never[]) => void;
    const bridge = useFakeBridge({ 'transfer.retry': () => new Promise((resolve) => { finish = resolve; }) });
    render(<ul><TransferCard transfer={old} /></ul>);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    const pending = screen.getByRole('button', { name: 'Retrying…' });
    expect(pending).toHaveProperty('disabled', true);
    fireEvent.click(pending);
    finish([]);
    await screen.findByRole('button', { name: 'Retry' });
    expect(bridge.argsOf('transfer.retry')).toHaveLength(1);
  });

  it('says why the host refused, on the card', async () => {
    const old = transfer({ direction: 'outgoing', state: 'failed', reason: 'bob went offline' });
    useFakeBridge({ 'transfer.retry': () => { throw { code: 'bad-request', message: '"photo.jpg" cannot be sent again: it is no longer there (/tmp/photo.jpg).' }; } });
    render(<ul><TransferCard transfer={old} /></ul>);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not retry: "photo.jpg" cannot be sent again: it is no longer there (/tmp/photo.jpg).');
  });

  it.each([
    ['an incoming failed file (only the sender can offer it again)', { direction: 'incoming', state: 'failed' }],
    ['a running send', { direction: 'outgoing', state: 'transferring' }],
    ['a delivered file', { direction: 'outgoing', state: 'done' }],
  ] as const)('offers no Retry for %s', (_what, overrides) => {
    useFakeBridge({});
    render(<ul><TransferCard transfer={transfer(overrides)} /></ul>);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
