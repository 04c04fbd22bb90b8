import { describe, expect, it } from 'vitest';
import type { BareJid, FullJid } from '../../../../shared/model/jid';
import type { ChatMessage } from '../../../../shared/model/session';
import type { TransferId } from '../../../../shared/model/transfer';
import { BATCH_WINDOW_MS, timelineItems } from '../../../../renderer/features/chat/timelineItems';
import { transfer } from '../../support/transfers';

const msg = (id: string, at: number, direction: ChatMessage['direction'] = 'incoming'): ChatMessage =>
  ({ id, peer: 'bob@localhost' as BareJid, direction, from: 'bob@localhost/phone', body: id, at });
const offer = (id: string, startedAt: number, overrides = {}) => transfer({ id: id as TransferId, startedAt, ...overrides });

const shape = (items: ReturnType<typeof timelineItems>) => items.map((item) => (item.kind === 'offers'
  ? `offers(${item.offers.map((o) => o.id).join(',')})`
  : item.kind === 'message' ? `m:${item.message.id}` : `t:${item.transfer.id}`));

describe('timelineItems', () => {
  it('orders messages by `at` and transfers by `startedAt` in one list, oldest first', () => {
    const done = offer('t-done', 150, { state: 'done' });
    const sending = offer('t-out', 350, { direction: 'outgoing', state: 'transferring' });
    expect(shape(timelineItems([msg('m3', 300), msg('m1', 100), msg('m2', 200)], [sending, done]))).toEqual(['m:m1', 't:t-done', 'm:m2', 'm:m3', 't:t-out']);
  });

  it('keeps the order stable on equal times: messages first in the order given, then transfers by id', () => {
    expect(shape(timelineItems([msg('m2', 100), msg('m1', 100)], [offer('b', 100, { state: 'done' }), offer('a', 100, { state: 'done' })])))
      .toEqual(['m:m2', 'm:m1', 't:a', 't:b']);
  });

  it('makes a pending incoming offer an offers item, and an answered or outgoing one a transfer card', () => {
    const items = timelineItems([], [
      offer('pending', 1), offer('answered', 10_000), offer('sent', 20_000, { direction: 'outgoing' }),
    ], { answered: true });
    expect(shape(items)).toEqual(['offers(pending)', 't:answered', 't:sent']);
  });

  it('groups offers of one drop (same full JID, close in time, nothing between) into one item', () => {
    const items = timelineItems([msg('before', 50), msg('after', 5_000)], [offer('a', 100), offer('b', 110), offer('c', 120)]);
    expect(shape(items)).toEqual(['m:before', 'offers(a,b,c)', 'm:after']);
    expect(items[1]).toMatchObject({ key: 'offers:a', at: 100 });
  });

  it('does not group offers split by a message, from another resource, or further apart than the batch window', () => {
    const other = offer('other', 130, { peer: 'bob@localhost/laptop' as FullJid });
    const late = offer('late', 130 + BATCH_WINDOW_MS + 1, { peer: 'bob@localhost/laptop' as FullJid });
    expect(shape(timelineItems([msg('between', 115)], [offer('a', 100), offer('b', 120), other, late])))
      .toEqual(['offers(a)', 'm:between', 'offers(b)', 'offers(other)', 'offers(late)']);
  });

  it('groups by batchId when the offers carry one, whatever their times', () => {
    const items = timelineItems([], [
      offer('a', 100, { batchId: 'x' }), offer('b', 100 + 2 * BATCH_WINDOW_MS, { batchId: 'x' }), offer('c', 100 + 2 * BATCH_WINDOW_MS + 1, { batchId: 'y' }),
    ]);
    expect(shape(items)).toEqual(['offers(a,b)', 'offers(c)']);
  });

  it('is empty for an empty chat', () => {
    expect(timelineItems([], [])).toEqual([]);
  });
});
