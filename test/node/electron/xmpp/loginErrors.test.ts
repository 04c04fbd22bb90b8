import { describe, expect, it } from 'vitest';
import { FerryError } from '../../../../shared/ipc/wireError';
import { toLoginError } from '../../../../electron/xmpp/loginErrors';

const context = { jid: 'alice@example.org', service: 'xmpp://example.org:5222' };
const named = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra });

describe('login errors become FerryErrors the user can act on', () => {
  it.each([
    ['SASL not-authorized (RFC 6120 §6.5.10)', named('SASLError', { condition: 'not-authorized' }), 'not-authorized'],
    ['another SASL failure', named('SASLError', { condition: 'account-disabled' }), 'not-authorized'],
    ['a timeout', named('TimeoutError'), 'timeout'],
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'cannot-connect'],
    ['an unknown host', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), 'cannot-connect'],
    ['an untrusted certificate', Object.assign(new Error('unable to verify'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), 'cannot-connect'],
    ['a stream error', named('StreamError', { condition: 'host-unknown' }), 'cannot-connect'],
  ])('%s', (_name, error, code) => {
    expect(toLoginError(error, context).code).toBe(code);
  });

  it('keeps a FerryError as it is and names the account on a refused password', () => {
    const tls = new FerryError('tls-required', 'no TLS');
    expect(toLoginError(tls, context)).toBe(tls);
    expect(toLoginError(named('SASLError', { condition: 'not-authorized' }), context).message).toContain('alice@example.org');
  });
});
