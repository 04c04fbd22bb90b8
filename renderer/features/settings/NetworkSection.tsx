import { useState } from 'react';
import { SEND_METHODS, type SendMethodName } from '../../../shared/model/settings';
import { FieldError, type SectionProps } from './SettingsPanel';

const METHOD_NAMES: Record<SendMethodName, string> = {
  jingle: 'Direct (Jingle)', si: 'Direct (older clients, SI)', 'http-upload': 'Through the server (upload)', kontalk: 'Through the server (Kontalk)',
};

const splitList = (text: string): string[] => text.split(/[\s,]+/).filter((item) => item !== '');

/** A list typed as text (spaces, commas or lines between entries); the text is kept as typed. */
function ListField({ label, value, onChange, error, id, placeholder }: {
  label: string; value: string[]; onChange(list: string[]): void; error: string | null; id: string; placeholder: string;
}) {
  const [text, setText] = useState(value.join(', '));
  return (
    <>
      <label className="settings-field"><span>{label}</span>
        <input
          type="text" value={text} placeholder={placeholder} aria-invalid={error !== null} aria-describedby={error ? id : undefined}
          onChange={(e) => { setText(e.target.value); onChange(splitList(e.target.value)); }}
        />
      </label>
      <FieldError id={id} text={error} />
    </>
  );
}

/** SOCKS5 ports, extra addresses and proxies, and the order of methods. */
export function NetworkSection({ draft, change, problem }: SectionProps) {
  const [first, setFirst] = useState(draft.socks5Ports ? String(draft.socks5Ports.first) : '');
  const [last, setLast] = useState(draft.socks5Ports ? String(draft.socks5Ports.last) : '');
  const setPorts = (a: string, b: string) => {
    setFirst(a);
    setLast(b);
    change({ socks5Ports: a.trim() === '' && b.trim() === '' ? null : { first: Number(a || b), last: Number(b || a) } });
  };
  const move = (index: number, by: -1 | 1) => {
    const order = [...draft.methodOrder];
    [order[index], order[index + by]] = [order[index + by]!, order[index]!];
    change({ methodOrder: order });
  };
  const portsError = problem('socks5Ports');
  return (
    <section className="settings-section" aria-labelledby="settings-network">
      <h3 id="settings-network">Network</h3>
      <p className="settings-label">Ports for direct connections <span className="muted">(empty: any free port)</span></p>
      <div className="settings-row">
        <label className="settings-field settings-field--narrow"><span>From port</span>
          <input type="number" value={first} placeholder="any" aria-invalid={portsError !== null} onChange={(e) => setPorts(e.target.value, last)} />
        </label>
        <label className="settings-field settings-field--narrow"><span>To port</span>
          <input type="number" value={last} placeholder="any" aria-invalid={portsError !== null} onChange={(e) => setPorts(first, e.target.value)} />
        </label>
      </div>
      <FieldError id="err-socks5Ports" text={portsError} />
      <ListField label="Extra addresses to offer (your external IP)" id="err-extraAddresses" placeholder="203.0.113.7"
        value={draft.extraAddresses} error={problem('extraAddresses')} onChange={(extraAddresses) => change({ extraAddresses })} />
      <ListField label="Extra relays (SOCKS5 proxies)" id="err-extraProxies" placeholder="proxy.example.org"
        value={draft.extraProxies} error={problem('extraProxies')} onChange={(extraProxies) => change({ extraProxies })} />
      <p className="settings-label">Preferred order of ways to send <span className="muted">(Ferry tries the ones that fit in this order)</span></p>
      <ol className="settings-methods" aria-label="Preferred order of ways to send">
        {draft.methodOrder.map((method, index) => (
          <li key={method}>
            <span>{METHOD_NAMES[method] ?? method}</span>
            <button type="button" className="ghost" aria-label={`Move ${METHOD_NAMES[method]} up`} disabled={index === 0} onClick={() => move(index, -1)}>↑</button>
            <button type="button" className="ghost" aria-label={`Move ${METHOD_NAMES[method]} down`} disabled={index === SEND_METHODS.length - 1} onClick={() => move(index, 1)}>↓</button>
          </li>
        ))}
      </ol>
    </section>
  );
}
