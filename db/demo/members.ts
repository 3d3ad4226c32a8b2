import type { MemberRole } from '../enums.ts';
import type { Business } from './business.ts';
import { DAY, HOUR, MINUTE, iso } from './time.ts';
import type { MemberRow, UserRow } from './types.ts';

/**
 * The logins of a demo business: its owner — the users row's email, name and password hash, as
 * migration 0004 backfills for businesses that existed before members — and, for the seed
 * document's John's Plumbing, an office dispatcher and a field technician, so every role can be
 * tried with the demo password.
 */

interface StaffTemplate {
  email: string;
  name: string;
  role: Exclude<MemberRole, 'owner'>;
}

/** Staff by the owner's email; businesses not listed have only their owner. */
const staffOf: Readonly<Record<string, readonly StaffTemplate[]>> = {
  'john@plumbing.com': [
    { email: 'dispatch@plumbing.com', name: 'Dana Reyes', role: 'dispatcher' },
    { email: 'tech@plumbing.com', name: 'Mike Torres', role: 'technician' },
  ],
};

/**
 * Called last for a business, so its draws from the business's PRNG stream come after every
 * other table's: adding members changed none of the rows generated before them.
 */
export function memberRows(business: Business, user: UserRow): MemberRow[] {
  const { rng, asOf } = business;
  const owner: MemberRow = {
    id: rng.uuid(),
    user_id: user.id,
    email: user.email,
    password_hash: user.password_hash,
    name: user.owner_name,
    role: 'owner',
    status: 'active',
    created_at: user.created_at,
    updated_at: user.updated_at,
    last_login_at: user.last_login_at,
  };
  const signedUp = Date.parse(user.created_at);
  const staff = (staffOf[user.email] ?? []).map((template): MemberRow => {
    // Invited in the first days, well before the demo window (and its clock) starts.
    const joined = signedUp + rng.int(1, 4) * DAY + rng.int(0, 8 * 60) * MINUTE;
    return {
      id: rng.uuid(),
      user_id: user.id,
      email: template.email,
      password_hash: user.password_hash,
      name: template.name,
      role: template.role,
      status: 'active',
      created_at: iso(joined),
      updated_at: iso(joined + HOUR),
      last_login_at: iso(asOf - rng.int(5, 600) * MINUTE),
    };
  });
  return [owner, ...staff];
}
