import { useState } from 'react';
import { ruleProblem, type AutoAcceptRule } from '../../../shared/model/settings';
import { formatBytes } from '../../../shared/model/fileDisplay';
import { FieldError, type SectionProps } from './SettingsPanel';

/** The panel's MB is the one formatBytes shows (shared/model/fileDisplay.ts): 1024 × 1024 bytes. */
const MB = 1024 * 1024;

function ruleText(rule: AutoAcceptRule): string {
  const who = rule.contact === '*' ? 'any contact' : rule.contact;
  const what = rule.mediaType === '*' ? 'any file' : rule.mediaType;
  return `${what} from ${who}, up to ${formatBytes(rule.maxSizeBytes)}`;
}

/** Auto-accept rules: a list with Remove, and a form to add one (contact, type, size), checked as typed. */
export function RulesSection({ draft, change, problem }: SectionProps) {
  const [contact, setContact] = useState('');
  const [mediaType, setMediaType] = useState('image/*');
  const [sizeMb, setSizeMb] = useState('10');
  const [isTried, setTried] = useState(false);
  const candidate = { contact: contact.trim(), mediaType: mediaType.trim().toLowerCase(), maxSizeBytes: Math.round(Number(sizeMb) * MB) };
  const formError = sizeMb.trim() === '' || !Number.isFinite(Number(sizeMb)) ? 'the size must be a number of MB' : ruleProblem(candidate);
  const add = () => {
    setTried(true);
    if (formError) return;
    change({ autoAccept: [...draft.autoAccept, candidate] });
    setContact('');
    setTried(false);
  };
  const remove = (index: number) => change({ autoAccept: draft.autoAccept.filter((_, i) => i !== index) });
  return (
    <section className="settings-section" aria-labelledby="settings-rules">
      <h3 id="settings-rules">Accept without asking</h3>
      <p className="muted">Files matching a rule are saved at once. Offers from people who are not in your contacts always ask.</p>
      {draft.autoAccept.length === 0 ? <p className="muted">No rules: every offer asks.</p> : (
        <ul className="settings-rules" aria-label="Auto-accept rules">
          {draft.autoAccept.map((rule, index) => (
            <li key={`${rule.contact} ${rule.mediaType} ${index}`}>
              <span>{ruleText(rule)}</span>
              <button type="button" className="ghost" aria-label={`Remove rule: ${ruleText(rule)}`} onClick={() => remove(index)}>Remove</button>
            </li>
          ))}
        </ul>
      )}
      <FieldError id="err-autoAccept" text={problem('autoAccept')} />
      <div className="settings-row settings-rule-form">
        <label className="settings-field settings-field--wide"><span>Contact</span>
          <input type="text" value={contact} placeholder="bob@example.org or *" onChange={(e) => setContact(e.target.value)} aria-invalid={isTried && formError !== null} />
        </label>
        <label className="settings-field"><span>File type</span>
          <input type="text" value={mediaType} placeholder="image/*" onChange={(e) => setMediaType(e.target.value)} />
        </label>
        <label className="settings-field settings-field--narrow"><span>Up to (MB)</span>
          <input type="number" min="0" step="any" value={sizeMb} onChange={(e) => setSizeMb(e.target.value)} />
        </label>
        <button type="button" onClick={add}>Add rule</button>
      </div>
      <FieldError id="err-rule-form" text={isTried ? formError : null} />
    </section>
  );
}
