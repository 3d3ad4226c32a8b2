import { useId, type InputHTMLAttributes, type Ref, type TextareaHTMLAttributes } from 'react';

interface FieldChrome {
  label: string;
  /** Hide the label visually (it still names the control for screen readers). */
  hideLabel?: boolean;
  hint?: string;
  error?: string | undefined;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || undefined;
}

function Chrome({
  id,
  label,
  hideLabel,
  hint,
  error,
  children,
}: FieldChrome & { id: string; children: React.ReactNode }) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      {children}
      {hint && !error ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

export interface TextFieldProps
  extends FieldChrome, Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text input with an optional hint and error (announced, and tied by aria). */
export function TextField({ label, hideLabel, hint, error, className, ...rest }: TextFieldProps) {
  const id = useId();
  return (
    <Chrome id={id} label={label} hideLabel={hideLabel} hint={hint} error={error}>
      <input
        {...rest}
        id={id}
        className={`input ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Chrome>
  );
}

export interface TextAreaProps
  extends FieldChrome, Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextArea({ label, hideLabel, hint, error, className, ...rest }: TextAreaProps) {
  const id = useId();
  return (
    <Chrome id={id} label={label} hideLabel={hideLabel} hint={hint} error={error}>
      <textarea
        rows={3}
        {...rest}
        id={id}
        className={`input textarea ${className ?? ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
      />
    </Chrome>
  );
}
