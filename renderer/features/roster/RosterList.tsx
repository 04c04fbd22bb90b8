import { useShallow } from 'zustand/react/shallow';
import type { RosterItem } from '../../../shared/model/session';
import { useRoster } from '../../stores/rosterStore';
import { displayName, presenceOf } from './presence';
import { RosterRow } from './RosterRow';

const ORDER = { chat: 0, available: 0, away: 1, xa: 1, dnd: 1, offline: 2 } as const;

/** Online contacts first, then by name. */
export function sortRoster(items: RosterItem[]): RosterItem[] {
  return [...items]
    .filter((item) => item.subscription !== 'remove')
    .sort((a, b) => ORDER[presenceOf(a).show] - ORDER[presenceOf(b).show] || displayName(a).localeCompare(displayName(b)));
}

/** The contact list; each row opens that contact's chat. */
export function RosterList() {
  const jids = useRoster(useShallow((s) => sortRoster(s.items).map((item) => item.jid)));
  if (jids.length === 0) return <p className="empty">No contacts yet. Add one below.</p>;
  return (
    <ul className="roster-list" aria-label="Contacts">
      {jids.map((jid) => <RosterRow key={jid} jid={jid} />)}
    </ul>
  );
}
