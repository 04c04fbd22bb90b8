import { useState, type FormEvent } from 'react';
import { rosterStore } from '../../stores/rosterStore';

/** Adds a contact by address; clears itself when the host accepted it. */
export function AddContactForm() {
  const [jid, setJid] = useState('');
  const [isBusy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const isAdded = await rosterStore.getState().add(jid);
    setBusy(false);
    if (isAdded) setJid('');
  };
  return (
    <form className="add-contact" aria-label="Add contact" onSubmit={(e) => void submit(e)}>
      <input type="text" aria-label="Contact address" placeholder="name@example.org" value={jid}
        onChange={(e) => setJid(e.target.value)} />
      <button type="submit" className="small" disabled={isBusy || jid.trim() === ''}>Add</button>
    </form>
  );
}
