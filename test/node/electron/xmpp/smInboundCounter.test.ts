import { describe, expect, it } from 'vitest';
import { client, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { countInboundFromEnabled, type CountingClient } from '../../../../electron/xmpp/smInboundCounter';
import { parseXml } from '../../../support/xmlFixture';

const SM = 'urn:xmpp:sm:3';

/** A real @xmpp/client with no socket: elements are fed as the parser would emit them, sends are captured. */
function offlineClient(): { xmpp: Client; feed: (xmlText: string) => void; sent: Element[] } {
  const xmpp = client({ domain: 'localhost', resource: 'ferry', username: 'alice', password: 'x' });
  xmpp.reconnect.stop();
  const sent: Element[] = [];
  (xmpp as unknown as { send: (element: Element) => Promise<void> }).send = async (element) => { sent.push(element); };
  const connection = xmpp as unknown as { _onElement: (element: Element) => void };
  return { xmpp, sent, feed: (xmlText) => connection._onElement(parseXml(xmlText)) };
}

const acks = (sent: Element[]) => sent.filter((e) => e.is('a', SM)).map((e) => Number(e.attrs.h));
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * One read from Prosody as seen in issue 7 item 13: a peer's ping routed to us before <enabled/>, then <enabled/>,
 * a stanza and an <r/> parsed in the same read, before xmpp.js's enabled() ran.
 */
async function loginRace(withFix: boolean): Promise<number[]> {
  const { xmpp, feed, sent } = offlineClient();
  if (withFix) countInboundFromEnabled(xmpp as unknown as CountingClient);
  feed(`<stream:features xmlns:stream="http://etherx.jabber.org/streams"><sm xmlns="${SM}"/></stream:features>`);
  await tick();
  expect(sent.some((e) => e.is('enable', SM))).toBe(true);
  feed('<iq type="get" id="p1" from="raw@localhost/probe" to="alice@localhost/ferry"><ping xmlns="urn:xmpp:ping"/></iq>');
  feed(`<enabled xmlns="${SM}" id="token" resume="true"/>`);
  feed('<presence from="raw@localhost/probe" to="alice@localhost/ferry"/>');
  feed(`<r xmlns="${SM}"/>`);
  await tick();
  feed('<message from="raw@localhost/probe" to="alice@localhost/ferry" type="chat"><body>hi</body></message>');
  feed(`<r xmlns="${SM}"/>`);
  await tick();
  return acks(sent);
}

describe('countInboundFromEnabled (XEP-0198 §5: h starts at zero on receiving <enabled/>)', () => {
  it('counts only the stanzas after <enabled/>, also those parsed in the same read', async () => {
    expect(await loginRace(true)).toEqual([1, 2]);
  });

  it('is needed: xmpp.js alone counts the ping before <enabled/>, then drops the presence after it', async () => {
    // The first h (2) is one more than the server sent after <enabled/>; the second (1) goes backwards.
    expect(await loginRace(false)).toEqual([2, 1]);
  });

  it('starts on an inline <enabled/> in a SASL2 <success/> (XEP-0388, XEP-0386 Bind 2)', () => {
    const { xmpp, feed, sent } = offlineClient();
    countInboundFromEnabled(xmpp as unknown as CountingClient);
    feed('<presence from="raw@localhost/probe"/>');
    feed(`<success xmlns="urn:xmpp:sasl:2"><authorization-identifier>alice@localhost/ferry</authorization-identifier><bound xmlns="urn:xmpp:bind:0"><enabled xmlns="${SM}" id="t"/></bound></success>`);
    feed('<presence from="raw@localhost/probe"/>');
    feed(`<r xmlns="${SM}"/>`);
    expect(acks(sent)).toEqual([1]);
  });
});
