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

/** A sentence for the user: the known meaning of the code, plus the host's own detail when it adds something. */
export function errorText(error: WireErrorShape | null | undefined): string | null {
  if (!error) return null;
  const known = BY_CODE[error.code];
  if (!known) return error.message || 'Something went wrong.';
  if (!error.message || error.message === known || error.message === error.code) return known;
  return `${known} (${error.message})`;
}
