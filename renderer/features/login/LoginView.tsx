import { useState, type FormEvent } from 'react';
import { parseJid } from '../../../shared/model/jid';
import type { LoginArgs } from '../../../shared/model/session';
import { ErrorText } from '../../components/ErrorText';
import { sessionStore, useSession } from '../../stores/sessionStore';
import { AdvancedFields, type AdvancedValues } from './AdvancedFields';
import { ADVANCED_CODES, LoginHint } from './LoginHint';
import { LOGIN_RETRY_DELAYS_MS, RETRIED_CODES } from '../../stores/sessionStore';
import { RememberedLogin } from './RememberedLogin';

/** Builds the session.login payload from the form; optional fields only when set. */
export function loginArgsFrom(jid: string, password: string, remember: boolean, advanced: AdvancedValues): LoginArgs {
  const args: LoginArgs = { jid: jid.trim(), password };
  const service = advanced.service.trim();
  if (service) args.service = service;
  if (advanced.allowPlaintext) args.allowPlaintext = true;
  if (remember) args.remember = true;
  return args;
}

function validate(jid: string, password: string): string | null {
  const parts = parseJid(jid);
  if (!parts || !parts.local) return 'Enter your address, like name@example.org.';
  if (!password) return 'Enter your password.';
  return null;
}

/** The login form: address, password, remember me (Electron: the password too; web: the address), and Advanced. */
export function LoginView() {
  const isElectron = useSession((s) => s.host?.kind === 'electron');
  // Electron remembers the password only with a real OS keyring (host.info canRemember; absent: it cannot).
  const hasKeyring = useSession((s) => s.host?.kind === 'electron' && s.host.canRemember === true);
  const isBusy = useSession((s) => s.isBusy || s.snapshot.state === 'connecting');
  const serverError = useSession((s) => s.errorText);
  const errorCode = useSession((s) => s.errorCode);
  const attempt = useSession((s) => s.loginAttempt);
  // The web host remembers the address only (never the password); undefined: this host cannot.
  const address = useSession((s) => (s.host?.kind === 'web' ? s.host.rememberedAddress : undefined));
  const [jid, setJid] = useState(address?.jid ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(Boolean(address));
  const [advanced, setAdvanced] = useState<AdvancedValues>({ service: address?.service ?? '', allowPlaintext: address?.allowPlaintext ?? false });
  const [formError, setFormError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problem = validate(jid, password);
    setFormError(problem);
    if (problem) return;
    const args = loginArgsFrom(jid, password, remember && (hasKeyring || address !== undefined), advanced);
    // The web host remembers an address until the box is unticked: say so, and it forgets it.
    if (address && !remember) args.remember = false;
    void sessionStore.getState().login(args);
  };

  return (
    <main className="login">
      <form className="login-card" aria-label="Log in" onSubmit={submit} noValidate>
        <h1 className="brand">Ferry</h1>
        <p className="login-lead">Log in with your XMPP account.</p>
        <RememberedLogin />
        <label className="field">
          <span>Address (JID)</span>
          <input type="text" name="jid" autoComplete="username" placeholder="name@example.org" value={jid}
            onChange={(e) => setJid(e.target.value)} aria-invalid={formError !== null && !parseJid(jid)?.local} />
        </label>
        <label className="field">
          <span>Password</span>
          <input type="password" name="password" autoComplete="current-password" value={password}
            onChange={(e) => setPassword(e.target.value)} />
        </label>
        {(hasKeyring || address !== undefined) && (
          <label className="check">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            <span>{isElectron ? 'Remember me' : 'Remember my address on this computer'}</span>
          </label>
        )}
        {isElectron && !hasKeyring && (
          <p className="login-note">Ferry cannot remember your password on this computer: it has no secure keyring.</p>
        )}
        <AdvancedFields value={advanced} onChange={setAdvanced} reveal={!isBusy && ADVANCED_CODES.has(errorCode ?? '')} />
        <ErrorText text={formError ?? serverError} />
        {!formError && !isBusy && <LoginHint code={errorCode} attempts={RETRIED_CODES.has(errorCode ?? '') ? LOGIN_RETRY_DELAYS_MS.length + 1 : null} />}
        <button type="submit" className="primary" disabled={isBusy}>
          {isBusy ? (attempt ? `Connecting… (attempt ${attempt.attempt} of ${attempt.of})` : 'Connecting…') : 'Log in'}
        </button>
      </form>
    </main>
  );
}
