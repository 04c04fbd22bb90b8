/** An error sentence announced to assistive technology; renders nothing when there is no error. */
export function ErrorText({ text, id }: { text: string | null; id?: string }) {
  if (!text) return null;
  return (
    <p className="error-text" role="alert" id={id}>
      {text}
    </p>
  );
}
