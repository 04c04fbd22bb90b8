import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { useSession } from '../../stores/sessionStore';
import { transfersStore } from '../../stores/transfersStore';

/**
 * Accept, "Save to…" (where the host has a folder dialog) and Decline for one offer. Accept asks for the
 * folder itself when the settings say "ask where to save every time" (transfersStore.accept). With
 * `isNamed` the buttons' accessible names carry the file name (rows of a batch card).
 */
export function OfferActions({ offer, isNamed = false }: { offer: TransferSummary; isNamed?: boolean }) {
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles === true);
  const store = transfersStore.getState();
  const name = shownFileName(offer).name;
  const label = (verb: string) => (isNamed ? `${verb} ${name}` : undefined);
  return (
    <div className="offer-actions">
      <button type="button" className="primary" aria-label={label('Accept')} onClick={() => void store.accept(offer.id)}>Accept</button>
      {hasNativeFiles && (
        <button type="button" aria-label={isNamed ? `Save ${name} to…` : undefined} onClick={() => void store.acceptInto(offer.id)}>Save to…</button>
      )}
      <button type="button" className="ghost" aria-label={label('Decline')} onClick={() => void store.decline(offer.id)}>Decline</button>
    </div>
  );
}
