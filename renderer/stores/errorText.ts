/** One place that turns wire errors into sentences a user can act on. */
import type { WireErrorShape } from '../../shared/model/session';

const BY_CODE: Record<string, string> = {
  'not-authorized': 'Wrong address or password.',
  'cannot-connect': 'Could not reach the server. Check the address, the service URL and your network.',
  'tls-required': 'The server does not offer an encrypted connection. Plaintext is allowed only on loopback, under Advanced.',
  'not-connected': 'You are not connected.',
  timeout: 'The server took too long to answer.',
  'bad-request': 'Ferry could not understand that request.',
};

/** True for a message written for people (the core's sentences), false for bare codes like ECONNREFUSED. */
function isSentence(message: string): boolean {
  return /\s/.test(message.trim()) && /[.!?)]$/.test(message.trim());
}

/**
 * A sentence for the user: the host's own sentence when it wrote one, else the known meaning of the code
 * with any technical detail in parentheses.
 */
export function errorText(error: WireErrorShape | null | undefined): string | null {
  if (!error) return null;
  const message = error.message.trim();
  if (isSentence(message)) return message;
  const known = BY_CODE[error.code];
  if (!known) return message || 'Something went wrong.';
  if (!message || message === error.code) return known;
  return `${known} (${message})`;
}
