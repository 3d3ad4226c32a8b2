/** An error said plainly, announced to screen readers; `code` is kept for support, small. */
export function ErrorMessage({
  error,
}: {
  error: { code?: string; message: string } | string | undefined | null;
}) {
  if (!error) return null;
  const { message, code } = typeof error === 'string' ? { message: error, code: undefined } : error;
  return (
    <div className="error-message" role="alert">
      <span>{message}</span>
      {code ? <span className="error-code">{code}</span> : null}
    </div>
  );
}
