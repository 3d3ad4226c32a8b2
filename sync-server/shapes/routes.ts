import type { FastifyInstance } from 'fastify';
import type { AppDependencies } from '../app.ts';
import type { Authenticate, Router } from '../http/router.ts';
import type { ChangeHub } from './change-hub.ts';

// PLACEHOLDER — being written now.
export function registerShapeRoutes(
  _app: FastifyInstance,
  _router: Router,
  _deps: AppDependencies & { hub: ChangeHub; authenticate: Authenticate },
): void {}
