import type { ChatMessage } from '../../../shared/model/session';

/** "Delivered" under a sent message once the peer's client confirmed it (XEP-0184); nothing before or for incoming. */
export function DeliveryMark({ message }: { message: ChatMessage }) {
  if (message.direction !== 'outgoing' || message.deliveredAt == null) return null;
  const at = new Date(message.deliveredAt);
  return (
    <span className="delivery-mark" title={`Delivered at ${at.toLocaleString()}`}>
      <span aria-hidden="true">✓ </span>Delivered
    </span>
  );
}
