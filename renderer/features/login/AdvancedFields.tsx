import { useEffect, useRef } from 'react';

/** The form's Advanced values: where to connect and whether plaintext is allowed on loopback. */
export interface AdvancedValues {
  service: string;
  allowPlaintext: boolean;
}

/**
 * A collapsible Advanced section: service URL and "allow plaintext on loopback". `reveal` opens it (after a
 * failure it can mend); it never closes it: the user does.
 */
export function AdvancedFields({ value, onChange, reveal = false }: {
  value: AdvancedValues; onChange: (next: AdvancedValues) => void; reveal?: boolean;
}) {
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => { if (reveal && details.current) details.current.open = true; }, [reveal]);
  return (
    <details className="advanced" ref={details}>
      <summary>Advanced</summary>
      <div className="advanced-body">
        <label className="field">
          <span>Service URL</span>
          <input type="text" name="service" placeholder="xmpp://host:5222 or xmpps://host:5223" value={value.service}
            onChange={(e) => onChange({ ...value, service: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={value.allowPlaintext}
            onChange={(e) => onChange({ ...value, allowPlaintext: e.target.checked })} />
          <span>Allow plaintext on loopback</span>
        </label>
        <p className="hint">Without encryption only for a server on this machine (127.0.0.1 or ::1).</p>
      </div>
    </details>
  );
}
