import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncedTable } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { MigrationFile } from '../../db/migration-files.ts';
import type { MutationName } from '../../db/mutations/catalogue.ts';
import { migrateReplica } from '../../db/replica/migrate.ts';
import { type Database, openReplica } from '../../db/replica/open.ts';
import type { AuthResult } from '../../db/wire/auth.ts';
import {
  type DesktopEvent,
  type DesktopResponse,
  desktopChannels,
} from '../../db/wire/desktop-api.ts';
import type { Session } from '../../db/wire/desktop-views.ts';
import { AlertWatch } from './alerts.ts';
import { createDesktopHandlers, type DesktopHandlers } from './api.ts';
import { DesktopCore, type DesktopCoreOptions } from './desktop-core.ts';
import { dispatch, type DispatchLog } from './dispatch.ts';
import { missedUnseen } from './queries/calls.ts';
import { createReadHandlers } from './queries/read-handlers.ts';
import { refreshAtServer, signInToServer, signOutAtServer } from './server-auth.ts';
import type { SessionVault, StoredSession } from './session-vault.ts';

export interface DesktopHostOptions {
  /** The desktop's own folder: one replica per signed-in member lives under `replicas/`. */
  dataDir: string;
  serverUrl: string;
  /** Stable id of this installation (the server keeps one session per device). */
  deviceId: string;
  deviceName?: string;
  vault: SessionVault;
  /** Every event for the renderer and the shell (notifications, badge). */
  emit: (event: DesktopEvent) => void;
  log?: DispatchLog & { warn(message: string): void };
  fetch?: typeof fetch;
  /** The replica's migrations, when they are not next to db/replica (a bundled app). */
  replicaMigrations?: MigrationFile[];
  core?: Partial<Pick<DesktopCoreOptions, 'liveSse' | 'backoff' | 'outcomeGraceMs' | 'push'>>;
  clock?: () => number;
}

/** The typed desktop API of one installation, whatever hosts it (utility process, browser shell). */
export interface DesktopHost {
  /** Resolves once a kept session has been reopened (or found absent). */
  readonly ready: Promise<void>;
  invoke(channel: unknown, args: unknown): Promise<DesktopResponse<unknown>>;
  /** The current session, sync, write and badge events: what a new subscriber needs first. */
  snapshot(): DesktopEvent[];
  close(): Promise<void>;
}

/** Which table an action's optimistic effect lands in (for the renderer's re-reads). */
const tableOfAction: Record<MutationName, SyncedTable> = {
  'lead.create': 'leads',
  'lead.update': 'leads',
  'lead.move': 'leads',
  'call.logOutbound': 'call_logs',
  'lead.addNote': 'lead_notes',
  'text.queue': 'sms_logs',
};

/** Refresh the access token this long before it expires, so no request carries a stale one. */
const EXPIRY_MARGIN_MS = 60_000;

interface SignedIn {
  stored: StoredSession;
  replica: Database;
  core: DesktopCore;
  alerts: AlertWatch;
  handlers: DesktopHandlers;
  access: { token: string; expiresAt: number } | undefined;
  refreshing: Promise<string> | undefined;
  off: (() => void)[];
}

export function createDesktopHost(options: DesktopHostOptions): DesktopHost {
  return new Host(options);
}

class Host implements DesktopHost {
  readonly ready: Promise<void>;
  readonly #options: DesktopHostOptions;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #signedIn: SignedIn | undefined;
  #changed = new Set<SyncedTable>();
  #flushScheduled = false;
  #closed = false;
  /** Sign-in and sign-out one at a time: a double click must not open the replica twice. */
  #sessionWork: Promise<unknown> = Promise.resolve();

  constructor(options: DesktopHostOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#now = options.clock ?? Date.now;
    // Never rejects: a session that cannot be reopened leaves the desktop signed out, not broken.
    this.ready = this.#restore().catch((error: unknown) => {
      this.#options.log?.error('Reopening the kept session failed', error);
    });
  }

  async invoke(channel: unknown, args: unknown): Promise<DesktopResponse<unknown>> {
    await this.ready;
    return dispatch(this.#handlers(), channel, args, this.#options.log);
  }

  snapshot(): DesktopEvent[] {
    const events: DesktopEvent[] = [{ type: 'session', session: this.#session() }];
    const signedIn = this.#signedIn;
    if (signedIn) {
      events.push(
        { type: 'sync', status: signedIn.core.sync.status() },
        { type: 'writes', status: signedIn.core.writeStatus() },
        { type: 'badge', missedUnseen: missedUnseen(signedIn.replica) },
      );
    }
    return events;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.ready.catch(() => undefined);
    await this.#sessionWork.catch(() => undefined);
    await this.#shut();
  }

  // --- the session ------------------------------------------------------------------------------

  async #restore(): Promise<void> {
    const stored = await this.#options.vault.load().catch((error: unknown) => {
      this.#options.log?.warn(`The kept session could not be read; signing in again is needed.`);
      this.#options.log?.error('vault.load', error);
      return null;
    });
    if (!stored) return;
    if (stored.serverUrl !== this.#options.serverUrl) {
      // A session belongs to its server; the desktop now points elsewhere.
      await this.#options.vault.clear();
      return;
    }
    // A replica that cannot open (a full disk, a file from a newer version) must not take the
    // whole API down: the desktop starts signed out and says why in the log (see the constructor).
    this.#open(stored, undefined);
  }

  #session(): Session {
    const signedIn = this.#signedIn;
    if (!signedIn) return { signedIn: false, serverUrl: this.#options.serverUrl };
    const { member, business, serverUrl } = signedIn.stored;
    return {
      signedIn: true,
      serverUrl,
      member: { id: member.id, email: member.email, name: member.name, role: member.role },
      business: { id: business.id, name: business.name, primaryPhone: business.primaryPhone },
    };
  }

  #serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#sessionWork.then(work, work);
    this.#sessionWork = next.catch(() => undefined);
    return next;
  }

  #signIn(email: string, password: string): Promise<Session> {
    return this.#serially(async () => {
      const auth = await signInToServer(this.#fetch, this.#options.serverUrl, {
        email,
        password,
        deviceId: this.#options.deviceId,
        deviceName: this.#options.deviceName ?? 'Fieldline desktop',
      });
      await this.#shut();
      const stored = this.#storedOf(auth);
      await this.#options.vault.save(stored);
      this.#open(stored, auth);
      return this.#session();
    });
  }

  #signOut(): Promise<Session> {
    return this.#serially(async () => {
      const signedIn = this.#signedIn;
      const token = signedIn?.access?.token;
      await this.#shut();
      await this.#options.vault.clear();
      if (signedIn && token) {
        await signOutAtServer(this.#fetch, signedIn.stored.serverUrl, token);
      }
      return this.#session();
    });
  }

  #storedOf(auth: AuthResult): StoredSession {
    return {
      serverUrl: this.#options.serverUrl,
      refreshToken: auth.refreshToken,
      member: auth.member,
      business: auth.business,
    };
  }

  /** Opens the member's replica (offline too) and starts syncing it. */
  #open(stored: StoredSession, auth: AuthResult | undefined): void {
    const folder = join(this.#options.dataDir, 'replicas');
    mkdirSync(folder, { recursive: true });
    // One replica per member: an outbox holds one person's edits, pushed under their name.
    const replica = openReplica(join(folder, `${stored.business.id}.${stored.member.id}.sqlite`));
    try {
      migrateReplica(replica, this.#options.replicaMigrations);
    } catch (error) {
      replica.close();
      throw error;
    }
    const signedIn: Partial<SignedIn> & { stored: StoredSession } = {
      stored,
      replica,
      access: auth
        ? { token: auth.accessToken, expiresAt: Date.parse(auth.accessTokenExpiresAt) }
        : undefined,
      refreshing: undefined,
      off: [],
    };
    const core = new DesktopCore({
      replica,
      serverUrl: stored.serverUrl,
      getAccessToken: ({ refresh }) => this.#accessToken(signedIn as SignedIn, refresh),
      identity: {
        businessId: stored.business.id,
        memberId: stored.member.id,
        businessPhone: stored.business.primaryPhone,
      },
      fetch: this.#fetch,
      ...this.#options.core,
    });
    const alerts = new AlertWatch(replica, this.#now);
    Object.assign(signedIn, {
      core,
      alerts,
      handlers: this.#signedInHandlers(core, replica, alerts),
    });
    const ready = signedIn as SignedIn;
    ready.off.push(
      core.sync.onStatus((status) => this.#options.emit({ type: 'sync', status })),
      core.onWriteStatus((status) => this.#options.emit({ type: 'writes', status })),
      core.sync.onApplied((event) => {
        this.#markChanged(event.table);
        // A refusal arriving takes the refused edit off its row (the overlay puts the server's
        // version back): that row's table changed too, though no batch of it came.
        if (event.table === 'mutation_rejections') {
          for (const table of new Set(Object.values(tableOfAction))) this.#markChanged(table);
        }
        for (const alert of alerts.observe(event)) this.#options.emit({ type: 'alert', alert });
        if (event.table === 'call_logs') this.#emitBadge(replica);
      }),
    );
    this.#signedIn = ready;
    core.start();
    this.#options.emit({ type: 'session', session: this.#session() });
    this.#emitBadge(replica);
  }

  async #shut(): Promise<void> {
    const signedIn = this.#signedIn;
    if (!signedIn) return;
    this.#signedIn = undefined;
    for (const off of signedIn.off) off();
    await signedIn.core.stop();
    signedIn.replica.close();
    if (!this.#closed) this.#options.emit({ type: 'session', session: this.#session() });
  }

  /**
   * The access token for the next request: the one held while it is fresh, otherwise a new one
   * from the refresh token, which rotates — the next one is kept before the token is used, so a
   * crash never leaves the desktop holding a spent refresh token it would present again.
   */
  #accessToken(signedIn: SignedIn, refresh: boolean): Promise<string> {
    const access = signedIn.access;
    if (!refresh && access && access.expiresAt - EXPIRY_MARGIN_MS > this.#now()) {
      return Promise.resolve(access.token);
    }
    signedIn.refreshing ??= (async () => {
      try {
        const auth = await refreshAtServer(
          this.#fetch,
          signedIn.stored.serverUrl,
          signedIn.stored.refreshToken,
        );
        signedIn.stored = this.#storedOf(auth);
        await this.#options.vault.save(signedIn.stored);
        signedIn.access = {
          token: auth.accessToken,
          expiresAt: Date.parse(auth.accessTokenExpiresAt),
        };
        return auth.accessToken;
      } finally {
        signedIn.refreshing = undefined;
      }
    })();
    return signedIn.refreshing;
  }

  // --- the API ------------------------------------------------------------------------------------

  #handlers(): DesktopHandlers {
    return this.#signedIn?.handlers ?? this.#signedOutHandlers();
  }

  #sessionHandlers(): Pick<DesktopHandlers, 'session:get' | 'session:signIn' | 'session:signOut'> {
    return {
      'session:get': () => Promise.resolve(this.#session()),
      'session:signIn': ({ email, password }) => this.#signIn(email, password),
      'session:signOut': () => this.#signOut(),
    };
  }

  #signedOutHandlers(): DesktopHandlers {
    const refuse = (): Promise<never> =>
      Promise.reject(new AppError('UNAUTHENTICATED', 'Sign in to see and change your business.'));
    const refusing = Object.fromEntries(desktopChannels.map((channel) => [channel, refuse]));
    return { ...(refusing as unknown as DesktopHandlers), ...this.#sessionHandlers() };
  }

  #signedInHandlers(core: DesktopCore, replica: Database, alerts: AlertWatch): DesktopHandlers {
    const writes = createDesktopHandlers(core);
    const reads = createReadHandlers(replica, { clientId: core.outbox.clientId });
    return {
      ...this.#sessionHandlers(),
      ...writes,
      ...reads,
      'writes:record': async (action) => {
        const recorded = await writes['writes:record'](action);
        if (action.name === 'lead.create') alerts.ownLead(action.args.id);
        this.#markChanged(tableOfAction[action.name]);
        return recorded;
      },
      'writes:applyAgain': async (args) => {
        const recorded = await writes['writes:applyAgain'](args);
        this.#markChanged('leads');
        return recorded;
      },
      'inbox:markRead': async (args) => {
        const answer = await reads['inbox:markRead'](args);
        this.#markChanged('sms_logs');
        return answer;
      },
      'calls:markSeen': async () => {
        const answer = await reads['calls:markSeen']();
        this.#emitBadge(replica);
        return answer;
      },
    };
  }

  // --- events -------------------------------------------------------------------------------------

  /** Changed tables go out once per turn of the event loop, however many batches it had. */
  #markChanged(table: SyncedTable): void {
    this.#changed.add(table);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      const tables = [...this.#changed];
      this.#changed.clear();
      if (tables.length > 0 && !this.#closed) this.#options.emit({ type: 'changed', tables });
    });
  }

  #emitBadge(replica: Database): void {
    if (!replica.open) return;
    this.#options.emit({ type: 'badge', missedUnseen: missedUnseen(replica) });
  }
}
