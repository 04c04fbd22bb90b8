/** After a failed login: what to try, in words, for the failures a user can mend. */
const HINTS: Record<string, string> = {
  'cannot-connect': 'Check the part of the address after the @ and that this computer is online. If your server '
    + 'is reached through another host or port, enter it under Advanced as the service URL, for example xmpp://chat.example.org:5222.',
  timeout: 'The server answered too slowly. Try again in a moment; if it keeps happening, check the service URL under Advanced.',
  'not-authorized': 'Check the password (it is case-sensitive) and that the address is the whole name@server.',
  'tls-required': 'For a server on this computer, Advanced has "Allow plaintext on loopback".',
};

/** Codes whose hint points to the Advanced section, which the form then opens. */
export const ADVANCED_CODES = new Set(['cannot-connect', 'timeout', 'tls-required']);

export function LoginHint({ code, attempts }: { code: string | null; attempts: number | null }) {
  const hint = code ? HINTS[code] : undefined;
  if (!hint) return null;
  return (
    <p className="hint login-hint" role="note">
      {attempts && attempts > 1 ? `Ferry tried ${attempts} times. ` : ''}{hint}
    </p>
  );
}
