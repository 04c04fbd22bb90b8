import { ChatView } from './features/chat/ChatView';
import { LoginView } from './features/login/LoginView';
import { RosterPanel } from './features/roster/RosterPanel';
import { Header } from './features/session/Header';
import { OfferPrompts } from './features/transfers/OfferPrompts';
import { LinkBanner } from './features/session/LinkBanner';
import { useSession } from './stores/sessionStore';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { TransfersView } from './features/transfersView/TransfersView';
import { ThemeApplier } from './features/settings/ThemeApplier';

/**
 * Signed in: header, roster, the chat (offers of the open chat are in its timeline) and the prompts for other offers. Otherwise the login form, once the host has said
 * there is no session (before that, a neutral placeholder: the host may well be logged in already).
 */
export function App() {
  const hasSession = useSession((s) => s.hasSession);
  const isReady = useSession((s) => s.isReady);
  return (
    <div className="app">
      <ThemeApplier />
      <LinkBanner />
      {hasSession ? (
        <>
          <Header />
          <div className="workspace">
            <RosterPanel />
            <ChatView />
          </div>
          <OfferPrompts />
          <TransfersView />
          <SettingsPanel />
        </>
      ) : isReady ? (
        <LoginView />
      ) : (
        <p className="app__starting" aria-busy="true">Starting…</p>
      )}
    </div>
  );
}
