import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { MemberRole, MemberStatus, UserStatus } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import { hashPassword } from '../../db/passwords.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { authSessions, memberInvitations, members, users } from '../../db/postgres/schema/index.ts';
import { withTenant } from '../tenancy.ts';
import { type RequestOrigin, isEmailConflict } from './accounts.ts';
import type { Principal } from './principal.ts';
import { enforceLimit, limitKeys } from './rate-limit.ts';
import type {
  AcceptInvitationInput,
  AuthResult,
  InvitationInput,
  InvitationView,
  Me,
  MemberView,
} from './schemas.ts';
import {
  type AuthDependencies,
  revokeSessions,
  startSession,
  utcIso,
  utcIsoOrNull,
} from './sessions.ts';
import { hashOpaqueToken, newOpaqueToken } from './tokens.ts';

/**
 * The people of a business: who is in it, inviting more, and disabling one. Reads run as the tenant
 * (withTenant: row-level security shows only the caller's business). Writes run on the database
 * directly, because the tenant role may only read these tables (migration 0004), and so every
 * write names the caller's business in its WHERE clause itself.
 */

const INVITATION_TTL_DAYS = 7;

function requireOwner(principal: Principal): void {
  if (principal.role !== 'owner') {
    throw new AppError('FORBIDDEN', 'Only an owner of the business can manage its members.');
  }
}

/** The caller, their business and their session, as the desktop shows them. */
export async function describeMe(db: AppDatabase, principal: Principal): Promise<Me> {
  const [row] = await withTenant(db, principal.tenantId, (tx) =>
    tx
      .select({
        id: members.id,
        email: members.email,
        name: members.name,
        role: members.role,
        businessName: users.businessName,
        businessStatus: users.status,
        businessPhone: users.primaryPhone,
      })
      .from(members)
      .innerJoin(users, eq(users.id, members.userId))
      .where(and(eq(members.id, principal.memberId), eq(members.userId, principal.tenantId))),
  );
  if (!row) throw new AppError('SESSION_REVOKED', 'This member no longer exists: sign in again.');
  return {
    member: { id: row.id, email: row.email, name: row.name, role: row.role as MemberRole },
    business: {
      id: principal.tenantId,
      name: row.businessName,
      status: row.businessStatus as UserStatus,
      primaryPhone: row.businessPhone,
    },
    sessionId: principal.sessionId,
  };
}

/** Every member of the caller's business, owners first, then by name. */
export async function listMembers(db: AppDatabase, principal: Principal): Promise<MemberView[]> {
  const rows = await withTenant(db, principal.tenantId, (tx) =>
    tx
      .select({
        id: members.id,
        email: members.email,
        name: members.name,
        role: members.role,
        status: members.status,
        createdAt: utcIso(members.createdAt),
        lastLoginAt: utcIsoOrNull(members.lastLoginAt),
      })
      .from(members)
      .where(eq(members.userId, principal.tenantId))
      .orderBy(sql`${members.role} <> 'owner'`, asc(members.name), asc(members.email)),
  );
  return rows.map((row) => ({
    ...row,
    role: row.role as MemberRole,
    status: row.status as MemberStatus,
  }));
}

/**
 * An owner invites someone by email. The token is returned once (for the owner to pass on) and
 * kept only as its SHA-256; it works for INVITATION_TTL_DAYS. Inviting the same email again
 * withdraws the earlier invitation, so only the latest token works.
 */
export async function inviteMember(
  db: AppDatabase,
  principal: Principal,
  input: InvitationInput,
): Promise<InvitationView> {
  requireOwner(principal);
  const [existing] = await db
    .select({ id: members.id })
    .from(members)
    .where(eq(members.email, input.email));
  if (existing) {
    throw new AppError('EMAIL_TAKEN', `${input.email} already has a Fieldline login.`);
  }
  const { token, hash } = newOpaqueToken();
  return db.transaction(async (tx) => {
    await tx
      .update(memberInvitations)
      .set({ revokedAt: sql`now()` })
      .where(
        and(
          eq(memberInvitations.userId, principal.tenantId),
          eq(memberInvitations.email, input.email),
          isNull(memberInvitations.acceptedAt),
          isNull(memberInvitations.revokedAt),
        ),
      );
    const [invitation] = await tx
      .insert(memberInvitations)
      .values({
        userId: principal.tenantId,
        email: input.email,
        role: input.role,
        tokenHash: hash,
        invitedBy: principal.memberId,
        expiresAt: sql`now() + make_interval(days => ${INVITATION_TTL_DAYS})`,
      })
      .returning({ id: memberInvitations.id, expiresAt: utcIso(memberInvitations.expiresAt) });
    if (!invitation) throw new Error('INSERT … RETURNING gave no invitation row');
    return { invitationId: invitation.id, token, expiresAt: invitation.expiresAt };
  });
}

const pendingInvitation = (tokenHash: string) =>
  and(
    eq(memberInvitations.tokenHash, tokenHash),
    isNull(memberInvitations.acceptedAt),
    isNull(memberInvitations.revokedAt),
    gt(memberInvitations.expiresAt, sql`now()`),
  );

const invitationInvalid = () =>
  new AppError(
    'INVITATION_INVALID',
    'This invitation is not valid: it expired, was already used or was withdrawn. ' +
      'Ask the owner for a new one.',
  );

/**
 * The invitee chooses a name and password and becomes a member of the inviting business, signed
 * in on this device. The invitation is locked and marked accepted in the same transaction, so a
 * token accepted twice at once makes one member, not two.
 */
export async function acceptInvitation(
  db: AppDatabase,
  deps: AuthDependencies,
  input: AcceptInvitationInput,
  origin: RequestOrigin,
): Promise<AuthResult> {
  await enforceLimit(
    db,
    limitKeys.invitationByIp(origin.ip),
    deps.settings.LOGIN_LIMIT_PER_IP,
    deps.settings.LOGIN_LIMIT_WINDOW_SECONDS,
    'invitation attempts from this address',
  );
  const tokenHash = hashOpaqueToken(input.token);
  // Checked before hashing the password, so a bad token costs no argon2 time.
  const [pending] = await db
    .select({ id: memberInvitations.id })
    .from(memberInvitations)
    .where(pendingInvitation(tokenHash));
  if (!pending) throw invitationInvalid();
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction(async (tx) => {
      const [invitation] = await tx
        .select({
          id: memberInvitations.id,
          email: memberInvitations.email,
          role: memberInvitations.role,
          businessId: users.id,
          businessName: users.businessName,
          businessStatus: users.status,
          businessPhone: users.primaryPhone,
        })
        .from(memberInvitations)
        .innerJoin(users, eq(users.id, memberInvitations.userId))
        .where(pendingInvitation(tokenHash))
        .for('update', { of: memberInvitations });
      if (!invitation) throw invitationInvalid();
      const role = invitation.role as MemberRole;
      const [member] = await tx
        .insert(members)
        .values({
          userId: invitation.businessId,
          email: invitation.email,
          passwordHash,
          name: input.name,
          role,
          lastLoginAt: sql`now()`,
        })
        .returning({ id: members.id });
      if (!member) throw new Error('INSERT … RETURNING gave no members row');
      await tx
        .update(memberInvitations)
        .set({ acceptedAt: sql`now()` })
        .where(eq(memberInvitations.id, invitation.id));
      return startSession(
        tx,
        deps,
        {
          member: { id: member.id, email: invitation.email, name: input.name, role },
          business: {
            id: invitation.businessId,
            name: invitation.businessName,
            status: invitation.businessStatus as UserStatus,
            primaryPhone: invitation.businessPhone,
          },
        },
        input,
      );
    });
  } catch (error) {
    if (isEmailConflict(error)) {
      throw new AppError(
        'EMAIL_TAKEN',
        'The invited email already has a Fieldline login: sign in with it instead.',
      );
    }
    throw error;
  }
}

/**
 * An owner disables a member of their business: the member can no longer sign in, and every
 * session of theirs ends now (their access tokens stop working on the next request). A member id
 * of another business is answered exactly like one that does not exist.
 */
export async function disableMember(
  db: AppDatabase,
  principal: Principal,
  memberId: string,
): Promise<MemberView> {
  requireOwner(principal);
  // Ids compare as text here but as uuid in SQL: an upper-case spelling must not slip past.
  const id = memberId.toLowerCase();
  if (id === principal.memberId) {
    throw new AppError(
      'FORBIDDEN',
      'You cannot disable your own login: another owner has to, so a business keeps an owner.',
    );
  }
  return db.transaction(async (tx) => {
    const [member] = await tx
      .update(members)
      .set({ status: 'disabled' })
      .where(and(eq(members.id, id), eq(members.userId, principal.tenantId)))
      .returning({
        id: members.id,
        email: members.email,
        name: members.name,
        role: members.role,
        status: members.status,
        createdAt: utcIso(members.createdAt),
        lastLoginAt: utcIsoOrNull(members.lastLoginAt),
      });
    if (!member) throw new AppError('NOT_FOUND', `No member ${id} in this business.`);
    await revokeSessions(tx, eq(authSessions.memberId, member.id), 'member_disabled');
    return { ...member, role: member.role as MemberRole, status: member.status as MemberStatus };
  });
}
