import xml from '@xmpp/xml';
import type { ByteStream } from '../../transport/byteStream';
import { connectSocks5 } from '../../transport/socks5/connector';
import { buildActivate, type Streamhost } from '../../xmpp/xep/xep0065Bytestreams';
import type { TransferXmpp } from '../ports';
import { abortable } from './abortable';

/** What a proxy activation needs: the bytestream's sid (SI sid or Jingle transport sid) and its DST.ADDR. */
export interface ProxyActivation {
  xmpp: TransferXmpp;
  proxy: Streamhost;
  sid: string;
  dstAddr: string;
  /** The other party's full JID (the `<activate/>` text). */
  target: string;
  connectTimeoutMs: number;
  resultTimeoutMs: number;
  signal: AbortSignal;
}

/**
 * Seed 004 §6.3 / XEP-0260 §2.4: connect to the proxy with the bytestream's DST.ADDR, then ask the proxy to
 * activate it for the target. The stream is failed and the error says which proxy refused.
 */
export async function connectAndActivateProxy(options: ProxyActivation): Promise<ByteStream> {
  const { proxy } = options;
  const stream = await connectSocks5({
    host: proxy.host, port: proxy.port, dstAddr: options.dstAddr, timeoutMs: options.connectTimeoutMs, signal: options.signal,
  });
  try {
    const activate = xml('iq', { type: 'set', to: proxy.jid }, buildActivate({ sid: options.sid, targetJid: options.target }));
    await abortable(options.xmpp.request(activate, options.resultTimeoutMs), options.signal);
  } catch (error) {
    stream.fail('proxy activation failed');
    throw new Error(`proxy ${proxy.jid} refused activation: ${(error as Error).message}`, { cause: error });
  }
  return stream;
}
