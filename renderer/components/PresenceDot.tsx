import type { Availability } from '../features/roster/presence';

/** A coloured dot for a presence value; decorative, the label is always written next to it. */
export function PresenceDot({ show }: { show: Availability }) {
  return <span className={`presence-dot presence-dot--${show}`} aria-hidden="true" />;
}
