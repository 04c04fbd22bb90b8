import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import xml, { type Element } from '@xmpp/xml';
import {
  NS_ONETEAM_BS_PROXY, ONETEAM_ACTIVATION_ERRORS, ONETEAM_FORM_FIELDS, buildOneteamActivate, buildOneteamActivated, buildOneteamConnect,
  buildOneteamConnected, buildOneteamProgress, hasOneteamProxy, oneteamSidHash, parseOneteamActivate, parseOneteamActivated,
  parseOneteamConnect, parseOneteamConnected, parseOneteamProgress, readOneteamActivationFailure,
  type OneteamActivated, type OneteamConnect, type OneteamProgress,
} from '../../../../../electron/xmpp/xep/oneteamBsProxy';
import { buildStanzaError } from '../../../../../electron/xmpp/xep/stanzaErrors';
import { parseActivate } from '../../../../../electron/xmpp/xep/xep0065Bytestreams';
import { expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { arbitrarySharingElement } from '../../../../support/sharingFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const SIDHASH = 'aebf79a080576ab4687837ecf98c0aaf939a6e4a';
// Seed 000, I.2 "Activate stream".
const ACTIVATE = `<iq type='set' from='jerome@localhost/Gajim' to='proxy.localhost' id='activate'>
  <query xmlns='http://jabber.org/protocol/bytestreams' sid='SID'>
    <activate>jerome2@localhost/Gajim</activate>
    <x xmlns='http://oneteam.im/bs-proxy'/>
  </query></iq>`;
// I.2 result and II.2 push. The seed writes `http://proxy.host:port/…` (a placeholder): here with a port.
const ACTIVATED_SENDER = `<iq type='result' from='proxy.host' to='sender@host/resource' id='activate'>
  <activated xmlns='http://oneteam.im/bs-proxy' url='http://proxy.host:7778/upload'/></iq>`;
const ACTIVATED_RECEIVER = `<iq type='set' from='proxy.host' to='receiver@host2/resource'>
  <activated xmlns='http://oneteam.im/bs-proxy' sidhash="${SIDHASH}" url='http://proxy.host:7778/0f8fad5b-d9cb-469f-a165-70867728950e'/></iq>`;
// II.1 "Request connection to sender supplied streamhosts" and its result.
const CONNECT = `<iq type='set' from='jerome2@localhost/Gajim' to='proxy.localhost' id='connect'>
  <connect xmlns='http://oneteam.im/bs-proxy' sid='SID' jid='jerome@localhost/Gajim'>
    <streamhost jid='proxy.localhost' host='127.0.0.1' port='7777'/>
  </connect></iq>`;
const CONNECTED = `<iq type='result' from='proxy.host' to='receiver@host2/resource' id='connect'>
  <connected xmlns='http://oneteam.im/bs-proxy' jid='proxy.host'/></iq>`;
// III "informing about progress".
const PROGRESS = `<iq type='set' from='proxy.host' to='receiver@host2/resource'>
  <progress xmlns='http://oneteam.im/bs-proxy' sidhash='${SIDHASH}' total='100' sent='30'/></iq>`;
const error = (inner: string, attrs = "type='cancel'") => el(`<iq type='error'><error ${attrs}>${inner}</error></iq>`);

describe('OneTeam bs-proxy: discovery and SIDHASH (seed 000)', () => {
  it('sees the feature a proxy "must publish" in disco#info', () => {
    expect(hasOneteamProxy({ features: ['http://jabber.org/protocol/bytestreams', NS_ONETEAM_BS_PROXY] })).toBe(true);
    expect(hasOneteamProxy({ features: ['http://jabber.org/protocol/bytestreams'] })).toBe(false);
  });

  it("computes the seed's SIDHASH: SHA(SID + sender_jid + receiver_jid) of the example's sid and JIDs", () => {
    expect(oneteamSidHash({ sid: 'SID', senderJid: 'jerome@localhost/Gajim', receiverJid: 'jerome2@localhost/Gajim' })).toBe(SIDHASH);
    expect(ONETEAM_FORM_FIELDS).toEqual({ sidHash: 'SIDHASH', file: 'FILE' });
  });
});

describe('OneTeam bs-proxy: sender (seed 000 I)', () => {
  it('builds the I.2 activation exactly as the seed shows, which a plain XEP-0065 proxy also reads', () => {
    const built = reparse(buildOneteamActivate({ sid: 'SID', targetJid: 'jerome2@localhost/Gajim' }));
    expect(shape(built)).toEqual(shape(payload(ACTIVATE)));
    expect(parseOneteamActivate(payload(ACTIVATE))).toEqual({ ok: true, value: { sid: 'SID', targetJid: 'jerome2@localhost/Gajim' } });
    expect(parseActivate(built).ok).toBe(true);
    expect(parseOneteamActivate(reparse(xml('query', { xmlns: 'http://jabber.org/protocol/bytestreams', sid: 'SID' }, xml('activate', {}, 'a@b/c')))).ok).toBe(false);
  });

  it.each([
    ['the I.2 result: where to POST', ACTIVATED_SENDER, { url: 'http://proxy.host:7778/upload', sidHash: null }],
    ['the II.2 push: where to GET, with the sidhash', ACTIVATED_RECEIVER, { url: 'http://proxy.host:7778/0f8fad5b-d9cb-469f-a165-70867728950e', sidHash: SIDHASH }],
  ])('parses %s and round-trips it', (_label, stanza, expected) => {
    expect(parseOneteamActivated(payload(stanza))).toEqual({ ok: true, value: expected });
    expect(parseOneteamActivated(reparse(buildOneteamActivated(expected)))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["the seed's literal placeholder url 'http://proxy.host:port/upload'", "url='http://proxy.host:port/upload'"],
    ['no url', `sidhash='${SIDHASH}'`],
    ['a file: url', "url='file:///etc/passwd'"],
    ['a sidhash that is not SHA-1 hex', "url='http://proxy.host:7778/x' sidhash='SIDHASH'"],
  ])('refuses an activated with %s', (_label, attrs) => {
    expect(parseOneteamActivated(el(`<activated xmlns='${NS_ONETEAM_BS_PROXY}' ${attrs}/>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it.each([
    ['404 item-not-found: no connection initiated for that JID/SID', error("<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"), 'not-connected'],
    ['409 conflict: already activated', error("<conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"), 'already-activated'],
    ['500 resource-constraint: too many concurrent transfers', error("<resource-constraint xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "type='wait'"), 'too-many-transfers'],
    ['500 internal-server-error', error("<internal-server-error xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"), 'proxy-failure'],
    ['only the legacy code 409', error('', "code='409'"), 'already-activated'],
    ['a condition the seed does not list', error("<forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "type='auth'"), null],
  ])('reads an activation error with %s', (_label, stanza, expected) => {
    expect(readOneteamActivationFailure(stanza)).toBe(expected);
  });

  it('builds the activation errors so that they read back as the same failure', () => {
    for (const [failure, stanzaError] of Object.entries(ONETEAM_ACTIVATION_ERRORS)) {
      expect(readOneteamActivationFailure(reparse(buildStanzaError(stanzaError)))).toBe(failure);
    }
    expect(readOneteamActivationFailure(payload(CONNECTED))).toBeNull();
  });
});

describe('OneTeam bs-proxy: receiver (seed 000 II, III)', () => {
  const SEED_CONNECT: OneteamConnect = { sid: 'SID', senderJid: 'jerome@localhost/Gajim', streamhosts: [{ jid: 'proxy.localhost', host: '127.0.0.1', port: 7777 }] };

  it('builds the II.1 connect exactly as the seed shows and reads it back', () => {
    expect(shape(reparse(buildOneteamConnect(SEED_CONNECT)))).toEqual(shape(payload(CONNECT)));
    expect(parseOneteamConnect(payload(CONNECT))).toEqual({ ok: true, value: SEED_CONNECT });
  });

  it.each([
    ['no sid', "jid='a@b/c'", "<streamhost jid='p' host='127.0.0.1' port='7777'/>"],
    ['no sender jid', "sid='SID'", "<streamhost jid='p' host='127.0.0.1' port='7777'/>"],
    ['no usable streamhost', "sid='SID' jid='a@b/c'", "<streamhost jid='p' host='127.0.0.1' port='0'/><streamhost host='h' port='1'/>"],
  ])('refuses a connect with %s', (_label, attrs, inner) => {
    expect(parseOneteamConnect(el(`<connect xmlns='${NS_ONETEAM_BS_PROXY}' ${attrs}>${inner}</connect>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('parses the II.1 connected and round-trips it', () => {
    expect(parseOneteamConnected(payload(CONNECTED))).toEqual({ ok: true, value: { jid: 'proxy.host' } });
    expect(shape(reparse(buildOneteamConnected({ jid: 'proxy.host' })))).toEqual(shape(payload(CONNECTED)));
    expect(parseOneteamConnected(el(`<connected xmlns='${NS_ONETEAM_BS_PROXY}'/>`)).ok).toBe(false);
  });

  it('parses the III progress and round-trips it', () => {
    const expected = { sidHash: SIDHASH, total: 100, sent: 30 };
    expect(parseOneteamProgress(payload(PROGRESS))).toEqual({ ok: true, value: expected });
    expect(shape(reparse(buildOneteamProgress(expected)))).toEqual(shape(payload(PROGRESS)));
  });

  it.each([
    ['more sent than total', "total='100' sent='101'"],
    ['a negative total', "total='-1' sent='0'"],
    ['no sent', "total='100'"],
  ])('refuses a progress with %s', (_label, attrs) => {
    expect(parseOneteamProgress(el(`<progress xmlns='${NS_ONETEAM_BS_PROXY}' sidhash='${SIDHASH}' ${attrs}/>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
    expect(() => buildOneteamProgress({ sidHash: SIDHASH, total: 1, sent: 2 })).toThrow(RangeError);
  });
});

describe('OneTeam bs-proxy properties', () => {
  const sidHash = fc.stringMatching(/^[0-9a-f]{40}$/);
  const streamhost = fc.record({ jid: fc.constantFrom('proxy.localhost', 'proxy.example.org'), host: fc.constantFrom('127.0.0.1', '::1', 'proxy.example.org'), port: fc.integer({ min: 1, max: 65535 }) });

  it('round-trips any activated, connect and progress', () => {
    const activated: fc.Arbitrary<OneteamActivated> = fc.record({
      url: fc.stringMatching(/^[a-z0-9-]{1,36}$/).map((path) => `http://proxy.example.org:7778/${path}`), sidHash: fc.option(sidHash, { nil: null }),
    });
    fc.assert(fc.property(activated, (value) => {
      expect(parseOneteamActivated(reparse(buildOneteamActivated(value)))).toEqual({ ok: true, value });
    }));
    const connect: fc.Arbitrary<OneteamConnect> = fc.record({
      sid: fc.stringMatching(/^[A-Za-z0-9_-]{1,32}$/), senderJid: fc.constantFrom('jerome@localhost/Gajim', 'a@b.example/r'), streamhosts: fc.array(streamhost, { minLength: 1, maxLength: 4 }),
    });
    fc.assert(fc.property(connect, (value) => {
      expect(parseOneteamConnect(reparse(buildOneteamConnect(value)))).toEqual({ ok: true, value });
    }));
    const progress: fc.Arbitrary<OneteamProgress> = fc.tuple(sidHash, fc.nat(), fc.nat()).map(([hash, a, b]) => ({ sidHash: hash, total: Math.max(a, b), sent: Math.min(a, b) }));
    fc.assert(fc.property(progress, (value) => {
      expect(parseOneteamProgress(reparse(buildOneteamProgress(value)))).toEqual({ ok: true, value });
    }));
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    const fixtures = [ACTIVATE, ACTIVATED_SENDER, ACTIVATED_RECEIVER, CONNECT, CONNECTED, PROGRESS].map((stanza) => payload(stanza).toString());
    fc.assert(fc.property(fc.oneof(arbitrarySharingElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseOneteamActivate(element));
      expectOkOrStanzaError(parseOneteamActivated(element));
      expectOkOrStanzaError(parseOneteamConnect(element));
      expectOkOrStanzaError(parseOneteamConnected(element));
      expectOkOrStanzaError(parseOneteamProgress(element));
      const failure = readOneteamActivationFailure(element);
      expect(failure === null || typeof failure === 'string').toBe(true);
    }), { numRuns: 2000 });
  });
});
