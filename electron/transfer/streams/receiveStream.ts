import type { Writable } from 'node:stream';
import type { TransportKind } from '../../../shared/model/transfer';
import { watchStall, type ByteStream } from '../../transport/byteStream';
import { FileStoreError } from '../storePaths';
import { receiveInto, receiveUntilEnd, tooManyBytes, TooManyBytesError } from './receiveInto';

/** How long a receiver waits for the sender's IBB `<close/>` after the last byte. */
const IBB_CLOSE_WAIT_MS = 10_000;

/** How long a receiver waits for its own FIN to go out after the last S5B byte. */
const SOCKET_END_WAIT_MS = 5_000;

/**
 * After the last S5B byte and our FIN: how long to wait for the sender's FIN, so that bytes past the
 * announced size (issue 7 item 2) are seen before the file is accepted. A Ferry sender closes at once;
 * a peer that keeps the socket open costs this much.
 */
const PEER_FIN_WAIT_MS = 2_000;
/**
 * The most Ferry takes of a download nobody gave a size (no Content-Length, nothing in the link): a server
 * streaming without end must not fill the disk. 64 GiB is beyond any file a chat link carries.
 */
export const MAX_UNSIZED_BYTES = 64 * 1024 ** 3;

/** The file being written: the file store's .part sink. */
export interface IncomingFile {
  writable: Writable;
  /**
   * Bytes already in the file from an interrupted transfer of the same file: the receiver asks for the rest
   * from here (a range) and the stream carries `size - offset` bytes. 0 for a new file.
   */
  offset: number;
  /**
   * Verifies (size; md5 when expectedMd5 is given; sha-256 when expectedSha256 yields one, asked once the
   * file's own digest is known) before the file gets its name; rejects and deletes otherwise.
   */
  commit(expected: { md5?: string | null; sha256?: () => Promise<string | null> }): Promise<{ path: string; sha256: string; md5: string | null }>;
  /**
   * The transfer ended without the file (call it after the record ended): the .part is kept for a resume
   * or deleted, as ../incomingPart.ts decides from how the record ended. Resolves true when it was kept.
   */
  abort(): Promise<boolean>;
  /** The data is damaged (more bytes than announced): the .part goes, however the transfer ends. */
  discard(): Promise<void>;
}

/** The commit refused the file because its hash did not match the sender's: the transfer's hash state is `mismatch`. */
export function isHashMismatch(error: unknown): boolean {
  return error instanceof FileStoreError && error.code === 'hash-mismatch';
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => { setTimeout(resolve, ms).unref(); });
}

/** Resolves when the stream is closed or failed, or after ms. */
function settledWithin(stream: ByteStream, ms: number): Promise<void> {
  if (stream.state === 'closed' || stream.state === 'failed') return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = stream.onStateChange((state) => { if (state === 'closed' || state === 'failed') done(); });
    function done(): void { clearTimeout(timer); sub.dispose(); resolve(); }
  });
}

/** One attached bytestream carrying `size - offset` bytes into `file`. */
export interface ReceiveOptions {
  stream: ByteStream;
  kind: TransportKind;
  file: IncomingFile;
  /** The whole file's size; null when nobody said (a link's server without Content-Length: receiveUntilEnd). */
  size: number | null;
  /** Bytes already in the file before this stream (a resumed range). */
  offset?: number;
  stallTimeoutMs: number;
  onProgress(bytes: number): void;
  /** The stall watchdog fired: the caller fails the transfer with this reason. */
  onStall(reason: string): void;
}

/**
 * Receives until every announced byte is in and the stream ended as it should (IBB: the sender's `<close/>`,
 * bounded; S5B: our FIN, then the sender's, bounded), and rejects on too few or too many bytes. The stream
 * decides the end from here (all bytes, an error, or the stall watchdog), not the peer's presence.
 * Too many bytes discard the file before the rejection, so it is never kept for a resume. Disposes the
 * stream when done.
 */
export async function receiveOver(options: ReceiveOptions): Promise<number> {
  const { stream, size } = options;
  const offset = options.offset ?? 0;
  const progress = stream.onProgress((p) => options.onProgress(offset + p.received));
  const stall = watchStall(stream, options.stallTimeoutMs, options.onStall);
  try {
    if (size === null) return offset + await receiveUntilEnd(stream, options.file, MAX_UNSIZED_BYTES - offset);
    await receiveInto(stream, options.file, size - offset);
    stall.dispose();
    // IBB: the sender closes after our last ack; waiting for its <close/> (bounded) before declaring the
    // file done keeps both sides in step and avoids racing it with our own close (XEP-0047 §2.3).
    if (options.kind === 'ibb') await settledWithin(stream, IBB_CLOSE_WAIT_MS);
    else {
      // S5B: every byte is in, so close our half with a FIN before dispose(), which resets (RST) a socket
      // whose sending side is still open; a sender that reads until EOF (slixmpp) saw that RST as
      // ECONNRESET and failed a file that had arrived.
      await Promise.race([stream.end().catch(() => undefined), delay(SOCKET_END_WAIT_MS)]);
      await settledWithin(stream, PEER_FIN_WAIT_MS);
    }
    // Bytes past the announced size fail the stream even after the last expected one (receiveInto). Any
    // other end after the last byte (a reset from a sender that just exits) does not spoil the file.
    const excess = tooManyBytes(size - offset);
    if (stream.state === 'failed' && stream.failureReason === excess) throw new TooManyBytesError(size - offset);
    return size;
  } catch (error) {
    if (error instanceof TooManyBytesError) await options.file.discard().catch(() => undefined);
    throw error;
  } finally {
    stall.dispose();
    progress.dispose();
    stream.dispose();
  }
}
