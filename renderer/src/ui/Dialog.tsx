import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned under the body. */
  footer?: ReactNode;
  /** `drawer` slides in from the right edge (the Edits panel); `modal` is centred. */
  variant?: 'modal' | 'drawer';
  size?: 'sm' | 'md' | 'lg';
  /** Focused on open (else the first focusable control). */
  initialFocus?: React.RefObject<HTMLElement | null>;
}

/**
 * A modal dialog on the native <dialog>: showModal() makes the rest of the page inert (a real
 * focus trap, also for screen readers) and Esc closes it. Focus goes back to what had it before.
 */
export function Dialog({
  open,
  onClose,
  title,
  description,
  children,
  footer,
  variant = 'modal',
  size = 'md',
  initialFocus,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const target =
      initialFocus?.current ??
      dialog.querySelector<HTMLElement>(
        '[autofocus], input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled]):not(.dialog-close), [href], [tabindex]:not([tabindex="-1"])',
      );
    target?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (returnTo?.isConnected) returnTo.focus();
    };
  }, [open, initialFocus]);

  if (!open) return null;
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${variant} dialog-${size}`}
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Esc: close through React state, so the dialog and its state never disagree.
        event.preventDefault();
        onCloseRef.current();
      }}
      onKeyDown={(event) => event.stopPropagation()}
      onMouseDown={(event) => {
        // A click on the backdrop (the dialog element itself, outside its box) closes it.
        if (event.target === ref.current) onCloseRef.current();
      }}
    >
      <div className="dialog-box">
        <header className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button
            type="button"
            className="dialog-close"
            aria-label="Close"
            onClick={() => onCloseRef.current()}
          >
            ×
          </button>
        </header>
        {description ? (
          <div id={descriptionId} className="dialog-description">
            {description}
          </div>
        ) : null}
        <div className="dialog-body">{children}</div>
        {footer ? <footer className="dialog-footer">{footer}</footer> : null}
      </div>
    </dialog>
  );
}
