import { api } from '../../api';
import { FieldError, type SectionProps } from './SettingsPanel';

/** Where files go: a folder (picked where the host has native dialogs, typed otherwise), and "ask every time". */
export function FilesSection({ draft, change, problem, hasNativeFiles }: SectionProps & { hasNativeFiles: boolean }) {
  const error = problem('downloadDir');
  const pick = async () => {
    const folder = await api.invoke('file.pickFolder').catch(() => null);
    if (folder) change({ downloadDir: folder });
  };
  return (
    <section className="settings-section" aria-labelledby="settings-files">
      <h3 id="settings-files">Received files</h3>
      <label className="settings-field">
        <span>Download folder</span>
        <span className="settings-row">
          <input
            type="text" value={draft.downloadDir ?? ''} placeholder="The default download folder" readOnly={hasNativeFiles}
            aria-invalid={error !== null} aria-describedby={error ? 'err-downloadDir' : undefined}
            onChange={(e) => change({ downloadDir: e.target.value === '' ? null : e.target.value })}
          />
          {hasNativeFiles ? <button type="button" onClick={() => void pick()}>Choose…</button> : null}
          {draft.downloadDir !== null ? <button type="button" className="ghost" onClick={() => change({ downloadDir: null })}>Use default</button> : null}
        </span>
      </label>
      <FieldError id="err-downloadDir" text={error} />
      {hasNativeFiles ? (
        <label className="settings-check">
          <input type="checkbox" checked={draft.askWhereToSave} onChange={(e) => change({ askWhereToSave: e.target.checked })} />
          Ask where to save every time
        </label>
      ) : null}
    </section>
  );
}
