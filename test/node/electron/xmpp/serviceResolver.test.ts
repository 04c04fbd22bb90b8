import { describe, expect, it } from 'vitest';
import { resolveServiceCandidates, sortSrvRecords, type SrvRecord, type SrvResolver } from '../../../../electron/xmpp/serviceResolver';

function resolverOf(records: Record<string, SrvRecord[]>, asked: string[] = []): SrvResolver {
  return async (name) => {
    asked.push(name);
    const found = records[name];
    if (!found) throw Object.assign(new Error(`queryNotFound ${name}`), { code: 'ENOTFOUND' });
    return found;
  };
}

const srv = (name: string, port: number, priority = 0, weight = 0): SrvRecord => ({ name, port, priority, weight });

describe('service resolution (RFC 6120 §3.2, XEP-0368)', () => {
  it('uses an explicit service without any DNS lookup', async () => {
    const asked: string[] = [];
    const result = await resolveServiceCandidates({ domain: 'example.org', service: 'xmpps://10.0.0.5:5223', resolver: resolverOf({}, asked) });
    expect(result).toEqual([{ protocol: 'xmpps', host: '10.0.0.5', port: 5223 }]);
    expect(asked).toEqual([]);
  });

  it('puts _xmpps-client (direct TLS) before _xmpp-client (STARTTLS)', async () => {
    const result = await resolveServiceCandidates({
      domain: 'example.org',
      resolver: resolverOf({
        '_xmpp-client._tcp.example.org': [srv('xmpp.example.org.', 5222)],
        '_xmpps-client._tcp.example.org': [srv('tls.example.org.', 443)],
      }),
    });
    expect(result).toEqual([
      { protocol: 'xmpps', host: 'tls.example.org', port: 443 },
      { protocol: 'xmpp', host: 'xmpp.example.org', port: 5222 },
    ]);
  });

  it('falls back to domain:5222 when there are no records (RFC 6120 §3.2.2)', async () => {
    const asked: string[] = [];
    const result = await resolveServiceCandidates({ domain: 'example.org', resolver: resolverOf({}, asked) });
    expect(result).toEqual([{ protocol: 'xmpp', host: 'example.org', port: 5222 }]);
    expect(asked).toEqual(['_xmpps-client._tcp.example.org', '_xmpp-client._tcp.example.org']);
  });

  it('falls back too when every record says "." (service decidedly not available, RFC 2782)', async () => {
    const result = await resolveServiceCandidates({
      domain: 'example.org', resolver: resolverOf({ '_xmpp-client._tcp.example.org': [srv('.', 0)] }),
    });
    expect(result).toEqual([{ protocol: 'xmpp', host: 'example.org', port: 5222 }]);
  });

  it('orders records by priority ascending, then weight descending (RFC 2782)', () => {
    const sorted = sortSrvRecords([srv('c', 1, 20, 0), srv('b', 2, 10, 5), srv('a', 3, 10, 50), srv('.', 4, 0, 0)]);
    expect(sorted.map((r) => r.name)).toEqual(['a', 'b', 'c']);
  });
});
