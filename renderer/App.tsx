import { ChatView } from './features/chat/ChatView';
import { LoginView } from './features/login/LoginView';
import { RosterPanel } from './features/roster/RosterPanel';
import { Header } from './features/session/Header';
import { LinkBanner } from './features/session/LinkBanner';
import { useSession } from './stores/sessionStore';

/** Signed in: header, roster and chat. Otherwise the login form. */
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
        </>
      ) : (
        <LoginView />
      )}
    </div>
  );
}
