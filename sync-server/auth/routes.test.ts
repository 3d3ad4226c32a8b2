import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_DEMO_PASSWORD, seedDemoIfEmpty } from '../../db/demo/load.ts';
import { bearer, buildTestApp, loginAs, postLogin } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';

interface Operation {
  security?: unknown[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: {
    content: {
      'application/json': { schema: { properties: Record<string, unknown>; required: string[] } };
    };
  };
  responses: Record<string, { content?: unknown }>;
}

describe.each(backends)('accounts API on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  it('documents every accounts route in the OpenAPI document, with its request body schema', async () => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json<{ paths: Record<string, Record<string, Operation>> }>().paths;
    const operation = (path: string, method: string): Operation => {
      const found = paths[path]?.[method];
      if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
      return found;
    };
    const bodies: [string, string[]][] = [
      ['/v1/auth/signup', ['businessName', 'ownerName', 'email', 'password', 'primaryPhone']],
      ['/v1/auth/login', ['email', 'password', 'deviceId']],
      ['/v1/auth/refresh', ['refreshToken']],
      ['/v1/auth/accept-invitation', ['token', 'name', 'password', 'deviceId']],
      ['/v1/members/invitations', ['email', 'role']],
    ];
    for (const [path, required] of bodies) {
      const schema = operation(path, 'post').requestBody?.content['application/json'].schema;
      expect(schema?.required, path).toEqual(expect.arrayContaining(required));
      for (const property of required) expect(schema?.properties, path).toHaveProperty(property);
    }
    expect(
      operation('/v1/auth/login', 'post').requestBody?.content['application/json'].schema
        .properties,
    ).toMatchObject({ email: { format: 'email' }, deviceName: { type: 'string' } });
    expect(operation('/v1/auth/login', 'post').responses['200']?.content).toBeDefined();
    expect(operation('/v1/auth/login', 'post').responses['429']).toBeDefined();
    expect(operation('/v1/auth/logout', 'post').security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/me', 'get').security).toEqual([{ bearerAuth: [] }]);
    expect(operation('/v1/members', 'get').responses['200']?.content).toBeDefined();
    expect(operation('/v1/members/{id}', 'delete').parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ]);
    expect(operation('/v1/auth/signup', 'post').security).toBeUndefined();
  });

  it("signs the demo's John's Plumbing owner and technician in with the demo password", async () => {
    t = await createTestDatabase(backend);
    await seedDemoIfEmpty(t.db, {
      today: '2026-03-15',
      businesses: 1,
      scale: 0.05,
      months: 1,
      password: DEFAULT_DEMO_PASSWORD,
    });
    app = buildTestApp(t);
    const john = await loginAs(app, 'john@plumbing.com', DEFAULT_DEMO_PASSWORD);
    expect(john.member).toMatchObject({ name: 'John Smith', role: 'owner' });
    expect(john.business).toMatchObject({ name: "John's Plumbing", status: 'active' });
    const tech = await loginAs(app, 'tech@plumbing.com', DEFAULT_DEMO_PASSWORD);
    expect(tech.member.role).toBe('technician');
    expect(tech.business.id).toBe(john.business.id);

    const members = await app.inject({
      method: 'GET',
      url: '/v1/members',
      headers: bearer(john.accessToken),
    });
    expect(members.json<{ members: { email: string }[] }>().members.map((m) => m.email)).toEqual([
      'john@plumbing.com',
      'dispatch@plumbing.com',
      'tech@plumbing.com',
    ]);
    const wrong = await postLogin(app, {
      email: 'john@plumbing.com',
      password: 'demo-plumbing-2025',
    });
    expect(wrong.statusCode).toBe(401);
  });
});
