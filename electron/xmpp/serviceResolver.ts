import { resolveSrv } from 'node:dns/promises';
import { parseService, type ServiceEndpoint } from './connectionOptions';

/** One DNS SRV answer (RFC 2782), as node:dns returns it. */
export interface SrvRecord {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** Looks up SRV records for a name; rejects or returns [] when there are none. */
export type SrvResolver = (name: string) => Promise<SrvRecord[]>;

const SRV_TIMEOUT_MS = 5000;
const FALLBACK_PORT = 5222;

/** The system resolver, bounded in time. */
export const systemSrvResolver: SrvResolver = async (name) => await withTimeout(resolveSrv(name), SRV_TIMEOUT_MS);

/**
 * Where to connect for a domain, best first: an explicit service wins; otherwise `_xmpps-client._tcp`
 * records (direct TLS, XEP-0368), then `_xmpp-client._tcp` (STARTTLS, RFC 6120 §3.2.1), then
 * domain:5222 (RFC 6120 §3.2.2 fallback). A failing lookup counts as no records.
 */
export async function resolveServiceCandidates(options: {
  domain: string;
  service?: string;
  resolver?: SrvResolver;
}): Promise<ServiceEndpoint[]> {
  if (options.service) return [parseService(options.service)];
  const resolver = options.resolver ?? systemSrvResolver;
  const direct = await lookup(resolver, `_xmpps-client._tcp.${options.domain}`);
  const starttls = await lookup(resolver, `_xmpp-client._tcp.${options.domain}`);
  const candidates: ServiceEndpoint[] = [
    ...direct.map((r) => ({ protocol: 'xmpps' as const, host: r.name, port: r.port })),
    ...starttls.map((r) => ({ protocol: 'xmpp' as const, host: r.name, port: r.port })),
  ];
  return candidates.length > 0 ? candidates : [{ protocol: 'xmpp', host: options.domain, port: FALLBACK_PORT }];
}

/**
 * Records in the order RFC 2782 asks for: lowest priority first; within a priority, heavier weight first
 * (deterministic instead of the RFC's weighted random pick). "A Target of '.' means that the service is
 * decidedly not available at this domain" (RFC 2782): such records are dropped.
 */
export function sortSrvRecords(records: SrvRecord[]): SrvRecord[] {
  return records
    .filter((r) => r.name !== '' && r.name !== '.')
    .map((r) => ({ ...r, name: r.name.replace(/\.$/u, '') }))
    .sort((a, b) => a.priority - b.priority || b.weight - a.weight);
}

async function lookup(resolver: SrvResolver, name: string): Promise<SrvRecord[]> {
  try {
    return sortSrvRecords(await resolver(name));
  } catch {
    return [];
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`DNS lookup took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
