import type { AppDependencies } from '../app.ts';
import type { Router } from '../http/router.ts';
import { login, logout, refresh, signup } from './accounts.ts';
import { requireActiveBusiness } from './authenticate.ts';
import {
  acceptInvitation,
  describeMe,
  disableMember,
  inviteMember,
  listMembers,
} from './members.ts';
import {
  acceptInvitationBodySchema,
  authResultSchema,
  invitationBodySchema,
  invitationSchema,
  loginBodySchema,
  meSchema,
  memberIdParamsSchema,
  memberListSchema,
  memberSchema,
  refreshBodySchema,
  signupBodySchema,
} from './schemas.ts';

const refused = {
  400: { description: 'The body is not valid (VALIDATION_FAILED)' },
  401: { description: 'Not signed in, or the token or session is no longer valid' },
};
const memberRefusals = {
  401: refused[401],
  403: { description: 'Not an owner (FORBIDDEN), or the business is suspended or cancelled' },
};
const rateLimited = {
  429: { description: 'Too many attempts (RATE_LIMITED); Retry-After says when to try again' },
};

/**
 * /v1/auth/* and /v1/members. Every answer is parsed with its documented schema before it is sent,
 * so what the OpenAPI document promises is all a client ever receives (no stray column).
 */
export function registerAuthRoutes(router: Router, deps: AppDependencies): void {
  const { db } = deps.database;
  const auth = { keyring: deps.keyring, settings: deps.settings };

  router.route(
    {
      method: 'POST',
      path: '/v1/auth/signup',
      summary: 'Create a business with its owner as first member, signed in on this device',
      tag: 'accounts',
      auth: 'none',
      body: signupBodySchema,
      responses: {
        201: { description: 'Signed up and signed in', schema: authResultSchema },
        400: { description: 'Invalid body or phone number' },
        409: { description: 'The email already has a login (EMAIL_TAKEN)' },
        ...rateLimited,
      },
    },
    async ({ body, request, reply }) => {
      const result = await signup(db, auth, body, { ip: request.ip });
      void reply.status(201);
      return authResultSchema.parse(result);
    },
  );

  router.route(
    {
      method: 'POST',
      path: '/v1/auth/login',
      summary: 'Sign in with email and password on a device',
      tag: 'accounts',
      auth: 'none',
      body: loginBodySchema,
      responses: {
        200: { description: 'Signed in', schema: authResultSchema },
        400: refused[400],
        401: { description: 'Wrong email or password (INVALID_CREDENTIALS)' },
        ...rateLimited,
      },
    },
    async ({ body, request }) =>
      authResultSchema.parse(await login(db, auth, body, { ip: request.ip })),
  );

  router.route(
    {
      method: 'POST',
      path: '/v1/auth/refresh',
      summary: 'Exchange a refresh token (single use) for the next one and a new access token',
      tag: 'accounts',
      auth: 'none',
      body: refreshBodySchema,
      responses: {
        200: { description: 'Rotated', schema: authResultSchema },
        400: refused[400],
        401: {
          description:
            'Unknown token (REFRESH_TOKEN_INVALID), a used one — the session is revoked ' +
            '(REFRESH_TOKEN_REUSED) — or an ended session (SESSION_REVOKED)',
        },
      },
    },
    async ({ body }) => authResultSchema.parse(await refresh(db, auth, body.refreshToken)),
  );

  router.route(
    {
      method: 'POST',
      path: '/v1/auth/logout',
      summary: "End this device's session",
      tag: 'accounts',
      auth: 'member',
      responses: { 204: { description: 'Signed out' }, 401: refused[401] },
    },
    async ({ principal, reply }) => {
      await logout(db, principal);
      return reply.status(204).send();
    },
  );

  router.route(
    {
      method: 'POST',
      path: '/v1/auth/accept-invitation',
      summary: 'Join a business with an invitation token, signed in on this device',
      tag: 'accounts',
      auth: 'none',
      body: acceptInvitationBodySchema,
      responses: {
        201: { description: 'Joined and signed in', schema: authResultSchema },
        400: { description: 'Invalid body, or the invitation is not valid (INVITATION_INVALID)' },
        409: { description: 'The invited email already has a login (EMAIL_TAKEN)' },
        ...rateLimited,
      },
    },
    async ({ body, request, reply }) => {
      const result = await acceptInvitation(db, auth, body, { ip: request.ip });
      void reply.status(201);
      return authResultSchema.parse(result);
    },
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/me',
      summary: 'The signed-in member, their business (with its status) and session',
      tag: 'accounts',
      auth: 'member',
      responses: { 200: { description: 'Who is signed in', schema: meSchema }, 401: refused[401] },
    },
    async ({ principal }) => meSchema.parse(await describeMe(db, principal)),
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/members',
      summary: 'The members of the business',
      tag: 'members',
      auth: 'member',
      responses: {
        200: { description: 'Owners first, then by name', schema: memberListSchema },
        ...memberRefusals,
      },
    },
    async ({ principal }) => {
      requireActiveBusiness(principal);
      return memberListSchema.parse({ members: await listMembers(db, principal) });
    },
  );

  router.route(
    {
      method: 'POST',
      path: '/v1/members/invitations',
      summary: 'Invite someone to the business (owners only); the token is shown once',
      tag: 'members',
      auth: 'member',
      body: invitationBodySchema,
      responses: {
        201: { description: 'Invitation created, valid 7 days', schema: invitationSchema },
        400: refused[400],
        ...memberRefusals,
        409: { description: 'The email already has a login (EMAIL_TAKEN)' },
      },
    },
    async ({ body, principal, reply }) => {
      requireActiveBusiness(principal);
      const invitation = await inviteMember(db, principal, body);
      void reply.status(201);
      return invitationSchema.parse(invitation);
    },
  );

  router.route(
    {
      method: 'DELETE',
      path: '/v1/members/:id',
      summary: 'Disable a member (owners only): they cannot sign in and their sessions end',
      tag: 'members',
      auth: 'member',
      params: memberIdParamsSchema,
      responses: {
        200: { description: 'The member, now disabled', schema: memberSchema },
        400: { description: 'The id is not a UUID' },
        ...memberRefusals,
        404: { description: 'No such member in this business (NOT_FOUND)' },
      },
    },
    async ({ params, principal }) => {
      requireActiveBusiness(principal);
      return memberSchema.parse(await disableMember(db, principal, params.id));
    },
  );
}
