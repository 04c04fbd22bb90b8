import { useRef, type ChangeEvent } from 'react';
import { useSession } from '../../stores/sessionStore';
import { transfersStore } from '../../stores/transfersStore';

/**
 * "Send file" for the open chat: the host's native file dialog when it has one (Electron), else a
 * hidden multiple file input whose files the web host stages.
 */
export function SendFileButton({ jid }: { jid: string }) {
  const hasNativeFiles = useSession((s) => s.host?.hasNativeFiles === true);
  const input = useRef<HTMLInputElement>(null);
  const onClick = () => {
    if (hasNativeFiles) void transfersStore.getState().pickAndSend(jid);
    else input.current?.click();
  };
  const onPicked = (event: ChangeEvent<HTMLInputElement>) => {
    const files = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (files.length > 0) void transfersStore.getState().sendFiles(jid, files);
  };
  return (
    <>
      <button type="button" className="small primary" onClick={onClick} title="Or drop files on the chat">Send file</button>
      {!hasNativeFiles && (
        <input ref={input} type="file" multiple hidden aria-label="Files to send" tabIndex={-1} onChange={onPicked} />
      )}
    </>
  );
}
