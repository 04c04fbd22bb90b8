/**
 * The two SOCKS5 handshakes of XEP-0065 on a socket, driving the pure codec (./codec): the streamhost's
 * side (greeting → method choice → CONNECT → reply) and the client's side (target or requester connecting
 * to a streamhost or proxy). https://xmpp.org/extensions/xep-0065.html (1.8), RFC 1928.
 */
import type { Socket } from 'node:net';
import {
  encodeConnectRequest,
  encodeGreeting,
  encodeMethodChoice,
  encodeReply,
  METHOD_NO_ACCEPTABLE,
  METHOD_NO_AUTH,
  parseConnectRequest,
  parseGreeting,
  parseMethodChoice,
  parseReply,
  REPLY,
  REPLY_FOR_ERROR,
  type ConnectRequest,
} from './codec';
import { HandshakeError, type SocketReader } from './socketReader';

/** A SHA-1 hex DST.ADDR is 40 bytes (XEP-0065 §5.3.2); a listener refuses anything longer early. */
const DST_ADDR_LENGTH = 40;

/**
 * Streamhost side, up to the CONNECT request: reads the greeting, answers the method choice, reads
 * CONNECT. Throws HandshakeError after answering what RFC 1928 allows (X'FF', or a failure REP); the
 * caller closes the socket. `onGreeting` runs once a valid greeting was read (the listener's progress mark).
 */
export async function readConnectRequest(
  socket: Socket,
  reader: SocketReader,
  onGreeting: () => void = () => undefined,
): Promise<ConnectRequest> {
  const greeting = await reader.next(parseGreeting);
  onGreeting();
  // RFC 1928 §3: "If the selected METHOD is X'FF', none of the methods listed by the client are
  // acceptable, and the client MUST close the connection." We say so; the caller closes too.
  if (!greeting.methods.includes(METHOD_NO_AUTH)) {
    socket.write(encodeMethodChoice(METHOD_NO_ACCEPTABLE));
    throw new HandshakeError('no acceptable authentication method (RFC 1928 §3)');
  }
  socket.write(encodeMethodChoice(METHOD_NO_AUTH));
  try {
    return await reader.next((bytes) => parseConnectRequest(bytes, DST_ADDR_LENGTH));
  } catch (error) {
    const rep = error instanceof HandshakeError && error.code ? REPLY_FOR_ERROR[error.code] : undefined;
    // RFC 1928 §6: the server sends a failure reply, then "MUST terminate the TCP connection".
    if (rep !== undefined) socket.write(failureReply(rep));
    throw error;
  }
}

/**
 * XEP-0065 §5.3.2: "the StreamHost MUST set the BND.ADDR and BND.PORT to the DST.ADDR and DST.PORT values
 * provided by the client in the connection request."
 */
export function writeReply(socket: Socket, reply: number, request: ConnectRequest): void {
  socket.write(encodeReply({ reply, boundAddress: request.dstAddr, boundPort: request.port }));
}

/** A failure reply when no DST.ADDR was parsed: BND.ADDR is a one-byte placeholder. */
function failureReply(reply: number): Uint8Array {
  return encodeReply({ reply, boundAddress: '0', boundPort: 0 });
}

/**
 * Client side: greeting offering no-auth only, CONNECT to `dstAddr` port 0 (XEP-0065 §5.3.2 "The port
 * MUST be 0"), then a successful reply. Throws HandshakeError with the reason otherwise.
 */
export async function clientHandshake(socket: Socket, reader: SocketReader, dstAddr: string): Promise<void> {
  socket.write(encodeGreeting([METHOD_NO_AUTH]));
  const choice = await reader.next(parseMethodChoice);
  if (choice.method !== METHOD_NO_AUTH) {
    throw new HandshakeError(`streamhost chose method ${choice.method}, not no-auth (RFC 1928 §3)`);
  }
  socket.write(encodeConnectRequest(dstAddr, 0));
  const reply = await reader.next(parseReply);
  if (reply.reply !== REPLY.succeeded) {
    throw new HandshakeError(`streamhost refused CONNECT: REP ${reply.reply} (RFC 1928 §6)`);
  }
}
