import { describe, expect, it, vi } from 'vitest';
import { createIbbStream, IbbBlockRefused, type IbbStream } from '../../../../../electron/transport/ibb/ibbStream';
import { chunkedSource, collectingSink, delay, hashingSink, randomPayload, sha256, waitFor } from '../../../../support/transportHelpers';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** A fake `<iq/>` peer: records blocks, acknowledges them later, in order, and tracks the window. */
function fakeAckingPeer() {
  const seqs: number[] = [];
  const blocks: Buffer[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const sendBlock = vi.fn((seq: number, bytes: Uint8Array) => {
    seqs.push(seq);
    blocks.push(Buffer.from(bytes));
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    return new Promise<void>((resolve) => setImmediate(() => { inFlight -= 1; resolve(); }));
  });
  const sendClose = vi.fn(() => Promise.resolve());
  return { sendBlock, sendClose, seqs, bytes: () => Buffer.concat(blocks), maxInFlight: () => maxInFlight };
}

/** Two IBB streams wired back to back through base64, as the XMPP layer would. */
function ibbPair(options: { blockSize: number; window: number }): { sender: IbbStream; receiver: IbbStream; seqs: number[] } {
  const seqs: number[] = [];
  const receiver: IbbStream = createIbbStream({
    blockSize: options.blockSize,
    sendBlock: () => Promise.reject(new Error('receiver sends nothing')),
    sendClose: async () => sender.peerClosed(),
  });
  const sender: IbbStream = createIbbStream({
    ...options,
    sendBlock: (seq, bytes) => {
      seqs.push(seq);
      return receiver.pushBlock(seq, b64(bytes));
    },
    sendClose: async () => receiver.peerClosed(),
  });
  return { sender, receiver, seqs };
}

describe('IBB stream, sending', () => {
  it('keeps at most 8 blocks unacknowledged and sends <close/> after the last ack', async () => {
    const peer = fakeAckingPeer();
    const stream = createIbbStream({ blockSize: 4096, window: 8, sendBlock: peer.sendBlock, sendClose: peer.sendClose });
    const states: string[] = [];
    stream.onStateChange((state) => states.push(state));
    const payload = randomPayload(1024 * 1024 + 123);
    await stream.pipeFrom(chunkedSource(payload, 100_000));
    expect(peer.maxInFlight()).toBe(8);
    expect(peer.bytes().equals(payload)).toBe(true);
    expect(peer.seqs).toEqual(Array.from({ length: 257 }, (_, i) => i));
    expect(stream.progress.sent).toBe(payload.length);
    expect(peer.sendClose).toHaveBeenCalledTimes(1);
    expect(states).toEqual(['closing', 'closed']);
  });

  it('is stop-and-wait with a window of 1', async () => {
    const peer = fakeAckingPeer();
    const stream = createIbbStream({ blockSize: 100, window: 1, sendBlock: peer.sendBlock, sendClose: peer.sendClose });
    await stream.pipeFrom(chunkedSource(randomPayload(5000), 777));
    expect(peer.maxInFlight()).toBe(1);
    expect(peer.seqs).toHaveLength(50);
  });

  it('fails with the reason when a block is not acknowledged', async () => {
    let calls = 0;
    const sendClose = vi.fn(() => Promise.resolve());
    const stream = createIbbStream({
      blockSize: 10,
      window: 4,
      sendBlock: () => (++calls === 3 ? Promise.reject(new Error('service-unavailable')) : Promise.resolve()),
      sendClose,
    });
    await expect(stream.pipeFrom(chunkedSource(randomPayload(100), 100))).rejects.toThrow('block seq 2 not acknowledged: service-unavailable');
    expect(stream.state).toBe('failed');
    expect(sendClose).toHaveBeenCalledTimes(1);
  });
});

describe('IBB stream, both ends', () => {
  it('wraps seq from 65535 to 0 across 70,000 tiny blocks and delivers every byte (XEP-0047 §2.2)', async () => {
    const { sender, receiver, seqs } = ibbPair({ blockSize: 4, window: 8 });
    const payload = randomPayload(70_000 * 4);
    const { sink, digest } = hashingSink();
    await Promise.all([sender.pipeFrom(chunkedSource(payload, 65_536)), receiver.pipeTo(sink)]);
    expect(digest()).toBe(sha256(payload));
    expect(seqs.slice(65_534, 65_538)).toEqual([65_534, 65_535, 0, 1]);
    expect(seqs).toHaveLength(70_000);
    expect([sender.state, receiver.state]).toEqual(['closed', 'closed']);
  }, 30_000);

  it('delivers the last bytes before the peer’s <close/> ends the stream', async () => {
    const { sender, receiver } = ibbPair({ blockSize: 4096, window: 8 });
    const { sink, bytes } = collectingSink();
    const reading = receiver.pipeTo(sink);
    const tail = Buffer.from('the very last bytes');
    await sender.pipeFrom(chunkedSource(Buffer.concat([randomPayload(10_000), tail])));
    await reading;
    expect(bytes().subarray(-tail.length).equals(tail)).toBe(true);
    expect(bytes()).toHaveLength(10_000 + tail.length);
  });
});

describe('IBB stream, receiving', () => {
  const open = () => {
    const sendClose = vi.fn(() => Promise.resolve());
    const stream = createIbbStream({ blockSize: 8, sendBlock: () => Promise.resolve(), sendClose });
    return { stream, sendClose };
  };

  it('closes with an error on a gap and refuses the blocks after it (XEP-0047 §2.2)', async () => {
    const { stream, sendClose } = open();
    const { sink } = collectingSink();
    const reading = stream.pipeTo(sink);
    await stream.pushBlock(0, b64(Buffer.from('abc')));
    const refused = await stream.pushBlock(2, b64(Buffer.from('def'))).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IbbBlockRefused);
    expect((refused as IbbBlockRefused).reason).toBe('out-of-order');
    expect(stream.state).toBe('failed');
    expect(stream.failureReason).toMatch(/out-of-order/);
    await expect(reading).rejects.toThrow(/out-of-order/);
    await expect(stream.pushBlock(1, b64(Buffer.from('ghi')))).rejects.toThrow();
    expect(sendClose).toHaveBeenCalledTimes(1);
  });

  it('refuses a duplicate, an oversize block and non-canonical base64', async () => {
    const duplicate = open().stream;
    await duplicate.pushBlock(0, b64(Buffer.from('a')));
    await expect(duplicate.pushBlock(0, b64(Buffer.from('a')))).rejects.toMatchObject({ reason: 'duplicate' });
    await expect(open().stream.pushBlock(0, b64(Buffer.alloc(9)))).rejects.toMatchObject({ reason: 'oversize' });
    await expect(open().stream.pushBlock(0, 'YW=')).rejects.toMatchObject({ reason: 'bad-base64' });
  });

  it('holds the acknowledgement back while the consumer has no room', async () => {
    const stream = createIbbStream({ blockSize: 65_535, sendBlock: () => Promise.resolve(), sendClose: () => Promise.resolve() });
    let acked = 0;
    for (let seq = 0; seq < 20; seq += 1) void stream.pushBlock(seq, b64(Buffer.alloc(65_535))).then(() => { acked += 1; });
    await delay(10);
    expect(acked).toBeLessThan(20); // 1 MiB buffered, nobody reading
    const { sink } = hashingSink();
    const reading = stream.pipeTo(sink);
    await waitFor(() => acked === 20);
    stream.peerClosed();
    await reading;
    expect(stream.state).toBe('closed');
  });

  it('dispose is idempotent and rejects a pending read', async () => {
    const { stream, sendClose } = open();
    const reading = stream.pipeTo(collectingSink().sink);
    stream.dispose();
    stream.dispose();
    await expect(reading).rejects.toThrow();
    expect(stream.state).toBe('closed');
    expect(sendClose).toHaveBeenCalledTimes(1);
  });
});

describe('IBB receive buffering (issue 7 item 13)', () => {
  it('fails the stream when a sender keeps pushing blocks past the receive window without waiting for acknowledgements', async () => {
    const blockSize = 4096;
    const receiver = createIbbStream({ blockSize, receiveWindow: 8, sendBlock: () => Promise.reject(new Error('no')), sendClose: () => Promise.resolve() });
    // Nobody reads (a slow disk); the sender ignores the delayed acknowledgements.
    const block = b64(new Uint8Array(blockSize));
    const limit = 1024 * 1024 + 8 * blockSize;
    let seq = 0;
    let last: Promise<void> = Promise.resolve();
    for (; seq < 1000 && receiver.state === 'open'; seq += 1) {
      last = receiver.pushBlock(seq, block);
      last.catch(() => undefined);
    }
    await expect(last).rejects.toBeInstanceOf(IbbBlockRefused);
    // The block that would go past high-water mark + window is the one refused.
    expect(seq).toBe(limit / blockSize + 1);
    expect(receiver.state).toBe('failed');
    expect(receiver.failureReason).toBe(`the sender does not wait for acknowledgements: more than ${limit} bytes waiting to be written`);
  });

  it('accepts a window of in-flight blocks past the high-water mark (a sender that does wait loses nothing)', async () => {
    const blockSize = 4096;
    const receiver = createIbbStream({ blockSize, receiveWindow: 8, sendBlock: () => Promise.reject(new Error('no')), sendClose: () => Promise.resolve() });
    const block = b64(new Uint8Array(blockSize));
    const pending = Array.from({ length: (1024 * 1024) / blockSize + 8 }, (_, seq) => receiver.pushBlock(seq, block));
    expect(receiver.state).toBe('open');
    const { sink, bytes } = collectingSink();
    const piped = receiver.pipeTo(sink);
    await Promise.all(pending);
    receiver.peerClosed();
    await piped;
    expect(bytes().length).toBe(1024 * 1024 + 8 * blockSize);
  });
});
