import xml from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { acceptReceipt, NS_RECEIPTS, readReceipt, receiptFor, receiptRequest } from '../../../../../electron/xmpp/xep/xep0184Receipts';

const asking = (attrs: Record<string, string>, ...children: ReturnType<typeof xml>[]) =>
  xml('message', { from: 'bob@example.org/phone', id: 'm1', type: 'chat', ...attrs }, ...children, xml('request', { xmlns: NS_RECEIPTS }));
const body = () => xml('body', {}, 'hi');

describe('receiptFor (XEP-0184)', () => {
  it('answers a chat message with a body that requests a receipt, to the full JID, with the same id', () => {
    const answer = receiptFor(asking({}, body()));
    expect(answer?.attrs.to).toBe('bob@example.org/phone');
    expect(answer?.getChild('received', NS_RECEIPTS)?.attrs.id).toBe('m1');
    expect(answer?.getChild('request', NS_RECEIPTS)).toBeUndefined();
  });
  it('answers a normal message (type absent)', () => {
    const stanza = asking({}, body());
    delete stanza.attrs.type;
    expect(receiptFor(stanza)).not.toBeNull();
  });
  it.each([
    ['an error message', asking({ type: 'error' }, body())],
    ['a groupchat message (§5.3)', asking({ type: 'groupchat' }, body())],
    ['a headline', asking({ type: 'headline' }, body())],
    ['a message without a body', asking({})],
    ['a message without an id', asking({ id: '' }, body())],
    ['a bare-JID sender', asking({ from: 'bob@example.org' }, body())],
    ['a receipt that also asks for a receipt (§5.4: no loops)', asking({}, body(), xml('received', { xmlns: NS_RECEIPTS, id: 'x' }))],
  ])('does not answer %s', (_name, stanza) => {
    expect(receiptFor(stanza)).toBeNull();
  });
  it('does not answer a message that does not ask', () => {
    expect(receiptFor(xml('message', { from: 'bob@example.org/phone', id: 'm1', type: 'chat' }, body()))).toBeNull();
  });
});

describe('readReceipt and acceptReceipt (XEP-0184 §8)', () => {
  const sentTo = new Map([['m1', 'bob@example.org']]);
  const receipt = (from: string, id = 'm1', type?: string) =>
    xml('message', { from, ...(type ? { type } : {}) }, xml('received', { xmlns: NS_RECEIPTS, id }));

  it('accepts a receipt from the bare JID the id was sent to, any resource, any case', () => {
    const read = readReceipt(receipt('Bob@Example.org/phone'));
    expect(read).toEqual({ id: 'm1', from: 'Bob@Example.org/phone' });
    expect(acceptReceipt(read!, sentTo)).toBe(true);
  });
  it('rejects a receipt from a third party', () => {
    expect(acceptReceipt(readReceipt(receipt('mallory@example.org/x'))!, sentTo)).toBe(false);
  });
  it('rejects a receipt for an unknown id', () => {
    expect(acceptReceipt(readReceipt(receipt('bob@example.org/phone', 'nope'))!, sentTo)).toBe(false);
  });
  it.each([
    ['an error message', receipt('bob@example.org/phone', 'm1', 'error')],
    ['an empty id', receipt('bob@example.org/phone', '')],
    ['an overlong id', receipt('bob@example.org/phone', 'x'.repeat(257))],
    ['no received child', xml('message', { from: 'bob@example.org/phone' }, body())],
  ])('reads nothing from %s', (_name, stanza) => {
    expect(readReceipt(stanza)).toBeNull();
  });
  it('builds the request child', () => {
    expect(receiptRequest().toString()).toBe(`<request xmlns="${NS_RECEIPTS}"/>`);
  });
});
