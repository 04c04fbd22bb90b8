import { useSession } from '../../stores/sessionStore';

/** Web host only: says when the page lost its link to the Ferry host, and whether it is retrying. */
export function LinkBanner() {
  const link = useSession((s) => s.link);
  if (link === 'open' || link === 'connecting') return null;
  return (
    <div className="link-banner" role="alert">
      {link === 'reconnecting'
        ? 'Lost the connection to Ferry; reconnecting…'
        : 'Lost the connection to Ferry. Reload the page to try again.'}
    </div>
  );
}
