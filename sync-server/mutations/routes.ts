import type { AppDependencies } from '../app.ts';
import { requireActiveBusiness } from '../auth/authenticate.ts';
import { EXPECTED_MUTATION_HEADER } from '../errors.ts';
import type { Router } from '../http/router.ts';
import { pushBodySchema, pushMutations, pushResultSchema } from './push.ts';

/** POST /v1/mutations — the write path: a desktop's outbox, pushed in order. */
export function registerMutationRoutes(
  router: Router,
  deps: AppDependencies,
  /** Told of the texts a push queued, for sending (the server's text sender). */
  onTextsQueued?: (businessId: string, smsLogIds: string[]) => void,
): void {
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
      const result = await pushMutations(deps.database.db, principal, body);
      if (onTextsQueued) {
        const applied = new Set(
          result.results.filter((r) => r.status === 'applied').map((r) => r.mutationId),
        );
        const texts = body.mutations
          .filter((m) => m.name === 'text.queue' && applied.has(m.mutationId))
          .map((m) => (m.args as { id: string }).id);
        if (texts.length > 0) onTextsQueued(principal.tenantId, texts);
      }
      return result;
    },
  );
}
