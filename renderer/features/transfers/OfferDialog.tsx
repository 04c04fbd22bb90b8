import { useId } from 'react';
import { shownFileName } from '../../../shared/model/fileDisplay';
import type { TransferSummary } from '../../../shared/model/transfer';
import { toBareJid } from '../../../shared/model/jid';
import { useRoster } from '../../stores/rosterStore';
import { useSession } from '../../stores/sessionStore';
import { transfersStore } from '../../stores/transfersStore';
import { displayName } from '../roster/presence';
import { formatFileSize, linkHost } from './format';
import { Thumbnail } from './Thumbnail';

/** Who offers the file: the contact's name, or the JID marked as a stranger. */
function Sender({ peer }: { peer: string }) {
  const bare = toBareJid(peer);
  const item = useRoster((s) => s.items.find((i) => i.jid === bare && i.subscription !== 'remove'));
  if (!item) {
    return (
      <>
        <strong>{bare}</strong> <span className="stranger">not in your contacts</span>
      </>
    );
  }
  return <><strong>{displayName(item)}</strong> <span className="offer-jid">({peer})</span></>;
}

/**
 * One incoming offer waiting for an answer: sender, the name it will be saved as (and the offered one,
 * invisible characters revealed, when they differ), size and media type (from the extension, by the
 * core), with Accept, Decline and (when the host has a folder dialog) "Save to…".
 */
export function OfferDialog({ offer }: { offer: TransferSummary }) {
  const titleId = useId();
  const descriptionId = useId();
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles === true);
  const store = transfersStore.getState();
  const { file } = offer;
  const shown = shownFileName(offer);
  return (
    <div className="offer-dialog" role="dialog" aria-labelledby={titleId} aria-describedby={descriptionId}>
      <h2 id={titleId} className="offer-title">Incoming file: {shown.name}</h2>
      <div id={descriptionId} className="offer-body">
        <p className="offer-from">From <Sender peer={offer.peer} /></p>
        <dl className="offer-facts">
          <dt>Name</dt><dd className="offer-name" title={shown.name}>{shown.name}</dd>
          {shown.offeredAs !== null && (
            <><dt>Offered as</dt><dd className="offer-offered-as" title={shown.offeredAs}>{shown.offeredAs}</dd></>
          )}
          <dt>Size</dt><dd>{formatFileSize(offer)}</dd>
          <dt>Type</dt><dd>{file.mediaType || 'unknown'}</dd>
          {offer.url !== null && <><dt>Shared</dt><dd className="offer-link" title={offer.url}>as a link on {linkHost(offer.url)}</dd></>}
        </dl>
        <Thumbnail transfer={offer} />
      </div>
      <div className="offer-actions">
        <button type="button" className="primary" onClick={() => void store.accept(offer.id)}>Accept</button>
        {hasNativeFiles && (
          <button type="button" onClick={() => void store.acceptInto(offer.id)}>Save to…</button>
        )}
        <button type="button" className="ghost" onClick={() => void store.decline(offer.id)}>Decline</button>
      </div>
    </div>
  );
}
