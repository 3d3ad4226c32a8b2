import type { MemberRole, UserStatus } from '../../db/enums.ts';

/** Who is calling: read from a verified access token and the live session behind it. */
export interface Principal {
  memberId: string;
  /** The business (`users.id`): every query of the request is scoped to it. */
  tenantId: string;
  role: MemberRole;
  sessionId: string;
  businessStatus: UserStatus;
}
