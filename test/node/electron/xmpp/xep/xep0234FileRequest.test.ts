import { describe, expect, it } from 'vitest';
import { buildReason, parseJingle, parseReason, type Jingle } from '../../../../../electron/xmpp/xep/xep0166Jingle';
import {
  FILE_NOT_AVAILABLE_REASON, REQUEST_CONTENT_NAME, buildFileRequest, isFileRequest, parseFileSelector, readFileRequest,
} from '../../../../../electron/xmpp/xep/xep0234FileRequest';
import { NS_JINGLE_FT_ERRORS } from '../../../../../electron/xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_IBB } from '../../../../../electron/xmpp/xep/xep0261JingleIbb';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const SHA1 = 'w0mcJylzCn+AfvuGdqkty2+KP48=';
const SHA256 = '2XarmwTlNxDAMkvymloX3S5+VbylNrJt/l5QyPa+YoU=';

/** XEP-0234 §6.2 Example "File Receiver requests hosted file" (its S5B candidates shortened to one). */
const REQUEST_EXAMPLE = `
<iq from='juliet@capulet.example/yn0cl4bnw0yr3vym' id='wsn361c3' to='romeo@montague.example/dr4hcr0st3lup4c' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='juliet@capulet.example/yn0cl4bnw0yr3vym' sid='uj3b2'>
    <content creator='initiator' name='a-file-request' senders='responder'>
      <description xmlns='urn:xmpp:jingle:apps:file-transfer:5'>
        <file>
          <hash xmlns='urn:xmpp:hashes:2' algo='sha-1'>${SHA1}</hash>
        </file>
      </description>
      <transport xmlns='urn:xmpp:jingle:transports:s5b:1' mode='tcp' sid='xig361fj'>
        <candidate cid='ht567dq' host='192.169.1.10' jid='juliet@capulet.example/yn0cl4bnw0yr3vym' port='6539' priority='8257636' type='direct'/>
      </transport>
    </content>
  </jingle>
</iq>`;

function jingleOf(element: ReturnType<typeof el>): Jingle {
  const parsed = parseJingle(element);
  if (!parsed.ok) throw new Error(parsed.error.text ?? 'parse failed');
  return parsed.value;
}

describe('XEP-0234 file requests (§6.2 Requesting a File, §7 ranges, §9.1 file not available)', () => {
  it('reads the §6.2 example as a request whose selector is the sha-1 hash', () => {
    const request = readFileRequest(jingleOf(payload(REQUEST_EXAMPLE)));
    expect(request).toEqual({ ok: true, value: { name: null, size: null, hashes: [{ algo: 'sha-1', base64: SHA1 }], offset: 0 } });
  });

  it('tells File Offers from File Requests by creator and senders (§4.1 table)', () => {
    const content = (creator: 'initiator' | 'responder', senders: 'initiator' | 'responder') => ({
      creator, senders, name: 'c', disposition: 'session', description: null, transport: null,
    });
    expect(isFileRequest(content('initiator', 'initiator'))).toBe(false);
    expect(isFileRequest(content('initiator', 'responder'))).toBe(true);
    expect(isFileRequest(content('responder', 'initiator'))).toBe(true);
    expect(isFileRequest(content('responder', 'responder'))).toBe(false);
  });

  it('a pushed offer (senders=initiator) is no request', () => {
    const offer = payload(REQUEST_EXAMPLE.replace("senders='responder'", "senders='initiator'"));
    expect(readFileRequest(jingleOf(offer))).toBeNull();
  });

  it('builds a request Ferry and the §6.2 schema agree on: senders=responder, selector with range offset, an IBB transport', () => {
    const built = reparse(buildFileRequest({
      sid: 'req1', initiator: 'bob@localhost/ferry',
      selector: { name: 'x.bin', size: 409_600, hashes: [{ algo: 'sha-256', base64: SHA256 }], offset: 130_910 },
      ibb: { sid: 'ibb1', blockSize: 4096 },
    }));
    const jingle = jingleOf(built);
    expect(jingle).toMatchObject({ action: 'session-initiate', sid: 'req1', initiator: 'bob@localhost/ferry' });
    expect(jingle.contents[0]).toMatchObject({ creator: 'initiator', name: REQUEST_CONTENT_NAME, senders: 'responder' });
    expect(jingle.contents[0]!.transport?.attrs).toMatchObject({ xmlns: NS_JINGLE_IBB, sid: 'ibb1', 'block-size': '4096' });
    expect(readFileRequest(jingle)).toEqual({
      ok: true, value: { name: 'x.bin', size: 409_600, hashes: [{ algo: 'sha-256', base64: SHA256 }], offset: 130_910 },
    });
    // A selector, not an offer: no media-type or date is claimed for a file the requester does not have.
    const file = built.getChild('content')!.getChild('description')!.getChild('file')!;
    expect(file.getChildElements().map((child) => child.name)).toEqual(['name', 'range', 'size', 'hash']);
  });

  it.each([
    ['an empty selector', '<file/>'],
    ['a malformed size', '<file><name>a</name><size>-1</size></file>'],
    ['an offset past the size', "<file><name>a</name><size>10</size><range offset='11'/></file>"],
    ['a malformed offset', "<file><name>a</name><range offset='x'/></file>"],
  ])('refuses %s', (_what, file) => {
    const parsed = parseFileSelector(el(`<description xmlns='urn:xmpp:jingle:apps:file-transfer:5'>${file}</description>`));
    expect(parsed.ok).toBe(false);
  });

  it('says file-not-available as §9.1 prescribes: failed-application plus the FT error element', () => {
    const reason = reparse(buildReason(FILE_NOT_AVAILABLE_REASON));
    expect(reason.getChild('failed-application')).toBeTruthy();
    expect(reason.getChild('file-not-available', NS_JINGLE_FT_ERRORS)).toBeTruthy();
  });

  it('an alternative-session reason carries the new sid (XEP-0166 §7.4)', () => {
    const reason = reparse(buildReason({ condition: 'alternative-session', alternativeSid: 'new1' }));
    expect(parseReason(reason)).toMatchObject({ ok: true, value: { condition: 'alternative-session', alternativeSid: 'new1' } });
  });
});
