import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MAX_IBB_BLOCK_SIZE_BYTES, createIbbChunker, createIbbReassembler, nextSeq,
} from '../../../../../electron/transport/ibb/chunker';
import { encodeBase64 } from '../../../../../electron/transport/ibb/strictBase64';

function collect(blockSize: number) {
  const blocks: { seq: number; bytes: Uint8Array }[] = [];
  // Copy: the chunker may hand out views into the pushed arrays.
  const chunker = createIbbChunker({ blockSize, sendBlock: (seq, bytes) => blocks.push({ seq, bytes: bytes.slice() }) });
  return { chunker, blocks };
}

const bytesOf = (length: number, seed = 0): Uint8Array => Uint8Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff);

describe('IBB sender chunker (XEP-0047 §2.2)', () => {
  it('cuts a stream into blocks of at most block-size with seq 0, 1, 2 …', () => {
    const { chunker, blocks } = collect(4);
    chunker.push(bytesOf(3));
    chunker.push(bytesOf(6, 3));
    chunker.flush();
    expect(blocks.map((b) => [b.seq, b.bytes.length])).toEqual([[0, 4], [1, 4], [2, 1]]);
    expect(chunker.bytesSent).toBe(9);
    expect(chunker.nextSeq).toBe(3);
  });

  it('keeps the bytes in order across pushes of any size', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 64 }), fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }),
      (blockSize, pushes) => {
        const { chunker, blocks } = collect(blockSize);
        for (const push of pushes) chunker.push(push);
        chunker.flush();
        const all = Buffer.concat(pushes);
        expect(Buffer.concat(blocks.map((b) => b.bytes))).toEqual(all);
        expect(blocks.every((b) => b.bytes.length <= blockSize && b.bytes.length > 0)).toBe(true);
        expect(blocks.map((b) => b.seq)).toEqual(blocks.map((_, i) => i % 65536));
      },
    ));
  });

  it('hands whole blocks out of a large push without copying them', () => {
    const input = bytesOf(8);
    const seen: Uint8Array[] = [];
    const chunker = createIbbChunker({ blockSize: 4, sendBlock: (_seq, bytes) => seen.push(bytes) });
    chunker.push(input);
    expect(seen.map((b) => b.buffer === input.buffer)).toEqual([true, true]);
  });

  it('wraps seq from 65535 to 0 (after value 65535 the seq MUST start again at 0)', () => {
    const seqs: number[] = [];
    const chunker = createIbbChunker({ blockSize: 1, sendBlock: (seq) => seqs.push(seq) });
    chunker.push(new Uint8Array(65538));
    expect(seqs.slice(65534)).toEqual([65534, 65535, 0, 1]);
    expect(nextSeq(65535)).toBe(0);
  });

  it('sends nothing on flush when nothing is pending', () => {
    const { chunker, blocks } = collect(4);
    chunker.push(bytesOf(8));
    chunker.flush();
    expect(blocks).toHaveLength(2);
  });

  it.each([0, -1, 1.5, MAX_IBB_BLOCK_SIZE_BYTES + 1])('refuses block-size %s (MUST NOT be greater than 65535)', (size) => {
    expect(() => createIbbChunker({ blockSize: size, sendBlock: () => undefined })).toThrow(RangeError);
    expect(() => createIbbReassembler({ blockSize: size })).toThrow(RangeError);
  });
});

describe('IBB receiver reassembler (XEP-0047 §2.2, §6)', () => {
  it('decodes the Spark block of seed 001', () => {
    const text = 'TAAAAAEUAgAAAAAAwAAAAAAAAEafAAAAIAAAAFyeOToCbMcB';
    const result = createIbbReassembler({ blockSize: 4096 }).accept(0, text);
    expect(result).toMatchObject({ kind: 'ok' });
    expect(Buffer.from(result.kind === 'ok' ? result.bytes : []).toString('base64')).toBe(text);
  });

  it('accepts seq across the 65535 → 0 wrap', () => {
    const receiver = createIbbReassembler({ blockSize: 4 });
    for (let seq = 0; seq < 65536; seq += 1) receiver.accept(seq, 'AA==');
    expect(receiver.expectedSeq).toBe(0);
    expect(receiver.accept(0, 'AQ==')).toEqual({ kind: 'ok', bytes: Uint8Array.of(1) });
    expect(receiver.bytesReceived).toBe(65537);
    expect(receiver.accept(0, 'AA==')).toMatchObject({ kind: 'error', reason: 'duplicate' });
  });

  it.each([
    ['a gap', [0, 2], 'out-of-order'],
    ['a duplicate', [0, 1, 1], 'duplicate'],
    ['an old seq', [0, 1, 2, 0], 'duplicate'],
    ['a first block that is not 0', [65535], 'out-of-order'],
    ['a seq beyond 16 bits', [65536], 'bad-seq'],
  ])('refuses %s and everything after it (MUST NOT process ... nor any that follow)', (_label, seqs, reason) => {
    const receiver = createIbbReassembler({ blockSize: 4 });
    const results = seqs.map((seq) => receiver.accept(seq, 'AAAA'));
    expect(results.at(-1)).toMatchObject({ kind: 'error', reason });
    expect(receiver.hasFailed).toBe(true);
    expect(receiver.accept(receiver.expectedSeq, 'AAAA')).toMatchObject({ kind: 'error', reason: 'failed' });
  });

  it.each([
    ['whitespace (the §2.2 example wraps lines; §6 forbids non-alphabet characters)', 'AAAA\nAAAA'],
    ['a leading space', ' AAAA'],
    ['missing padding', 'AAA'],
    ['pad in the middle', 'AA==AAAA'],
    ['pad at the start', '=AAA'],
    ['too much padding', 'A==='],
    ['URL-safe alphabet', 'AA-_'],
    ['non-zero pad bits (non-canonical, RFC 4648 §3.5)', 'AB=='],
    ['non-zero pad bits with one pad', 'AAB='],
  ])('refuses base64 with %s', (_label, text) => {
    expect(createIbbReassembler({ blockSize: 4096 }).accept(0, text)).toMatchObject({ kind: 'error', reason: 'bad-base64' });
  });

  it('accepts canonical padding and an empty block', () => {
    const receiver = createIbbReassembler({ blockSize: 4 });
    expect(receiver.accept(0, 'AQ==')).toEqual({ kind: 'ok', bytes: Uint8Array.of(1) });
    expect(receiver.accept(1, 'AQI=')).toEqual({ kind: 'ok', bytes: Uint8Array.of(1, 2) });
    expect(receiver.accept(2, '')).toEqual({ kind: 'ok', bytes: new Uint8Array() });
  });

  it.each([
    ['one byte over', 5, 4],
    ['far over (refused before decoding)', 40_000, 4096],
  ])('refuses a block %s the negotiated block-size', (_label, size, blockSize) => {
    const text = encodeBase64(new Uint8Array(size));
    expect(createIbbReassembler({ blockSize }).accept(0, text)).toMatchObject({ kind: 'error', reason: 'oversize' });
  });

  it('round-trips any stream through chunker and reassembler', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), fc.uint8Array({ maxLength: 500 }), (blockSize, data) => {
      const receiver = createIbbReassembler({ blockSize });
      const out: Uint8Array[] = [];
      const chunker = createIbbChunker({
        blockSize,
        sendBlock: (seq, bytes) => {
          const result = receiver.accept(seq, encodeBase64(bytes));
          if (result.kind !== 'ok') throw new Error(result.message);
          out.push(result.bytes);
        },
      });
      chunker.push(data);
      chunker.flush();
      expect(Buffer.concat(out)).toEqual(Buffer.from(data));
    }));
  });

  it('never throws on arbitrary seq and text', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer(), fc.string({ maxLength: 40 }))), (blocks) => {
      const receiver = createIbbReassembler({ blockSize: 16 });
      for (const [seq, text] of blocks) expect(['ok', 'error']).toContain(receiver.accept(seq, text).kind);
    }));
  });
});
