import type { AppDependencies } from '../app.ts';
import { requireActiveBusiness } from '../auth/authenticate.ts';
import { EXPECTED_MUTATION_HEADER } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { pushBodySchema, pushMutations, pushResultSchema } from './push.ts';

/** POST /v1/mutations — the write path: a desktop's outbox, pushed in order. */
export function registerMutationRoutes(router: Router, deps: AppDependencies): void {
  router.route(
    {
      method: 'POST',
      path: '/v1/mutations',
      summary:
        'Push a batch of one desktop’s numbered mutations; each is applied exactly once, in order',
      tag: 'sync',
      auth: 'member',
      body: pushBodySchema,
      responses: {
        200: {
          description:
            'Every mutation of the batch is durable: applied, rejected with its reason (also synced ' +
            'as mutation_rejections), or a duplicate of one applied before',
          schema: pushResultSchema,
        },
        400: { description: 'Malformed batch (VALIDATION_FAILED)' },
        401: { description: 'Missing, forged, expired or revoked token' },
        403: {
          description: 'The business is suspended or cancelled, or the client id is another’s',
        },
        409: {
          description: `MUTATION_GAP: the batch starts past the next expected number, given in the ${EXPECTED_MUTATION_HEADER} header`,
        },
      },
    },
    async ({ body, principal }) => {
      requireActiveBusiness(principal);
      return pushMutations(deps.database.db, principal, body);
    },
  );
}
