import type { FastifyRequest } from 'fastify';
import { AppError } from '../../db/errors.ts';
import type { AppDependencies } from '../app.ts';
import type { Principal } from './principal.ts';

// PLACEHOLDER — the accounts work replaces this with JWT verification and the session lookup.
export function createAuthenticator(
  _deps: Pick<AppDependencies, 'database' | 'keyring' | 'settings'>,
): (request: FastifyRequest) => Promise<Principal> {
  return () => Promise.reject(new AppError('UNAUTHENTICATED', 'Not implemented yet'));
}
