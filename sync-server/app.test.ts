import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../tests/support/databases.ts';

describe.each(backends)('sync server HTTP on %s', (backend) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const appFor = (database: TestDatabase) => buildTestApp(database);

  it('answers GET /health after touching the database', async () => {
    t = await createTestDatabase(backend);
    const app = appFor(t);
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: backend,
      redis: 'disabled',
      analyticsCache: { backend: 'memory', degraded: false, hits: 0, misses: 0, errors: 0 },
      live: { subscribed: 0, waiting: 0, reads: 0, sharedAnswers: 0 },
    });
    await app.close();
  });

  it('answers an unknown route with the one error shape and the request id', async () => {
    t = await createTestDatabase(backend);
    const app = appFor(t);
    const response = await app.inject({
      method: 'GET',
      url: '/v1/nowhere?x=1',
      headers: { 'x-request-id': 'req-123' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      code: 'NOT_FOUND',
      message: 'No route GET /v1/nowhere',
      requestId: 'req-123',
    });
    await app.close();
  });

  it('reports a database that is gone as a 500 with a request id, not a hang', async () => {
    t = await createTestDatabase(backend);
    const app = appFor(t);
    await t.close();
    t = undefined;
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(500);
    const body = response.json<{ code: string; requestId: string }>();
    expect(body.code).toBe('INTERNAL');
    expect(body.requestId).toMatch(/^[\w-]{8,}$/);
    await app.close();
  });
});
