import { describe, expect, it } from 'vitest';
import { uploadMaxFileSize } from '../../../../electron/xmpp/serverDiscovery';
import { NS_DISCO_INFO, parseInfo } from '../../../../electron/xmpp/xep/xep0030Disco';
import { parseXml } from '../../../support/xmlFixture';

// XEP-0363 (1.1.0) §3 Example 2: the upload service's disco#info with its XEP-0128 size form.
const UPLOAD_INFO = `
<query xmlns='http://jabber.org/protocol/disco#info'>
  <identity category='store' type='file' name='HTTP File Upload' />
  <feature var='urn:xmpp:http:upload:0' />
  <x type='result' xmlns='jabber:x:data'>
    <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>
    <field var='max-file-size'><value>5242880</value></field>
  </x>
</query>`;

// XEP-0065 (1.8.2): the proxy's answer to a network-address request.
describe('server discovery helpers', () => {
  it('reads max-file-size from the XEP-0363 form (XEP-0128 extended info)', () => {
    expect(uploadMaxFileSize(parseInfo(parseXml(UPLOAD_INFO)))).toBe(5242880);
  });

  it.each([
    ['no form', `<query xmlns='${NS_DISCO_INFO}'><feature var='urn:xmpp:http:upload:0'/></query>`],
    ['a form of another FORM_TYPE', UPLOAD_INFO.replace('<value>urn:xmpp:http:upload:0</value>', '<value>urn:other</value>')],
    ['a value that is not a number', UPLOAD_INFO.replace('5242880', 'lots')],
  ])('gives null for %s', (_name, text) => {
    expect(uploadMaxFileSize(parseInfo(parseXml(text)))).toBeNull();
  });
});
