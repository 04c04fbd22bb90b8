import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BareJid } from '../../../../shared/model/jid';
import { reasonSentence, routeSentence, stateSentence } from '../../../../renderer/features/transfers/plainWords';
import { TransferCard } from '../../../../renderer/features/transfers/TransferCard';
import { rosterStore } from '../../../../renderer/stores/rosterStore';
import { useFakeBridge } from '../../support/fakeBridge';
import { transfer } from '../../support/transfers';

beforeEach(() => {
  useFakeBridge({});
  rosterStore.setState(rosterStore.getInitialState(), true);
});
afterEach(cleanup);

describe('plain words for transfers (issue 11)', () => {
  it.each([
    ['outgoing', 'si', 's5b-direct', 'Sent directly'], ['incoming', 'jingle', 's5b-direct', 'Received directly'],
    ['outgoing', 'si', 's5b-proxy', "Sent through the server's relay"], ['outgoing', 'si', 'oneteam', "Sent through the server's relay"],
    ['outgoing', 'jingle', 'ibb', 'Sent in-band (slow path)'], ['outgoing', 'http-upload', 'http', 'Uploaded to the server'],
    ['incoming', 'oob', 'http', 'Downloaded from a link'], ['incoming', 'kontalk', null, 'Downloaded from a link'],
  ] as const)('%s %s/%s reads "%s"', (direction, method, transport, words) => {
    expect(routeSentence(direction, method, transport)).toBe(words);
  });

  it('names no route while neither method nor transport is known', () => {
    expect(routeSentence('outgoing', null, null)).toBeNull();
  });

  it('says "Waiting for Bob to accept" instead of Offered/Negotiating, "Checking the file…" for verifying', () => {
    expect(stateSentence('offered', 'outgoing', 'Bob')).toBe('Waiting for Bob to accept');
    expect(stateSentence('negotiating', 'outgoing', 'Bob')).toBe('Waiting for Bob to accept');
    expect(stateSentence('connecting', 'outgoing', 'Bob')).toBe('Connecting…');
    expect(stateSentence('verifying', 'incoming', 'Bob')).toBe('Checking the file…');
    expect(stateSentence('done', 'incoming', 'Bob')).toBe('Done');
  });

  it('turns errno codes and protocol errors into sentences, and keeps unknown reasons as they are', () => {
    expect(reasonSentence('connect ECONNREFUSED 127.0.0.1:9')).toBe('Failed: the other side could not be reached (connection refused).');
    expect(reasonSentence('Ferry could not understand that request')).toMatch(/^Failed: the other app does not support/);
    expect(reasonSentence('the disk exploded.')).toBe('Failed: the disk exploded.');
  });

  it('uses the roster name in the card and keeps the raw reason behind Details', () => {
    rosterStore.setState({ items: [{ jid: 'bob@localhost' as BareJid, name: 'Bobby', subscription: 'both', isPending: false, groups: [], resources: [] }] });
    render(<ul><TransferCard transfer={transfer({ direction: 'outgoing', state: 'offered', peer: 'bob@localhost/res' })} /></ul>);
    expect(screen.getByRole('listitem').querySelector('.transfer-state')?.textContent).toBe('Waiting for Bobby to accept');
    cleanup();
    render(<ul><TransferCard transfer={transfer({ state: 'failed', reason: 'connect ECONNREFUSED 127.0.0.1:9' })} /></ul>);
    const card = screen.getByRole('listitem');
    expect(card.querySelector('.transfer-plain-reason')?.textContent).toMatch(/could not be reached/);
    const details = card.querySelector('details.transfer-details');
    expect(details?.hasAttribute('open')).toBe(false);
    expect(details?.querySelector('.transfer-reason')?.textContent).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });
});

describe('Remove from list (issue 11)', () => {
  it('asks the core to forget a failed transfer and drops it from the store', async () => {
    const { fireEvent, waitFor } = await import('@testing-library/react');
    const { transfersStore } = await import('../../../../renderer/stores/transfersStore');
    const bridge = useFakeBridge({ 'transfer.remove': () => undefined });
    const failed = transfer({ state: 'declined', direction: 'outgoing', reason: 'bob declined the file' });
    transfersStore.setState({ byId: { [failed.id]: failed } });
    render(<ul><TransferCard transfer={failed} /></ul>);
    fireEvent.click(screen.getByRole('button', { name: 'Remove from list' }));
    await waitFor(() => expect(transfersStore.getState().byId[failed.id]).toBeUndefined());
    expect(bridge.calls).toContainEqual({ name: 'transfer.remove', args: { id: failed.id } });
  });

  it('offers no Remove from list while the transfer runs', () => {
    render(<ul><TransferCard transfer={transfer({ state: 'transferring' })} /></ul>);
    expect(screen.queryByRole('button', { name: 'Remove from list' })).toBeNull();
  });
});
