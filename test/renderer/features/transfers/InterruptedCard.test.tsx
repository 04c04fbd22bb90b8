import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferSummary } from '../../../../shared/model/transfer';
import { TransferCard } from '../../../../renderer/features/transfers/TransferCard';
import { transfersStore } from '../../../../renderer/stores/transfersStore';
import { useFakeBridge, type FakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

let bridge: FakeBridge;
const NOTE = 'Ask bob@localhost to send big.bin again: Ferry will continue from the 4096 bytes it kept.';
beforeEach(() => {
  transfersStore.setState(transfersStore.getInitialState(), true);
  bridge = useFakeBridge({ 'transfer.resume': () => ({ transfer: null, note: NOTE }), 'transfer.resend': () => [] });
});
afterEach(cleanup);

function renderCard(summary: TransferSummary) {
  render(<ul><TransferCard transfer={summary} /></ul>);
  return screen.getByRole('listitem');
}

describe('an interrupted transfer after a restart (issue #10)', () => {
  const stopped = { state: 'interrupted', bytes: 4096, reason: 'Ferry was closed while this transfer was running', endedAt: 9 } as const;

  it('reads "Interrupted" with why, and an incoming one offers Resume, which shows what to do when the sender must send again', async () => {
    const card = renderCard(transfer({ ...stopped, direction: 'incoming' }));
    expect(card.getAttribute('aria-label')).toMatch(/Interrupted$/);
    expect(card.querySelector('.transfer-state')?.textContent).toBe('Interrupted');
    expect(card.textContent).toMatch(/Ferry was closed while this transfer was running\. Resume to continue it\./);
    expect(within(card).queryByRole('button', { name: 'Resend' })).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(within(card).getByRole('status').textContent).toBe(NOTE));
    expect(bridge.argsOf('transfer.resume')).toEqual([{ id: 't1' }]);
  });

  it('while Resume asks the sender (it can take a while), the card says so and Resume cannot be pressed again', async () => {
    let answer: (value: { transfer: null; note: string }) => void = () => undefined;
    bridge.handle('transfer.resume', () => new Promise((resolve) => { answer = resolve; }));
    const card = renderCard(transfer({ ...stopped, direction: 'incoming', peer: 'bob@localhost/ferry' }));
    const resume = within(card).getByRole('button', { name: 'Resume' });
    fireEvent.click(resume);
    await waitFor(() => expect(within(card).getByRole('status').textContent).toBe('Asking bob@localhost for it again…'));
    expect((resume as HTMLButtonElement).disabled).toBe(true);
    answer({ transfer: null, note: NOTE });
    await waitFor(() => expect(within(card).getByRole('status').textContent).toBe(NOTE));
    expect((resume as HTMLButtonElement).disabled).toBe(false);
  });

  it('an outgoing one offers Resend, and is dropped from the list once resent', async () => {
    const summary = transfer({ ...stopped, direction: 'outgoing' });
    transfersStore.getState().upsert(summary);
    const card = renderCard(summary);
    expect(within(card).queryByRole('button', { name: 'Resume' })).toBeNull();
    fireEvent.click(within(card).getByRole('button', { name: 'Resend' }));
    await waitFor(() => expect(transfersStore.getState().byId[summary.id]).toBeUndefined());
    expect(bridge.argsOf('transfer.resend')).toEqual([{ id: summary.id }]);
  });
});
