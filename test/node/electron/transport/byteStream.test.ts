import { connect, createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchStall, type ByteStream } from '../../../../electron/transport/byteStream';
import { createSocketByteStream, KEEPALIVE_INITIAL_DELAY_MS } from '../../../../electron/transport/socketByteStream';
import { collectingSink, delay } from '../../../support/transportHelpers';

const cleanups: (() => void)[] = [];
afterEach(() => { for (const cleanup of cleanups.splice(0)) cleanup(); });

/** A connected loopback pair: our ByteStream on one end, the raw peer socket on the other. */
async function socketPair(): Promise<{ stream: ByteStream; peer: Socket; client: Socket }> {
  const server = createServer({ allowHalfOpen: true });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect({ port: (server.address() as { port: number }).port, host: '127.0.0.1', allowHalfOpen: true });
  const keepAlive = vi.spyOn(client, 'setKeepAlive');
  const peer = await accepted;
  peer.on('error', () => undefined);
  server.close();
  const stream = createSocketByteStream(client);
  expect(keepAlive).toHaveBeenCalledWith(true, KEEPALIVE_INITIAL_DELAY_MS);
  cleanups.push(() => { stream.dispose(); peer.destroy(); });
  return { stream, peer, client };
}

describe('stall watchdog (issue 7 item 3)', () => {
  it('fires once, with the reason, when no byte moves for the timeout', async () => {
    const { stream, peer } = await socketPair();
    void stream.pipeTo(collectingSink().sink).catch(() => undefined);
    peer.write(Buffer.alloc(1000));
    const reasons: string[] = [];
    const started = Date.now();
    const watch = watchStall(stream, 300, (reason) => { reasons.push(reason); stream.fail(reason); });
    cleanups.push(() => watch.dispose());
    await vi.waitFor(() => expect(reasons).toHaveLength(1), { timeout: 2000, interval: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(reasons[0]).toBe('no data for 0.3 s: the connection stalled');
    expect(stream.state).toBe('failed');
    await delay(400);
    expect(reasons).toHaveLength(1);
  });

  it('does not fire while bytes keep arriving, even over many timeouts', async () => {
    const { stream, peer } = await socketPair();
    void stream.pipeTo(collectingSink().sink).catch(() => undefined);
    let stalled = false;
    const watch = watchStall(stream, 200, () => { stalled = true; });
    cleanups.push(() => watch.dispose());
    for (let i = 0; i < 12; i += 1) { peer.write(Buffer.alloc(100)); await delay(50); }
    expect(stalled).toBe(false);
    watch.dispose();
  });

  it('does not fire after dispose, nor once the stream ended', async () => {
    const { stream } = await socketPair();
    let stalled = false;
    watchStall(stream, 100, () => { stalled = true; }).dispose();
    const other = await socketPair();
    watchStall(other.stream, 100, () => { stalled = true; });
    other.stream.fail('ended');
    await delay(300);
    expect(stalled).toBe(false);
  });
});

describe('TCP keepalive (issue 7 item 3)', () => {
  it('is on for every socket a ByteStream wraps', async () => {
    // socketPair asserts setKeepAlive(true, KEEPALIVE_INITIAL_DELAY_MS) on the wrapped socket.
    const { stream } = await socketPair();
    expect(stream.state).toBe('open');
  });
});
