import type { NotificationEvent, Theme } from '../../../shared/model/settings';
import type { SectionProps } from './SettingsPanel';

const EVENTS: { event: NotificationEvent; label: string }[] = [
  { event: 'offerArrived', label: 'Someone offers me a file' },
  { event: 'transferDone', label: 'A transfer is done' },
  { event: 'transferFailed', label: 'A transfer failed' },
];

/** Notifications on or off per event. */
export function NotificationsSection({ draft, change }: SectionProps) {
  return (
    <section className="settings-section" aria-labelledby="settings-notifications">
      <h3 id="settings-notifications">Notify me when</h3>
      {EVENTS.map(({ event, label }) => (
        <label key={event} className="settings-check">
          <input
            type="checkbox" checked={draft.notifications[event]}
            onChange={(e) => change({ notifications: { ...draft.notifications, [event]: e.target.checked } })}
          />
          {label}
        </label>
      ))}
      <p className="muted">In the browser, Ferry asks for permission the first time it has something to tell.</p>
    </section>
  );
}

/** What chatting tells contacts (XEP-0085 §5.1: turning chat states off is the user's choice). */
export function PrivacySection({ draft, change }: SectionProps) {
  return (
    <section className="settings-section" aria-labelledby="settings-privacy">
      <h3 id="settings-privacy">Chat</h3>
      <label className="settings-check">
        <input type="checkbox" checked={draft.sendChatStates} onChange={(e) => change({ sendChatStates: e.target.checked })} />
        Tell contacts when I am typing
      </label>
      <p className="muted">Only contacts who may see that you are online are told; strangers never are.</p>
    </section>
  );
}

const THEMES: { theme: Theme; label: string }[] = [
  { theme: 'system', label: 'Like the system' },
  { theme: 'light', label: 'Light' },
  { theme: 'dark', label: 'Dark' },
];

/** Light, dark or the system's; shown at once. */
export function AppearanceSection({ draft, change }: SectionProps) {
  return (
    <section className="settings-section" aria-labelledby="settings-appearance">
      <h3 id="settings-appearance">Appearance</h3>
      <div role="radiogroup" aria-labelledby="settings-appearance" className="settings-row">
        {THEMES.map(({ theme, label }) => (
          <label key={theme} className="settings-check">
            <input type="radio" name="theme" checked={draft.theme === theme} onChange={() => change({ theme })} />
            {label}
          </label>
        ))}
      </div>
    </section>
  );
}
