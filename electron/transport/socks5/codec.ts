/**
 * Pure SOCKS5 wire codec (RFC 1928, https://www.rfc-editor.org/rfc/rfc1928) as profiled by XEP-0065
 * SOCKS5 Bytestreams 1.8.2 (https://xmpp.org/extensions/xep-0065.html; seed 004 is 1.8rc3): no
 * authentication, CONNECT only, ATYP 03 (domain name) carrying the DST.ADDR hash, port 0.
 *
 * Encoders return fresh Uint8Arrays. Parsers are incremental: give them every byte received so far and
 * they answer 'need-more', 'parsed' (with how many bytes the message took; anything after it is
 * already bytestream data) or 'error'. They never throw and never touch a socket.
 */
import { createHash } from 'node:crypto';

/** VER byte of every SOCKS5 message (RFC 1928 §3). */
export const SOCKS_VERSION = 0x05;
/** METHOD 00: no authentication required (RFC 1928 §3). */
export const METHOD_NO_AUTH = 0x00;
/** METHOD FF: no acceptable methods; the client MUST close the connection (RFC 1928 §3). */
export const METHOD_NO_ACCEPTABLE = 0xff;
/** CMD 01 CONNECT, the only command XEP-0065 TCP mode uses (XEP-0065 §10.2). */
export const CMD_CONNECT = 0x01;
/** ATYP values (RFC 1928 §4/§5). XEP-0065 hard-codes DOMAINNAME for requests. */
export const ATYP_IPV4 = 0x01;
export const ATYP_DOMAIN = 0x03;
export const ATYP_IPV6 = 0x04;
/** A DOMAINNAME address is prefixed by one length octet, so it holds at most 255 bytes (RFC 1928 §5). */
export const MAX_DOMAIN_LENGTH_BYTES = 255;

/** REP field of a reply (RFC 1928 §6). */
export const REPLY = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  networkUnreachable: 0x03,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  ttlExpired: 0x06,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

/** Why a parser gave up; the listener maps these to a REP code or to closing the socket. */
export type Socks5ErrorCode =
  | 'bad-version'
  | 'no-methods'
  | 'bad-reserved'
  | 'bad-address-type'
  | 'bad-command'
  | 'oversize'
  | 'empty-address';

/**
 * The REP a server sends before closing when a request fails to parse (RFC 1928 §6); errors not
 * listed here get no reply, only a closed socket.
 */
export const REPLY_FOR_ERROR: Readonly<Partial<Record<Socks5ErrorCode, number>>> = {
  'bad-command': REPLY.commandNotSupported,
  'bad-address-type': REPLY.addressTypeNotSupported,
  oversize: REPLY.generalFailure,
  'empty-address': REPLY.generalFailure,
};

/** Result of an incremental parse over the bytes received so far. */
export type ParseStep<T> =
  | { kind: 'need-more' }
  | { kind: 'parsed'; value: T; consumed: number }
  | { kind: 'error'; code: Socks5ErrorCode; message: string };

/** The CONNECT request of RFC 1928 §4 as XEP-0065 uses it. */
export interface ConnectRequest {
  dstAddr: string;
  port: number;
}

/** The reply of RFC 1928 §6. */
export interface Reply {
  reply: number;
  addressType: 'ipv4' | 'domain' | 'ipv6';
  /** Domain as sent, or dotted IPv4, or eight colon-separated hex groups for IPv6. */
  boundAddress: string;
  boundPort: number;
}

const NEED_MORE = { kind: 'need-more' } as const;

function fail(code: Socks5ErrorCode, message: string): ParseStep<never> {
  return { kind: 'error', code, message };
}

/**
 * SHA1(SID + Requester JID + Target JID), hex, lower case: the XEP-0065 DST.ADDR (§5.3.2, §6.3.2).
 * "The JIDs used as input to the hash function MUST be the actual JIDs used for the IQ exchange" and
 * "The appropriate stringprep profiles ... MUST be applied to the JIDs before application of the SHA1
 * hashing algorithm": the caller passes the exact, already-prepared JIDs of the IQ exchange.
 * XEP-0260 (Jingle S5B) hashes with the *candidate owner's* JID first: for candidates the responder
 * offers, call dstAddr(sid, responderJid, initiatorJid) (XEP-0260 §2.2, note on 'dstaddr').
 */
export function dstAddr(sid: string, requesterJid: string, targetJid: string): string {
  return createHash('sha1').update(`${sid}${requesterJid}${targetJid}`, 'utf8').digest('hex');
}

/** Client greeting (RFC 1928 §3): VER, NMETHODS, METHODS. Default: no-auth only. */
export function encodeGreeting(methods: readonly number[] = [METHOD_NO_AUTH]): Uint8Array {
  if (methods.length < 1 || methods.length > 255) throw new RangeError('a greeting carries 1..255 methods');
  // 05 = SOCKS version 5, NN = number of methods, then one byte per method (00 = no authentication)
  return Uint8Array.from([SOCKS_VERSION, methods.length, ...methods]);
}

/** Parses a client greeting on the server side (RFC 1928 §3). */
export function parseGreeting(bytes: Uint8Array): ParseStep<{ methods: number[] }> {
  if (bytes.length < 1) return NEED_MORE;
  if (bytes[0] !== SOCKS_VERSION) return fail('bad-version', `greeting version ${bytes[0]}`);
  if (bytes.length < 2) return NEED_MORE;
  const count = bytes[1];
  if (count === 0) return fail('no-methods', 'greeting offers no authentication method');
  if (bytes.length < 2 + count) return NEED_MORE;
  return { kind: 'parsed', value: { methods: Array.from(bytes.subarray(2, 2 + count)) }, consumed: 2 + count };
}

/** Server's method choice (RFC 1928 §3): 00 no-auth, or FF when nothing offered is acceptable. */
export function encodeMethodChoice(method: number): Uint8Array {
  // 05 = SOCKS version 5, MM = chosen method (00 = no authentication, FF = none acceptable)
  return Uint8Array.from([SOCKS_VERSION, method & 0xff]);
}

/** Parses the server's method choice on the client side (RFC 1928 §3). */
export function parseMethodChoice(bytes: Uint8Array): ParseStep<{ method: number }> {
  if (bytes.length < 1) return NEED_MORE;
  if (bytes[0] !== SOCKS_VERSION) return fail('bad-version', `method choice version ${bytes[0]}`);
  if (bytes.length < 2) return NEED_MORE;
  return { kind: 'parsed', value: { method: bytes[1] }, consumed: 2 };
}

function asciiBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) throw new RangeError('a SOCKS5 domain address must be ASCII');
    out[i] = code;
  }
  return out;
}

/** Header (4 bytes) + length octet + domain + 2 port bytes, shared by request and reply. */
function encodeDomainMessage(secondByte: number, domain: string, port: number): Uint8Array {
  const name = asciiBytes(domain);
  if (name.length < 1 || name.length > MAX_DOMAIN_LENGTH_BYTES) {
    throw new RangeError(`a SOCKS5 domain address holds 1..${MAX_DOMAIN_LENGTH_BYTES} bytes`);
  }
  if (!Number.isInteger(port) || port < 0 || port > 0xffff) throw new RangeError(`bad port ${port}`);
  const out = new Uint8Array(4 + 1 + name.length + 2);
  // 05 = version, CC/RR = command or reply code, 00 = reserved, 03 = ATYP domain name
  out.set([SOCKS_VERSION, secondByte, 0x00, ATYP_DOMAIN], 0);
  // LL = domain length, then the domain bytes (XEP-0065: the 40-char hex DST.ADDR)
  out[4] = name.length;
  out.set(name, 5);
  // PP PP = port, network byte order (XEP-0065: 0)
  out[5 + name.length] = port >> 8;
  out[6 + name.length] = port & 0xff;
  return out;
}

/**
 * CONNECT request (RFC 1928 §4) with XEP-0065's mapping (§10.2): CMD 1, ATYP 3, DST.ADDR the hash,
 * "The port MUST be 0 (zero)."
 */
export function encodeConnectRequest(dstAddrHash: string, port = 0): Uint8Array {
  return encodeDomainMessage(CMD_CONNECT, dstAddrHash, port);
}

/**
 * Reply (RFC 1928 §6). XEP-0065 §5.3.2: "the StreamHost MUST set the BND.ADDR and BND.PORT to the
 * DST.ADDR and DST.PORT values provided by the client in the connection request."
 */
export function encodeReply(options: { reply: number; boundAddress: string; boundPort: number }): Uint8Array {
  return encodeDomainMessage(options.reply & 0xff, options.boundAddress, options.boundPort);
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':');
}

interface AddressPart { addressType: Reply['addressType']; address: string; port: number; end: number }

/** Reads ATYP + address + port starting at offset 3. */
function parseAddress(bytes: Uint8Array, maxDomainBytes: number): ParseStep<AddressPart> {
  if (bytes.length < 4) return NEED_MORE;
  const atyp = bytes[3];
  let start = 4;
  let length: number;
  if (atyp === ATYP_IPV4) length = 4;
  else if (atyp === ATYP_IPV6) length = 16;
  else if (atyp === ATYP_DOMAIN) {
    if (bytes.length < 5) return NEED_MORE;
    length = bytes[4];
    start = 5;
    if (length === 0) return fail('empty-address', 'zero-length domain address');
    if (length > maxDomainBytes) return fail('oversize', `domain address of ${length} bytes`);
  } else return fail('bad-address-type', `ATYP ${atyp}`);
  const end = start + length + 2;
  if (bytes.length < end) return NEED_MORE;
  const raw = bytes.subarray(start, start + length);
  const address = atyp === ATYP_IPV4 ? raw.join('.') : atyp === ATYP_IPV6 ? ipv6Text(raw) : latin1(raw);
  const addressType = atyp === ATYP_IPV4 ? 'ipv4' : atyp === ATYP_IPV6 ? 'ipv6' : 'domain';
  const port = (bytes[end - 2] << 8) | bytes[end - 1];
  return { kind: 'parsed', value: { addressType, address, port, end }, consumed: end };
}

/**
 * Parses a request on the server (listener) side. Only CMD 01 (CONNECT) and ATYP 03 are accepted:
 * XEP-0065 §10.2 "ATYP: Hardcoded to 3 (DOMAINNAME) in this usage". `maxDomainBytes` lets a listener refuse anything longer
 * than a hash early (a SHA-1 hex DST.ADDR is 40 bytes).
 */
export function parseConnectRequest(
  bytes: Uint8Array,
  maxDomainBytes: number = MAX_DOMAIN_LENGTH_BYTES,
): ParseStep<ConnectRequest> {
  const header = checkHeader(bytes);
  if (header) return header;
  if (bytes.length >= 2 && bytes[1] !== CMD_CONNECT) {
    return fail('bad-command', `CMD ${bytes[1]}; only CONNECT is supported (no #udp)`);
  }
  if (bytes.length >= 4 && bytes[3] !== ATYP_DOMAIN) {
    return fail('bad-address-type', `ATYP ${bytes[3]}; XEP-0065 requires 3 (domain name)`);
  }
  const address = parseAddress(bytes, maxDomainBytes);
  if (address.kind !== 'parsed') return address;
  const { address: dstAddrText, port } = address.value;
  return { kind: 'parsed', value: { dstAddr: dstAddrText, port }, consumed: address.consumed };
}

/** Version and reserved octet checks common to requests and replies; null when fine so far. */
function checkHeader(bytes: Uint8Array): ParseStep<never> | null {
  if (bytes.length < 1) return NEED_MORE;
  if (bytes[0] !== SOCKS_VERSION) return fail('bad-version', `version ${bytes[0]}`);
  if (bytes.length >= 3 && bytes[2] !== 0x00) return fail('bad-reserved', `reserved octet ${bytes[2]}`);
  return null;
}

/**
 * Parses a reply on the client (connector) side. Any ATYP of RFC 1928 is read so that a streamhost
 * that echoes an IP address instead of the hash still parses; the caller decides whether to insist.
 */
export function parseReply(bytes: Uint8Array): ParseStep<Reply> {
  const header = checkHeader(bytes);
  if (header) return header;
  const address = parseAddress(bytes, MAX_DOMAIN_LENGTH_BYTES);
  if (address.kind !== 'parsed') return address;
  const { addressType, address: boundAddress, port: boundPort } = address.value;
  return { kind: 'parsed', value: { reply: bytes[1], addressType, boundAddress, boundPort }, consumed: address.consumed };
}
