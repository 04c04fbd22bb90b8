/**
 * A scripted SI peer (carol@localhost/<random>) on a raw @xmpp/client, for what a well-behaved Ferry never
 * does: send more or fewer bytes than it offered, stall, log off right after its last write, or reset the
 * stream after the last byte. It speaks XEP-0095/0096, XEP-0065 (as initiator with its own streamhost, and
 * as target through Ferry's own SOCKS5 connector) and XEP-0047 by hand.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { client, xml, type Client } from '@xmpp/client';
import type { Element } from '@xmpp/xml';
import { encodeMethodChoice, encodeReply, parseConnectRequest, parseGreeting, dstAddr } from '../../../electron/transport/socks5/codec';
import { connectSocks5 } from '../../../electron/transport/socks5/connector';
import type { ByteStream } from '../../../electron/transport/byteStream';
import type { LocalProsody } from '../../support/prosody';
import { countInboundFromEnabled, type CountingClient } from '../../../electron/xmpp/smInboundCounter';

export const NS_SI = 'http://jabber.org/protocol/si';
export const NS_FT = 'http://jabber.org/protocol/si/profile/file-transfer';
const NS_FNEG = 'http://jabber.org/protocol/feature-neg';
const NS_X = 'jabber:x:data';
export const NS_IBB = 'http://jabber.org/protocol/ibb';
export const NS_BS = 'http://jabber.org/protocol/bytestreams';

export interface ScriptedPeer {
  xmpp: Client;
  jid: string;
  /** Offers `size` bytes with the given stream methods; resolves with the sid once accepted. */
  offer(to: string, name: string, size: number, methods: string[]): Promise<string>;
  /** XEP-0065 initiator: offers its own streamhost and resolves with the socket once the target connected. */
  s5bConnected(to: string, sid: string): Promise<Socket>;
  /**
   * XEP-0047 in <iq/>, stop-and-wait, then `<close/>` unless `close` is false; stops at the first refused
   * block. Returns the blocks acknowledged.
   */
  ibbSend(to: string, sid: string, data: Buffer, options?: { blockSize?: number; close?: boolean }): Promise<number>;
  /** As receiver: accept offers with bytestreams; `onStream` gets the target's stream once connected. */
  receiveS5b(onStream: (stream: ByteStream, size: number) => void): void;
  /**
   * As receiver: accept offers with IBB; count the bytes of data in <message/> or <iq/>. When
   * `answerClose` is false the `<close/>` gets no answer at all (a receiver that went away).
   */
  receiveIbb(options: { answerClose: boolean }): { bytes(): number };
  stop(): Promise<void>;
}

const payloadOf = (ctx: { stanza: Element }): Element => ctx.stanza.getChildElements()[0];

export async function scriptedPeer(server: LocalProsody, user = 'carol'): Promise<ScriptedPeer> {
  const resource = `raw-${randomBytes(4).toString('hex')}`;
  const xmpp = client({ timeout: 10_000, service: server.service, domain: 'localhost', username: user, password: `${user}-pw`, resource });
  xmpp.reconnect.stop();
  xmpp.on('error', () => undefined);
  const jid = `${user}@localhost/${resource}`;
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  const offers = new Map<string, number>();
  countInboundFromEnabled(xmpp as unknown as CountingClient); // bare xmpp.js miscounts XEP-0198 h at login
  await xmpp.start();
  await xmpp.send(xml('presence'));

  const request = (to: string, child: Element): Promise<Element> => xmpp.iqCaller.request(xml('iq', { type: 'set', to }, child), 10_000);

  return {
    xmpp, jid,
    async offer(to, name, size, methods) {
      const sid = `raw-${randomBytes(6).toString('hex')}`;
      const options = methods.map((m) => xml('option', {}, xml('value', {}, m)));
      const form = xml('x', { xmlns: NS_X, type: 'form' }, xml('field', { var: 'stream-method', type: 'list-single' }, ...options));
      const file = xml('file', { xmlns: NS_FT, name, size: String(size) });
      await request(to, xml('si', { xmlns: NS_SI, id: sid, profile: NS_FT, 'mime-type': 'application/octet-stream' }, file, xml('feature', { xmlns: NS_FNEG }, form)));
      return sid;
    },
    async s5bConnected(to, sid) {
      let resolveSocket: (socket: Socket) => void = () => undefined;
      const connected = new Promise<Socket>((resolve) => { resolveSocket = resolve; });
      const host = createServer({ allowHalfOpen: true }, (socket) => {
        sockets.push(socket);
        socket.on('error', () => undefined);
        let buffer = Buffer.alloc(0);
        let stage: 'greeting' | 'request' | 'done' = 'greeting';
        const onData = (chunk: Buffer): void => {
          buffer = Buffer.concat([buffer, chunk]);
          if (stage === 'greeting') {
            const step = parseGreeting(buffer);
            if (step.kind !== 'parsed') return;
            buffer = buffer.subarray(step.consumed);
            socket.write(encodeMethodChoice(0)); // 05 00: no authentication
            stage = 'request';
          }
          if (stage === 'request') {
            const step = parseConnectRequest(buffer);
            if (step.kind !== 'parsed') return;
            stage = 'done';
            socket.off('data', onData);
            socket.write(encodeReply({ reply: 0, boundAddress: step.value.dstAddr, boundPort: 0 }));
            resolveSocket(socket);
          }
        };
        socket.on('data', onData);
      });
      servers.push(host);
      await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
      const { port } = host.address() as { port: number };
      const query = xml('query', { xmlns: NS_BS, sid, mode: 'tcp' }, xml('streamhost', { jid, host: '127.0.0.1', port: String(port) }));
      const [socket] = await Promise.all([connected, request(to, query)]);
      return socket;
    },
    async ibbSend(to, sid, data, { blockSize = 4096, close = true } = {}) {
      await request(to, xml('open', { xmlns: NS_IBB, sid, 'block-size': String(blockSize), stanza: 'iq' }));
      let acked = 0;
      for (let seq = 0, at = 0; at < data.length; seq += 1, at += blockSize) {
        const block = data.subarray(at, at + blockSize).toString('base64');
        try { await request(to, xml('data', { xmlns: NS_IBB, sid, seq: String(seq) }, block)); } catch { return acked; }
        acked += 1;
      }
      if (close) await request(to, xml('close', { xmlns: NS_IBB, sid })).catch(() => undefined);
      return acked;
    },
    receiveS5b(onStream) {
      xmpp.iqCallee.set(NS_SI, 'si', (ctx) => {
        const si = payloadOf(ctx);
        offers.set(String(si.attrs.id), Number(si.getChild('file', NS_FT)?.attrs.size));
        const form = xml('x', { xmlns: NS_X, type: 'submit' }, xml('field', { var: 'stream-method' }, xml('value', {}, NS_BS)));
        return xml('si', { xmlns: NS_SI }, xml('feature', { xmlns: NS_FNEG }, form));
      });
      xmpp.iqCallee.set(NS_BS, 'query', async (ctx) => {
        const query = payloadOf(ctx);
        const sid = String(query.attrs.sid);
        const host = query.getChildren('streamhost')[0];
        const from = String(ctx.stanza.attrs.from);
        const stream = await connectSocks5({ host: String(host.attrs.host), port: Number(host.attrs.port), dstAddr: dstAddr(sid, from, jid) });
        onStream(stream, offers.get(sid) ?? 0);
        return xml('query', { xmlns: NS_BS, sid }, xml('streamhost-used', { jid: String(host.attrs.jid) }));
      });
    },
    receiveIbb({ answerClose }) {
      let bytes = 0;
      xmpp.iqCallee.set(NS_SI, 'si', () => {
        const form = xml('x', { xmlns: NS_X, type: 'submit' }, xml('field', { var: 'stream-method' }, xml('value', {}, NS_IBB)));
        return xml('si', { xmlns: NS_SI }, xml('feature', { xmlns: NS_FNEG }, form));
      });
      xmpp.iqCallee.set(NS_IBB, 'open', () => true);
      xmpp.iqCallee.set(NS_IBB, 'data', (ctx) => { bytes += Buffer.from(payloadOf(ctx).text(), 'base64').length; return true; });
      xmpp.on('stanza', (stanza: Element) => {
        const data = stanza.is('message') ? stanza.getChild('data', NS_IBB) : undefined;
        if (data) bytes += Buffer.from(data.text(), 'base64').length;
      });
      xmpp.iqCallee.set(NS_IBB, 'close', () => (answerClose ? true : new Promise<never>(() => undefined)));
      return { bytes: () => bytes };
    },
    async stop() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
      await xmpp.stop().catch(() => undefined);
    },
  };
}

