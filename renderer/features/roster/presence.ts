/** How a contact's presence reads in the UI: one show value, a label and the status text. */
import type { ResourcePresence, RosterItem, Show } from '../../../shared/model/session';

export type Availability = Show | 'offline';

export interface PresenceView {
  show: Availability;
  label: string;
  status: string;
}

const LABELS: Record<Availability, string> = {
  chat: 'Free to chat',
  available: 'Online',
  away: 'Away',
  xa: 'Extended away',
  dnd: 'Do not disturb',
  offline: 'Offline',
};

const RANK: Record<Show, number> = { chat: 0, available: 1, away: 2, xa: 3, dnd: 4 };

/** The label shown for a presence value. */
export function presenceLabel(show: Availability): string {
  return LABELS[show];
}

/** The resource that speaks for the contact: highest priority, then the most available. */
export function bestResource(resources: ResourcePresence[]): ResourcePresence | null {
  if (resources.length === 0) return null;
  return [...resources].sort((a, b) => b.priority - a.priority || RANK[a.show] - RANK[b.show])[0];
}

/** The presence of a roster item as the roster shows it. */
export function presenceOf(item: RosterItem): PresenceView {
  const best = bestResource(item.resources);
  if (!best) return { show: 'offline', label: LABELS.offline, status: subscriptionNote(item) };
  return { show: best.show, label: LABELS[best.show], status: best.status };
}

function subscriptionNote(item: RosterItem): string {
  if (item.isPending) return 'Waiting for approval';
  if (item.subscription === 'none' || item.subscription === 'from') return 'Not sharing presence';
  return '';
}

/** The name to show for a contact: its roster name, else the local part, else the JID. */
export function displayName(item: Pick<RosterItem, 'jid' | 'name'>): string {
  if (item.name.trim()) return item.name.trim();
  const at = item.jid.indexOf('@');
  return at > 0 ? item.jid.slice(0, at) : item.jid;
}
