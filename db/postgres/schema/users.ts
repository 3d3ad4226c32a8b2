import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, varchar } from 'drizzle-orm/pg-core';
import { userStatuses } from '../../enums.ts';
import { checkName, oneOf, pgE164 } from '../../sql-checks.ts';
import { createdAt, id, timestamptz, updatedAt } from './columns.ts';

/** Envelope written by db/secrets.ts; the database refuses anything that is not sealed. */
const sealed = (column: string) => sql.raw(`"${column}" IS NULL OR "${column}" LIKE 'enc:v1:%'`);

/** A business (the seed calls it a technician account): the tenant every other row belongs to. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: varchar('email', { length: 255 }).notNull().unique('users_email_key'),
    passwordHash: varchar('password_hash', { length: 255 }).notNull(),
    businessName: varchar('business_name', { length: 255 }).notNull(),
    ownerName: varchar('owner_name', { length: 255 }).notNull(),

    primaryPhone: varchar('primary_phone', { length: 20 }).notNull(),
    businessAddress: text('business_address'),
    city: varchar('city', { length: 100 }),
    state: varchar('state', { length: 50 }),
    zipCode: varchar('zip_code', { length: 10 }),
    country: varchar('country', { length: 2 }).notNull().default('US'),
    timezone: varchar('timezone', { length: 50 }).notNull().default('America/Chicago'),

    serviceTypes: text('service_types').array().notNull(),
    serviceArea: varchar('service_area', { length: 255 }),
    yearsInBusiness: integer('years_in_business'),
    licenseNumber: varchar('license_number', { length: 100 }),

    ghlLocationId: varchar('ghl_location_id', { length: 255 }),
    ghlAccessToken: text('ghl_access_token'),
    ghlRefreshToken: text('ghl_refresh_token'),
    ghlTokenExpiresAt: timestamptz('ghl_token_expires_at'),

    googleAdsCustomerId: varchar('google_ads_customer_id', { length: 255 }),
    googleAdsRefreshToken: text('google_ads_refresh_token'),

    stripeCustomerId: varchar('stripe_customer_id', { length: 255 }),

    status: varchar('status', { length: 50 }).notNull().default('active'),
    onboardingCompleted: boolean('onboarding_completed').notNull().default(false),
    onboardingStep: integer('onboarding_step').notNull().default(1),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
    lastLoginAt: timestamptz('last_login_at'),
  },
  (t) => [
    index('idx_users_email').on(t.email),
    index('idx_users_ghl_location_id').on(t.ghlLocationId),
    index('idx_users_status').on(t.status),
    check(checkName('users', 'status'), oneOf('status', userStatuses)),
    check(checkName('users', 'email'), sql`"email" = lower("email") AND "email" LIKE '_%@_%'`),
    check(checkName('users', 'password_hash'), sql`"password_hash" LIKE '$argon2id$%'`),
    check(checkName('users', 'primary_phone'), pgE164('primary_phone')),
    check(checkName('users', 'country'), sql`"country" ~ '^[A-Z]{2}$'`),
    check(checkName('users', 'service_types'), sql`cardinality("service_types") > 0`),
    check(checkName('users', 'onboarding_step'), sql`"onboarding_step" >= 1`),
    check(checkName('users', 'years_in_business'), sql`"years_in_business" >= 0`),
    check(checkName('users', 'ghl_access_token'), sealed('ghl_access_token')),
    check(checkName('users', 'ghl_refresh_token'), sealed('ghl_refresh_token')),
    check(checkName('users', 'google_ads_refresh_token'), sealed('google_ads_refresh_token')),
  ],
);
