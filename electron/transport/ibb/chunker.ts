/**
 * IBB blocks <-> bytes (XEP-0047 2.0.1, https://xmpp.org/extensions/xep-0047.html). Pure: no sockets,
 * no XMPP. The sender side cuts a byte stream into numbered blocks and hands each to a callback; the
 * receiver side checks order, encoding and size of each block before yielding its bytes.
 */
import { decodeStrictBase64, encodedLength } from './strictBase64';

/** XEP-0047 §2.1: block-size "MUST NOT be greater than 65535". */
export const MAX_IBB_BLOCK_SIZE_BYTES = 65535;
/** XEP-0047 §2.2: seq is "a 16-bit unsigned integer"; it loops after 65535. */
export const SEQ_MODULUS = 65536;

/** The seq after this one: "after value 65535 (2^16 - 1) the 'seq' MUST start again at 0" (§2.2). */
export function nextSeq(seq: number): number {
  return (seq + 1) % SEQ_MODULUS;
}

function checkBlockSize(blockSize: number): void {
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_IBB_BLOCK_SIZE_BYTES) {
    throw new RangeError(`IBB block-size must be 1..${MAX_IBB_BLOCK_SIZE_BYTES}, got ${blockSize}`);
  }
}

/**
 * Receives each block. `bytes` may be a view into the array given to push(): encode or copy it before
 * the caller reuses that array.
 */
export type SendBlock = (seq: number, bytes: Uint8Array) => void;

/** Sender side: bytes in, (seq, block) out through sendBlock. */
export interface IbbChunker {
  /** Adds bytes; every completed block is handed to sendBlock before push returns. */
  push(bytes: Uint8Array): void;
  /** Hands the last, partial block (if any) to sendBlock. Call once at the end of the stream. */
  flush(): void;
  /** The seq the next block will carry. */
  readonly nextSeq: number;
  /** Bytes handed to sendBlock so far. */
  readonly bytesSent: number;
}

/**
 * Creates a sender-side chunker. XEP-0047 §2.2: "The data to be sent, prior to base64-encoding and
 * prior to any wrapping in XML, MUST NOT be larger than the 'block-size' determined in the bytestream
 * negotiation" and "The 'seq' value starts at 0 (zero) for each sender and MUST be incremented for each
 * packet sent by that entity." Full blocks are cut straight out of the pushed arrays (no copy); only a
 * block that spans two pushes is assembled in a fresh buffer.
 */
export function createIbbChunker(options: { blockSize: number; sendBlock: SendBlock }): IbbChunker {
  const { blockSize, sendBlock } = options;
  checkBlockSize(blockSize);
  let seq = 0;
  let sent = 0;
  let pending: Uint8Array | null = null;
  let pendingLength = 0;

  const emit = (block: Uint8Array): void => {
    const current = seq;
    seq = nextSeq(seq);
    sent += block.length;
    sendBlock(current, block);
  };

  const push = (bytes: Uint8Array): void => {
    let offset = 0;
    if (pending) {
      const take = Math.min(blockSize - pendingLength, bytes.length);
      pending.set(bytes.subarray(0, take), pendingLength);
      pendingLength += take;
      offset = take;
      if (pendingLength < blockSize) return;
      const full = pending;
      pending = null;
      pendingLength = 0;
      emit(full);
    }
    while (bytes.length - offset >= blockSize) {
      emit(bytes.subarray(offset, offset + blockSize));
      offset += blockSize;
    }
    if (offset < bytes.length) {
      pending = new Uint8Array(blockSize);
      pending.set(bytes.subarray(offset));
      pendingLength = bytes.length - offset;
    }
  };

  const flush = (): void => {
    if (!pending) return;
    const last = pending.subarray(0, pendingLength);
    pending = null;
    pendingLength = 0;
    emit(last);
  };

  return {
    push,
    flush,
    get nextSeq() { return seq; },
    get bytesSent() { return sent; },
  };
}

/** Why the receiver refused a block; after any of these the stream is dead. */
export type IbbBlockError =
  | 'out-of-order'
  | 'duplicate'
  | 'bad-seq'
  | 'bad-base64'
  | 'oversize'
  | 'failed';

/** Outcome of one received block. */
export type IbbBlockResult =
  | { kind: 'ok'; bytes: Uint8Array }
  | { kind: 'error'; reason: IbbBlockError; message: string };

/** Receiver side: checks and decodes blocks in order. */
export interface IbbReassembler {
  /** Checks one `<data/>` block (its seq and base64 text) and returns its bytes or why it was refused. */
  accept(seq: number, base64: string): IbbBlockResult;
  /** The seq the next block must carry. */
  readonly expectedSeq: number;
  /** Bytes accepted so far. */
  readonly bytesReceived: number;
  /** True once a block was refused. */
  readonly hasFailed: boolean;
}

/** Classifies a seq that is not the expected one: behind (already used) or ahead (a gap). */
function misorderReason(seq: number, expected: number, blocksSeen: number): IbbBlockError {
  const behind = (expected - seq + SEQ_MODULUS) % SEQ_MODULUS;
  return behind >= 1 && behind <= Math.min(blocksSeen, SEQ_MODULUS / 2) ? 'duplicate' : 'out-of-order';
}

/**
 * Creates a receiver-side reassembler for one direction of one IBB session. XEP-0047 §2.2: "If an
 * out-of-sequence packet is received ... The recipient MUST NOT process the data of such an
 * out-of-sequence packet, nor any that follow it within the same bytestream; instead, the recipient
 * MUST close the bytestream". So the first refused block fails the reassembler for good.
 */
export function createIbbReassembler(options: { blockSize: number }): IbbReassembler {
  const { blockSize } = options;
  checkBlockSize(blockSize);
  const maxEncodedLength = encodedLength(blockSize);
  let expected = 0;
  let blocksSeen = 0;
  let received = 0;
  let failure: IbbBlockResult | null = null;

  const refuse = (reason: IbbBlockError, message: string): IbbBlockResult => {
    failure = { kind: 'error', reason: 'failed', message: `stream already failed: ${message}` };
    return { kind: 'error', reason, message };
  };

  const accept = (seq: number, base64: string): IbbBlockResult => {
    if (failure) return failure;
    if (!Number.isInteger(seq) || seq < 0 || seq >= SEQ_MODULUS) return refuse('bad-seq', `seq ${seq} is not 16-bit`);
    if (seq !== expected) {
      return refuse(misorderReason(seq, expected, blocksSeen), `expected seq ${expected}, got ${seq}`);
    }
    // Checked on the text first so an oversize block is refused without decoding it.
    if (base64.length > maxEncodedLength) return refuse('oversize', `block larger than block-size ${blockSize}`);
    const bytes = decodeStrictBase64(base64);
    if (!bytes) return refuse('bad-base64', `seq ${seq}: not strict RFC 4648 §4 base64`);
    if (bytes.length > blockSize) return refuse('oversize', `${bytes.length} bytes > block-size ${blockSize}`);
    expected = nextSeq(expected);
    blocksSeen += 1;
    received += bytes.length;
    return { kind: 'ok', bytes };
  };

  return {
    accept,
    get expectedSeq() { return expected; },
    get bytesReceived() { return received; },
    get hasFailed() { return failure !== null; },
  };
}
