import { useEffect, useState } from 'react';
import { SETTINGS_KEYS, settingProblem, type Settings, type SettingsKey } from '../../../shared/model/settings';
import { settingsStore, useSettings } from '../../stores/settingsStore';
import { useSession } from '../../stores/sessionStore';
import { FilesSection } from './FilesSection';
import { RulesSection } from './RulesSection';
import { AppearanceSection, NotificationsSection, PrivacySection } from './SimpleSections';
import { NetworkSection } from './NetworkSection';

/** What each section gets: the draft, a way to change it, and the inline error of a field. */
export interface SectionProps {
  draft: Settings;
  change(patch: Partial<Settings>): void;
  problem(key: SettingsKey): string | null;
}

/**
 * The settings of the account, in sections. Changes are a draft until Save (the theme shows at once
 * and goes back on Cancel); each field says inline what is wrong with it, and Save waits until nothing is.
 */
export function SettingsPanel() {
  const isOpen = useSettings((s) => s.isOpen);
  const saved = useSettings((s) => s.settings);
  if (!isOpen) return null;
  if (!saved) return <div className="settings-panel" role="dialog" aria-label="Settings"><p aria-busy="true">Loading settings…</p></div>;
  return <SettingsForm saved={saved} />;
}

function SettingsForm({ saved }: { saved: Settings }) {
  const [draft, setDraft] = useState<Settings>(saved);
  const errorText = useSettings((s) => s.errorText);
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles ?? false);
  const [isSaving, setSaving] = useState(false);
  const [isSaved, setSaved] = useState(false);
  const problems = Object.fromEntries(SETTINGS_KEYS.map((key) => [key, settingProblem(key, draft[key])])) as Record<SettingsKey, string | null>;
  const hasProblems = Object.values(problems).some((p) => p !== null);
  const change = (patch: Partial<Settings>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
    if (patch.theme) settingsStore.getState().preview(patch.theme);
  };
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => { if (event.key === 'Escape') settingsStore.getState().close(); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const onSave = async () => {
    setSaving(true);
    const ok = await settingsStore.getState().save(draft);
    setSaving(false);
    setSaved(ok);
  };
  const props: SectionProps = { draft, change, problem: (key) => problems[key] };
  return (
    <div className="settings-panel" role="dialog" aria-modal="true" aria-labelledby="settings-title">
      <div className="settings-panel__head">
        <h2 id="settings-title">Settings</h2>
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => settingsStore.getState().close()}>Close</button>
      </div>
      <div className="settings-panel__body">
        <FilesSection {...props} hasNativeFiles={hasNativeFiles} />
        <RulesSection {...props} />
        <NotificationsSection {...props} />
        <PrivacySection {...props} />
        <AppearanceSection {...props} />
        <NetworkSection {...props} />
      </div>
      <div className="settings-panel__foot">
        {errorText ? <p role="alert" className="error">{errorText}</p> : null}
        {isSaved ? <span role="status" className="settings-saved">Saved</span> : null}
        <span className="spacer" />
        <button type="button" className="ghost" onClick={() => settingsStore.getState().close()}>Cancel</button>
        <button type="button" className="primary" disabled={hasProblems || isSaving} onClick={() => void onSave()}>
          {isSaving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </div>
  );
}

/** A field's inline error, tied to its input by id. */
export function FieldError({ id, text }: { id: string; text: string | null }) {
  return text ? <p id={id} className="field-error" role="alert">{text}</p> : null;
}
