import { ErrorText } from '../../components/ErrorText';
import { useRoster } from '../../stores/rosterStore';
import { AddContactForm } from './AddContactForm';
import { PendingRequests } from './PendingRequests';
import { RosterList } from './RosterList';

/** The sidebar: pending subscription requests, the contact list, and the add-contact form. */
export function RosterPanel() {
  const error = useRoster((s) => s.errorText);
  return (
    <aside className="roster" aria-label="Roster">
      <PendingRequests />
      <h2 className="section-title">Contacts</h2>
      <RosterList />
      <ErrorText text={error} />
      <AddContactForm />
    </aside>
  );
}
