import { FerryError } from '../../shared/ipc/wireError';

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EPIPE',
  'ECONNABORTED', 'EADDRNOTAVAIL',
]);

interface ErrorLike {
  name?: string;
  code?: string;
  condition?: string;
  message?: string;
}

/**
 * Turns whatever @xmpp/client or the socket threw while logging in into a FerryError the user can act on:
 * a SASL failure is 'not-authorized', a socket or certificate failure 'cannot-connect', a timer 'timeout'.
 */
export function toLoginError(error: unknown, context: { jid: string; service: string }): FerryError {
  if (error instanceof FerryError) return error;
  const e = (typeof error === 'object' && error !== null ? error : { message: String(error) }) as ErrorLike;
  const detail = e.message ?? String(error);
  if (e.name === 'SASLError') {
    if (e.condition === 'not-authorized') {
      return new FerryError('not-authorized', `The server did not accept the password for ${context.jid}.`);
    }
    return new FerryError('not-authorized', `The server refused to log in ${context.jid}: ${detail}`);
  }
  if (e.name === 'TimeoutError') return new FerryError('timeout', `${context.service} did not answer in time.`);
  if (e.code && /CERT|SIGNATURE|SELF_SIGNED|ERR_TLS/u.test(e.code)) {
    return new FerryError('cannot-connect', `The certificate of ${context.service} is not trusted (${e.code}).`);
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new FerryError('cannot-connect', `Cannot reach ${context.service} (${e.code}).`);
  }
  if (e.name === 'StreamError') {
    return new FerryError('cannot-connect', `${context.service} closed the stream: ${detail}`);
  }
  return new FerryError('cannot-connect', `Cannot connect to ${context.service}: ${detail}`);
}
