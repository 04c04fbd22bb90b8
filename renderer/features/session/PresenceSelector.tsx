import type { Show } from '../../../shared/model/session';
import { sessionStore, useSession } from '../../stores/sessionStore';

const CHOICES: [Show, string][] = [
  ['available', 'Available'], ['chat', 'Free to chat'], ['away', 'Away'], ['xa', 'Extended away'], ['dnd', 'Do not disturb'],
];

/** Own presence: a select that calls presence.set through the session store. */
export function PresenceSelector() {
  const show = useSession((s) => s.ownShow);
  const isOnline = useSession((s) => s.snapshot.state === 'online');
  return (
    <div className="presence-select">
      <span className={`presence-dot presence-dot--${isOnline ? show : 'offline'}`} aria-hidden="true" />
      <select aria-label="Your presence" value={show} disabled={!isOnline}
        onChange={(e) => void sessionStore.getState().setPresence(e.target.value as Show)}>
        {CHOICES.map(([choice, label]) => (
          <option key={choice} value={choice}>{label}</option>
        ))}
      </select>
    </div>
  );
}
