/**
 * An error sentence announced to assistive technology; renders nothing when there is no error. With
 * `onDismiss` a Dismiss button sits beside it (an error that would otherwise stay until the next action).
 */
export function ErrorText({ text, id, onDismiss }: { text: string | null; id?: string; onDismiss?: () => void }) {
  if (!text) return null;
  const sentence = <p className="error-text" role="alert" id={id}>{text}</p>;
  if (!onDismiss) return sentence;
  return (
    <div className="error-line">
      {sentence}
      <button type="button" className="ghost error-dismiss" onClick={onDismiss}>Dismiss</button>
    </div>
  );
}
