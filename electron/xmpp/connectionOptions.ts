import { isIP } from 'node:net';
import { FerryError } from '../../shared/ipc/wireError';

/** Where to open the XMPP stream: STARTTLS on `xmpp`, TLS from the first byte on `xmpps` (XEP-0368). */
export interface ServiceEndpoint {
  protocol: 'xmpp' | 'xmpps';
  host: string;
  port: number;
}

const DEFAULT_PORT = { xmpp: 5222, xmpps: 5223 } as const;
const SERVICE_RE = /^(xmpps?):\/\/(\[[0-9a-fA-F:.]+\]|[^/:[\]\s]+)(?::(\d{1,5}))?\/?$/u;

/** Parses `xmpp://host:port` or `xmpps://host:port` (IPv6 in brackets); throws FerryError('bad-request'). */
export function parseService(service: string): ServiceEndpoint {
  const match = SERVICE_RE.exec(service.trim());
  if (!match) throw new FerryError('bad-request', `not an XMPP service address (xmpp://host:port or xmpps://host:port): ${service}`);
  const protocol = match[1] as 'xmpp' | 'xmpps';
  const host = match[2].replace(/^\[(.*)\]$/u, '$1');
  const port = match[3] === undefined ? DEFAULT_PORT[protocol] : Number(match[3]);
  if (port < 1 || port > 65535) throw new FerryError('bad-request', `port out of range in ${service}`);
  return { protocol, host, port };
}

/** The service string @xmpp/client expects; IPv6 hosts are bracketed. */
export function formatService(endpoint: ServiceEndpoint): string {
  const host = isIP(endpoint.host) === 6 ? `[${endpoint.host}]` : endpoint.host;
  return `${endpoint.protocol}://${host}:${endpoint.port}`;
}

/** True for 127.0.0.0/8, ::1 (also IPv4-mapped loopback) and localhost: traffic that never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/u, '$1').replace(/\.$/u, '');
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return name.startsWith('127.');
  if (isIP(name) === 6) {
    if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/u.exec(name);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}

/**
 * TLS is required unless the user allowed plaintext AND the service is on this machine: a password must
 * never cross a network in the clear (RFC 6120 §13.9.4 would have clients refuse unprotected SASL PLAIN).
 */
export function isPlaintextAllowed(options: { allowPlaintext?: boolean; host: string }): boolean {
  return options.allowPlaintext === true && isLoopbackHost(options.host);
}

/** True when host is an IPv4 or IPv6 literal: then the stream needs an explicit `domain`. */
export function isIpAddress(host: string): boolean {
  return isIP(host) !== 0;
}
