import { sessionStore, useSession } from '../../stores/sessionStore';

/** Offers one-click login with credentials the Electron host remembered; nothing otherwise. */
export function RememberedLogin() {
  const rememberedJid = useSession((s) => (s.host?.kind === 'electron' ? s.host.rememberedJid : null));
  const isBusy = useSession((s) => s.isBusy);
  if (!rememberedJid) return null;
  return (
    <div className="remembered">
      <button type="button" className="primary" disabled={isBusy}
        onClick={() => void sessionStore.getState().loginRemembered()}>
        Log in as {rememberedJid}
      </button>
      <p className="hint">or use another account:</p>
    </div>
  );
}
