import type { AppDatabase } from '../../db/postgres/client.ts';
import { type InboundText, recordInboundTexts, type TextReceived } from './texts.ts';

/** The most texts one statement records. */
const MAX_BATCH = 250;

interface Waiting {
  text: InboundText;
  resolve: (received: TextReceived | null) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for inbound texts. A text is written at once when nothing is being written;
 * texts that arrive meanwhile wait for that write and go in the next statement together. One
 * round trip and one commit then serve many webhooks — a socket write to the database was most of
 * the server's work per text — while a lone text waits for nobody. Each webhook is answered
 * only once its text has committed, as before.
 */
export class InboundTextIntake {
  readonly #waiting: Waiting[] = [];
  #writing = false;

  constructor(private readonly db: AppDatabase) {}

  record(text: InboundText): Promise<TextReceived | null> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ text, resolve, reject });
      this.#write();
    });
  }

  #write(): void {
    if (this.#writing || this.#waiting.length === 0) return;
    this.#writing = true;
    const batch = this.#waiting.splice(0, MAX_BATCH);
    recordInboundTexts(
      this.db,
      batch.map((waiting) => waiting.text),
    )
      .then(
        (outcomes) =>
          batch.forEach((waiting, i) => {
            const outcome = outcomes[i] ?? null;
            if (outcome instanceof Error) waiting.reject(outcome);
            else waiting.resolve(outcome);
          }),
        (error: unknown) => batch.forEach((waiting) => waiting.reject(error)),
      )
      .finally(() => {
        this.#writing = false;
        this.#write();
      });
  }
}
