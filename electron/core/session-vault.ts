import { z } from 'zod';
import { businessSummarySchema, memberSummarySchema } from '../../db/wire/auth.ts';

/**
 * What the desktop keeps of a sign-in so that it opens signed in, offline too: who, for which
 * business, on which server, and the refresh token (a secret: the vault that stores it encrypts
 * it — Electron's safeStorage — or keeps it in memory only; it is never logged).
 */
export const storedSessionSchema = z.object({
  serverUrl: z.url(),
  refreshToken: z.string().min(1),
  member: memberSummarySchema,
  business: businessSummarySchema,
});
export type StoredSession = z.infer<typeof storedSessionSchema>;

export interface SessionVault {
  load(): Promise<StoredSession | null>;
  save(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
}

/** A vault that forgets on exit: the browser shell's (a loopback page has no keychain). */
export function memoryVault(initial: StoredSession | null = null): SessionVault {
  let stored = initial;
  return {
    load: () => Promise.resolve(stored),
    save: (session) => {
      stored = storedSessionSchema.parse(session);
      return Promise.resolve();
    },
    clear: () => {
      stored = null;
      return Promise.resolve();
    },
  };
}
