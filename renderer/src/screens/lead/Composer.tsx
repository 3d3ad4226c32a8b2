import { useRef, useState, type FormEvent } from 'react';
import type { DesktopError } from '../../api/client.ts';
import { addNote, asDesktopError, queueText } from '../../leads/actions.ts';
import type { SmsOptOut } from '../../leads/sms-opt-out.ts';
import { Button, ErrorMessage, TextArea } from '../../ui/index.ts';

export type ComposeMode = 'text' | 'note';

const limits: Record<ComposeMode, number> = { text: 1600, note: 5000 };

/**
 * Writes a text to the lead (queued: sent by the server when the edit arrives, so it shows at once
 * as "queued") or a note on the lead. Ctrl/⌘+Enter sends. While the customer has opted out of
 * texts (`optOut`) the Text tab says why instead of sending; notes work as ever.
 */
export function Composer({
  leadId,
  mode,
  onModeChange,
  textareaRef,
  optOut,
}: {
  leadId: string;
  mode: ComposeMode;
  onModeChange: (mode: ComposeMode) => void;
  textareaRef: React.RefObject<HTMLTextAreaElement | null>;
  optOut: SmsOptOut | null;
}) {
  const [drafts, setDrafts] = useState<Record<ComposeMode, string>>({ text: '', note: '' });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const body = drafts[mode];
  /** Why this tab cannot send, if it cannot. */
  const textOff = mode === 'text' ? optOut : null;

  async function send(event?: FormEvent) {
    event?.preventDefault();
    const trimmed = body.trim();
    if (!trimmed || textOff) return;
    setBusy(true);
    setProblem(null);
    try {
      if (mode === 'text') await queueText(leadId, trimmed);
      else await addNote(leadId, trimmed);
      setDrafts((current) => ({ ...current, [mode]: '' }));
    } catch (error) {
      setProblem(asDesktopError(error));
    } finally {
      setBusy(false);
      textareaRef.current?.focus();
    }
  }

  return (
    <form ref={formRef} className="composer" onSubmit={(event) => void send(event)}>
      <div className="composer-tabs" role="tablist" aria-label="Write">
        {(['text', 'note'] as const).map((kind) => (
          <button
            key={kind}
            type="button"
            role="tab"
            aria-selected={mode === kind}
            className={mode === kind ? 'composer-tab active' : 'composer-tab'}
            onClick={() => {
              onModeChange(kind);
              textareaRef.current?.focus();
            }}
          >
            {kind === 'text' ? 'Text' : 'Note'}
          </button>
        ))}
      </div>
      <TextArea
        ref={textareaRef}
        label={mode === 'text' ? 'Text message' : 'Note'}
        hideLabel
        value={body}
        onChange={(event) => setDrafts((current) => ({ ...current, [mode]: event.target.value }))}
        maxLength={limits[mode]}
        rows={3}
        disabled={textOff !== null}
        hint={textOff?.explanation}
        placeholder={
          textOff
            ? textOff.placeholder
            : mode === 'text'
              ? 'Write a text to the customer… (Ctrl+Enter to send)'
              : 'Add a note for the team… (Ctrl+Enter to save)'
        }
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void send();
        }}
      />
      <div className="composer-footer">
        <span className="faint small nums">
          {mode === 'text' && !textOff ? `${body.length}/${limits.text}` : ''}
        </span>
        <Button
          type="submit"
          variant="primary"
          size="sm"
          busy={busy}
          disabled={!body.trim() || textOff !== null}
        >
          {mode === 'text' ? 'Send text' : 'Add note'}
        </Button>
      </div>
      <ErrorMessage error={problem} />
    </form>
  );
}
