/**
 * Reads SOCKS5 handshake messages off a socket with an incremental parser, then hands the socket back
 * paused, with any bytes read past the handshake pushed back (`unshift`) for the byte stream: into the
 * socket, or into its ring when it reads through one (../socketRing.ts: no 'data' events then). Only the
 * handshake goes through here (a few hundred bytes), never file data.
 */
import type { Socket } from 'node:net';
import type { SocketRing } from '../socketRing';
import type { ParseStep, Socks5ErrorCode } from './codec';

/** A handshake that went wrong, with a reason for the attempt log (and the codec's code, if any). */
export class HandshakeError extends Error {
  constructor(message: string, readonly code: Socks5ErrorCode | null = null) {
    super(message);
  }
}

/** Largest handshake message: CONNECT/reply with a 255-byte domain (4 + 1 + 255 + 2). */
const MAX_HANDSHAKE_BYTES = 262;

/** Buffers a socket's bytes until a parser accepts a whole message. Not reusable after `release()`. */
export class SocketReader {
  private buffered: Buffer = Buffer.alloc(0);
  private wake: (() => void) | null = null;
  private endReason: string | null = null;
  private readonly onData = (chunk: Buffer): void => {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    this.wake?.();
  };
  private readonly onEnd = (): void => this.stop('peer closed the connection during the handshake');
  private readonly onError = (error: Error): void => this.stop(`socket error during the handshake: ${error.message}`);

  constructor(private readonly socket: Socket, private readonly ring: SocketRing | null = null) {
    if (ring) ring.setHandshakeListener(this.onData);
    else socket.on('data', this.onData);
    socket.once('end', this.onEnd);
    socket.once('close', this.onEnd);
    socket.once('error', this.onError);
  }

  /** Waits for one message `parse` accepts; throws HandshakeError on bad bytes, close or overflow. */
  async next<T>(parse: (bytes: Uint8Array) => ParseStep<T>): Promise<T> {
    for (;;) {
      const outcome = parse(this.buffered);
      if (outcome.kind === 'parsed') {
        this.buffered = this.buffered.subarray(outcome.consumed);
        return outcome.value;
      }
      if (outcome.kind === 'error') throw new HandshakeError(outcome.message, outcome.code);
      if (this.buffered.length > MAX_HANDSHAKE_BYTES) throw new HandshakeError('handshake message too long');
      if (this.endReason) throw new HandshakeError(this.endReason);
      await new Promise<void>((resolve) => { this.wake = resolve; });
      this.wake = null;
    }
  }

  /** Detaches, pauses the socket and pushes back the bytes read past the last message. */
  release(): void {
    this.detach();
    this.socket.pause();
    if (this.buffered.length > 0) {
      if (this.ring) this.ring.unshift(this.buffered);
      else this.socket.unshift(this.buffered);
    }
    this.buffered = Buffer.alloc(0);
  }

  /** Detaches without touching the socket (it is being destroyed); a pending `next` throws. */
  detach(): void {
    this.socket.off('data', this.onData);
    this.ring?.setHandshakeListener(null);
    this.socket.off('end', this.onEnd);
    this.socket.off('close', this.onEnd);
    this.socket.off('error', this.onError);
    this.stop('handshake abandoned');
  }

  private stop(reason: string): void {
    this.endReason ??= reason;
    this.wake?.();
  }
}
