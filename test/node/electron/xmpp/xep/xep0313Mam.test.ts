import xml from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { NS_MAM, buildMamQuery, readMamFin, readMamResult } from '../../../../../electron/xmpp/xep/xep0313Mam';
import { NS_FORWARD } from '../../../../../electron/xmpp/xep/xep0297Forward';
import { NS_DELAY } from '../../../../../electron/xmpp/xep/xep0203Delay';
import { NS_RSM } from '../../../../../electron/xmpp/xep/xep0059Rsm';

const OWN = 'juliet@capulet.lit';
const QUERY = 'f27';
const original = xml('message', { xmlns: 'jabber:client', from: 'witch@shakespeare.lit', to: 'macbeth@shakespeare.lit' }, xml('body', {}, 'Hail to thee'));
const result = (attrs: Record<string, string | undefined>, queryid: string | null = QUERY, id: string | null = '28482-98726-73623') =>
  xml('message', { id: 'aeb213', to: `${OWN}/chamber`, ...attrs },
    xml('result', { xmlns: NS_MAM, queryid: queryid ?? undefined, id: id ?? undefined },
      xml('forwarded', { xmlns: NS_FORWARD }, xml('delay', { xmlns: NS_DELAY, stamp: '2010-07-10T23:08:25Z' }), original)));

describe('XEP-0313 MAM', () => {
  it('builds a query with a with filter and an RSM page (§4.1.1, Example 5)', () => {
    const iq = buildMamQuery({ queryId: QUERY, with: 'juliet@capulet.lit', page: { max: 50, before: 'S9' } });
    const query = iq.getChild('query', NS_MAM)!;
    expect(query.attrs.queryid).toBe(QUERY);
    const fields = query.getChild('x', 'jabber:x:data')!.getChildren('field');
    expect(fields.map((f) => [f.attrs.var, f.getChildText('value')])).toEqual([['FORM_TYPE', NS_MAM], ['with', 'juliet@capulet.lit']]);
    const set = query.getChild('set', NS_RSM)!;
    expect([set.getChildText('max'), set.getChildText('before'), set.getChild('after')]).toEqual(['50', 'S9', undefined]);
  });
  it('reads a result from the own archive with its original time (§4.2 Example 6)', () => {
    for (const from of [undefined, OWN, 'Juliet@Capulet.lit']) {
      const read = readMamResult(result({ from }), { ownBare: OWN, queryId: QUERY });
      expect(read.ok && [read.value.archiveId, read.value.stamp, read.value.message.getChildText('body')])
        .toEqual(['28482-98726-73623', Date.UTC(2010, 6, 10, 23, 8, 25), 'Hail to thee']);
    }
  });
  it.each([
    ['from a contact (not our archive)', result({ from: 'romeo@montague.lit' })],
    ['from our full JID', result({ from: `${OWN}/balcony` })],
    ['of a query we did not send', result({}, 'other')],
    ['without a queryid', result({}, null)],
    ['without an id', result({}, QUERY, null)],
    ['without a forwarded message', xml('message', {}, xml('result', { xmlns: NS_MAM, queryid: QUERY, id: 'x' }))],
  ])('refuses a result %s', (_name, stanza) => {
    expect(readMamResult(stanza, { ownBare: OWN, queryId: QUERY }).ok).toBe(false);
  });
  it('reads the fin with its page bounds and completeness (§4.3)', () => {
    const fin = xml('iq', { type: 'result' }, xml('fin', { xmlns: NS_MAM, complete: 'true' },
      xml('set', { xmlns: NS_RSM }, xml('first', { index: '0' }, 'A'), xml('last', {}, 'B'))));
    expect(readMamFin(fin)).toEqual({ ok: true, value: { isComplete: true, first: 'A', last: 'B' } });
    expect(readMamFin(xml('iq', { type: 'result' }, xml('fin', { xmlns: NS_MAM })))).toEqual({ ok: true, value: { isComplete: false, first: null, last: null } });
    expect(readMamFin(xml('iq', { type: 'result' })).ok).toBe(false);
  });
});
