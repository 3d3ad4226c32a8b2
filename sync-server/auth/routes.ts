import type { AppDependencies } from '../app.ts';
import type { Router } from '../http/router.ts';

// PLACEHOLDER — the accounts work registers /v1/auth/* and /v1/members here.
export function registerAuthRoutes(_router: Router, _deps: AppDependencies): void {}
