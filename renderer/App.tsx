import { ChatView } from './features/chat/ChatView';
import { LoginView } from './features/login/LoginView';
import { RosterPanel } from './features/roster/RosterPanel';
import { Header } from './features/session/Header';
import { OfferDialogs } from './features/transfers/OfferDialogs';
import { LinkBanner } from './features/session/LinkBanner';
import { useSession } from './stores/sessionStore';

/** Signed in: header, roster, chat and incoming offers. Otherwise the login form. */
export function App() {
  const hasSession = useSession((s) => s.hasSession);
  return (
    <div className="app">
      <LinkBanner />
      {hasSession ? (
        <>
          <Header />
          <div className="workspace">
            <RosterPanel />
            <ChatView />
          </div>
          <OfferDialogs />
        </>
      ) : (
        <LoginView />
      )}
    </div>
  );
}
