/**
 * Desktops for write-path tests: a DesktopCore (replica, read path, outbox, pusher) per desktop,
 * on a replica file of the harness's temp folder, signed in as an account's member.
 */
import { onTestFinished } from 'vitest';
import { DesktopCore, type DesktopCoreOptions } from '../../electron/core/desktop-core.ts';
import type { WriteStatus } from '../../db/wire/desktop-api.ts';
import { type Account, FAST_BACKOFF, type Harness } from './harness.ts';

export interface DesktopSpec {
  server: { url: string };
  account: Pick<Account, 'tenantId' | 'accessToken' | 'member' | 'business'>;
  /** The replica file's name in the harness folder (the same name is the same desktop). */
  name?: string;
  options?: Partial<Omit<DesktopCoreOptions, 'replica' | 'serverUrl' | 'identity'>>;
}

export function startDesktop(harness: Harness, spec: DesktopSpec): DesktopCore {
  const replica = harness.openReplica(spec.name ?? 'desktop.sqlite');
  const core = new DesktopCore({
    replica,
    serverUrl: spec.server.url,
    getAccessToken: () => Promise.resolve(spec.account.accessToken),
    identity: {
      businessId: spec.account.tenantId,
      memberId: spec.account.member.id,
      businessPhone: spec.account.business.primaryPhone,
    },
    backoff: FAST_BACKOFF,
    outcomeGraceMs: 50,
    ...spec.options,
  });
  onTestFinished(() => core.stop());
  core.start();
  return core;
}

/** Resolves once `condition` holds for the desktop's write status (checked on every change). */
export function untilWrites(
  core: DesktopCore,
  condition: (status: WriteStatus) => boolean,
): Promise<WriteStatus> {
  return new Promise((resolve) => {
    const check = (status: WriteStatus): boolean => {
      if (!condition(status)) return false;
      resolve(status);
      return true;
    };
    if (check(core.writeStatus())) return;
    const off = core.onWriteStatus((status) => {
      if (check(status)) off();
    });
  });
}
