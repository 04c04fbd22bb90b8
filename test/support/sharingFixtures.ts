/** fast-check material for the server-stored sharing parsers (XEP-0363, -0066, -0231, -0264, seeds 000 and 002). */
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { arbitraryElementOver } from './xepFixtures';

const NAMESPACES = [
  'urn:xmpp:http:upload:0', 'jabber:x:oob', 'urn:xmpp:thumbs:1', 'urn:xmpp:bob', 'http://oneteam.im/bs-proxy',
  'http://www.kontalk.org/extensions/message#upload', 'http://jabber.org/protocol/ibb', 'http://jabber.org/protocol/bytestreams',
  'http://jabber.org/protocol/disco#items', 'urn:ietf:params:xml:ns:xmpp-stanzas', 'jabber:client', 'urn:other',
];

/** Values that have broken URL, size and base64 readers before. */
export const HOSTILE_SHARING_VALUES = [
  '', ' ', '-1', '0', '1', '65535', '65536', '9007199254740993', '1e3', '0x10', ' 7',
  'https://upload.montague.tld/4a77/tr%C3%A8s%20cool.jpg', 'http://127.0.0.1:5280/file_share/x', 'http://[::1]/a', 'http://example.com/a',
  'javascript:alert(1)', 'file:///etc/passwd', 'https://user:pw@evil.example/', 'https://a.example/\u202egpj.exe', 'ftp://x/y',
  'http:example.com', 'cid:sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org', 'sha1+8f35fef110ffc5df08d579a50083ff9308fb6242@bob.xmpp.org',
  'image/png', 'image/jpeg', 'image/svg+xml', 'text/plain', 'not a type', 'Authorization', 'cookie', 'X-Evil', 'Expires',
  'iVBORw0KGgo=', 'AAAA', '====', 'not base64!', 'aebf79a080576ab4687837ecf98c0aaf939a6e4a', 'proxy.localhost', 'jerome@localhost/Gajim',
  '2017-12-03T23:42:05Z', '2017-12-03T23:42:05+01:00', 'kontalkbox', '\r\n', 'x'.repeat(300),
];

/** Random trees over the sharing vocabulary (see arbitraryElementOver). */
export const arbitrarySharingElement: fc.Arbitrary<Element> = arbitraryElementOver({
  names: ['request', 'slot', 'put', 'get', 'header', 'file-too-large', 'max-file-size', 'retry', 'error', 'not-acceptable',
    'resource-constraint', 'forbidden', 'text', 'x', 'url', 'desc', 'body', 'message', 'thumbnail', 'data', 'upload', 'media', 'uri',
    'query', 'item', 'activate', 'activated', 'connect', 'connected', 'streamhost', 'progress'],
  namespaces: NAMESPACES,
  attrs: ['xmlns', 'filename', 'size', 'content-type', 'url', 'name', 'stamp', 'type', 'uri', 'media-type', 'width', 'height', 'cid',
    'max-age', 'seq', 'sid', 'node', 'jid', 'host', 'port', 'sidhash', 'total', 'sent'],
  values: HOSTILE_SHARING_VALUES.filter((value) => value.length < 100),
});
