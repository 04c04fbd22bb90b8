import { connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP relay to a server that keeps a copy of what clients sent (for counting nonzas on the wire). */
export interface TcpTap {
  port: number;
  /** Everything clients sent through the relay, as UTF-8 text. */
  sent(): string;
  close(): Promise<void>;
}

export async function startTcpTap(targetPort: number): Promise<TcpTap> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    client.on('data', (data: Buffer) => { chunks.push(Buffer.from(data)); upstream.write(data); });
    upstream.pipe(client);
    client.on('end', () => upstream.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => { sockets.delete(client); upstream.destroy(); });
    upstream.on('close', () => { sockets.delete(upstream); client.destroy(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('tcpTap: no port');
  return {
    port: address.port,
    sent: () => Buffer.concat(chunks).toString('utf8'),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A loopback TCP relay that moves at most `bytesPerSecond` each way and can be frozen (a stalled path). */
export interface SlowRelay {
  port: number;
  /** Bytes relayed so far, both directions. */
  relayed(): number;
  /** Stops moving bytes (connections stay open): what a stalled network path looks like. */
  freeze(): void;
  close(): Promise<void>;
}

export async function startSlowRelay(targetPort: number, bytesPerSecond: number): Promise<SlowRelay> {
  const sockets = new Set<Socket>();
  let isFrozen = false;
  let relayed = 0;
  /** Forwards from → to, pausing `from` long enough after each chunk to keep to the rate. */
  const pipeSlowly = (from: Socket, to: Socket): void => {
    from.on('data', (data: Buffer) => {
      relayed += data.length;
      to.write(data);
      from.pause();
      if (isFrozen) return;
      setTimeout(() => { if (!isFrozen) from.resume(); }, Math.ceil((data.length / bytesPerSecond) * 1000));
    });
    from.on('end', () => to.end());
    from.on('error', () => to.destroy());
    from.on('close', () => { sockets.delete(from); to.destroy(); });
  };
  const server: Server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    pipeSlowly(client, upstream);
    pipeSlowly(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('slowRelay: no port');
  return {
    port: address.port,
    relayed: () => relayed,
    freeze: () => { isFrozen = true; for (const socket of sockets) socket.pause(); },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
