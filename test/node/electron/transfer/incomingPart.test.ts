import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileMeta, TransferId } from '../../../../shared/model/transfer';
import { isKeptForResume, openIncomingPart } from '../../../../electron/transfer/incomingPart';
import { TransferRecord } from '../../../../electron/transfer/transferRecord';
import type { IncomingFile } from '../../../../electron/transfer/streams/receiveStream';

const hex = (algorithm: string, data: Uint8Array): string => createHash(algorithm).update(data).digest('hex');
const data = randomBytes(300_000);
const SENDER = 'alice@localhost/ferry';

let dir: string;
let count = 0;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'ferry-part-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

function newRecord(file: FileMeta): TransferRecord {
  return new TransferRecord({ id: `t${count++}` as TransferId, direction: 'incoming', peer: SENDER, file });
}

const meta = (overrides: Partial<FileMeta> = {}): FileMeta => ({
  name: 'movie.bin', size: data.length, mediaType: 'application/octet-stream', date: '2024-05-01T10:00:00Z', description: '', md5: hex('md5', data), ...overrides,
});

async function open(file = meta(), extra: { sha256?: string | null; isRangeSupported?: boolean; from?: string } = {}) {
  const record = newRecord(file);
  const part = await openIncomingPart({
    dir, record, method: 'si', from: extra.from ?? SENDER, file, sha256: extra.sha256 ?? null, isRangeSupported: extra.isRangeSupported ?? true,
  });
  return { record, part };
}

function write(part: IncomingFile, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => { part.writable.write(bytes, (error) => (error ? reject(error) : resolve())); });
}

/** A first transfer that got `bytes` in and then ended as `state`. */
async function interrupted(bytes: number, state: 'failed' | 'cancelled' | 'declined' = 'failed', file = meta(), isRangeSupported = true) {
  const { record, part } = await open(file, { isRangeSupported });
  await write(part, data.subarray(0, bytes));
  record.end(state, { reason: state === 'failed' ? 'the stream closed after some bytes' : state });
  await part.abort();
  return record;
}

describe('isKeptForResume (the keep-or-delete rule)', () => {
  it.each([
    ['failed', 'none', true], ['failed', 'verified', true], ['failed', 'mismatch', false],
    ['cancelled', 'none', false], ['declined', 'none', false], ['transferring', 'none', false], ['done', 'verified', false],
  ] as const)('%s with hash %s → %s', (state, hash, expected) => {
    expect(isKeptForResume({ state, hash })).toBe(expected);
  });
});

describe('openIncomingPart', () => {
  it('keeps the .part of a failed transfer with its sidecar, and resumes it for the same offer: whole-file hashes', async () => {
    await interrupted(123_457);
    expect((await readdir(dir)).sort()).toEqual(['movie.bin.part', 'movie.bin.part.ferry.json']);
    const sidecar = JSON.parse(await readFile(join(dir, 'movie.bin.part.ferry.json'), 'utf8'));
    expect(sidecar).toEqual({
      version: 1, from: 'alice@localhost', name: 'movie.bin', size: data.length, sha256: null, md5: hex('md5', data), date: '2024-05-01T10:00:00Z', bytes: 123_457,
    });

    const { record, part } = await open(meta(), { from: 'alice@localhost/other-resource' });
    expect(part.offset).toBe(123_457);
    expect(record.snapshot().resumedFrom).toBe(123_457);
    expect(record.snapshot().attempts.at(-1)?.detail).toMatch(/resuming .*movie\.bin\.part at byte 123457 of 300000/);
    await write(part, data.subarray(123_457));
    const done = await part.commit({ md5: hex('md5', data) });
    expect([done.sha256, done.md5]).toEqual([hex('sha256', data), hex('md5', data)]);
    expect(await readFile(done.path)).toEqual(data);
    expect(await readdir(dir)).toEqual(['movie.bin']);
  });

  it('refuses more bytes than the rest of the file on a resumed .part', async () => {
    await interrupted(1000);
    const { part } = await open();
    part.writable.once('error', () => undefined); // the write callback gets the same error
    await expect(write(part, data)).rejects.toThrow(/more than the 300000 bytes/);
    await part.discard();
  });

  it.each(['cancelled', 'declined'] as const)('deletes the .part of a %s transfer: nothing is left to resume', async (state) => {
    await interrupted(5000, state);
    expect(await readdir(dir)).toEqual([]);
    const { part, record } = await open();
    expect([part.offset, record.snapshot().resumedFrom]).toEqual([0, null]);
  });

  it('deletes the .part of a failed transfer that could never be resumed: no range support, or nothing to recognise it by', async () => {
    await interrupted(5000, 'failed', meta(), false);
    await interrupted(5000, 'failed', meta({ md5: null, date: null }));
    expect(await readdir(dir)).toEqual([]);
  });

  it('deletes instead of keeping when not a byte arrived', async () => {
    await interrupted(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('discard() deletes the .part however the transfer ends (too many bytes)', async () => {
    const { record, part } = await open();
    await write(part, data.subarray(0, 100));
    await part.discard();
    record.end('failed', { reason: 'the sender sent more than it announced' });
    await part.abort();
    expect(await readdir(dir)).toEqual([]);
  });

  it('starts a new .part beside the kept one when the offer supports no range, or is another file', async () => {
    await interrupted(5000);
    const noRange = await open(meta(), { isRangeSupported: false });
    const otherFile = await open(meta({ md5: 'f'.repeat(32) }));
    const otherSender = await open(meta(), { from: 'mallory@localhost/x' });
    expect([noRange.part.offset, otherFile.part.offset, otherSender.part.offset]).toEqual([0, 0, 0]);
    // The files that carry a whole-file hash are marked open from their first byte (a crash can resume them).
    expect((await readdir(dir)).sort()).toEqual([
      'movie (1).bin.part', 'movie (2).bin.part', 'movie (2).bin.part.ferry.json', 'movie (3).bin.part', 'movie (3).bin.part.ferry.json',
      'movie.bin.part', 'movie.bin.part.ferry.json',
    ]);
    for (const { part } of [noRange, otherFile, otherSender]) await part.discard();
    expect((await readdir(dir)).sort()).toEqual(['movie.bin.part', 'movie.bin.part.ferry.json']);
  });

  it('matches by the offer sha-256 (Jingle) and then by the date when no hash is known', async () => {
    const sha256 = hex('sha256', data);
    const first = await open(meta({ md5: null }), { sha256 });
    await write(first.part, data.subarray(0, 777));
    first.record.end('failed', { reason: 'broke' });
    await first.part.abort();
    expect((await open(meta({ md5: null }), { sha256: 'e'.repeat(64) })).part.offset).toBe(0);
    const again = await open(meta({ md5: null }), { sha256 });
    expect(again.part.offset).toBe(777);
  });

  it('a kept .part corrupted on disk fails the resumed file as damaged against the whole-file hash', async () => {
    await interrupted(100_000);
    const corrupted = Buffer.from(data.subarray(0, 100_000));
    corrupted[50_000] ^= 0xff;
    await writeFile(join(dir, 'movie.bin.part'), corrupted);
    const { part } = await open();
    expect(part.offset).toBe(100_000);
    await write(part, data.subarray(100_000));
    await expect(part.commit({ md5: hex('md5', data) })).rejects.toMatchObject({ code: 'hash-mismatch' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('a resumed transfer interrupted again keeps the longer .part', async () => {
    await interrupted(1000);
    const second = await open();
    await write(second.part, data.subarray(1000, 50_000));
    second.record.end('failed', { reason: 'broke again' });
    await second.part.abort();
    const third = await open();
    expect(third.part.offset).toBe(50_000);
    await write(third.part, data.subarray(50_000));
    expect((await third.part.commit({})).sha256).toBe(hex('sha256', data));
  });
});
