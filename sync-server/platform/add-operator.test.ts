import { Readable, Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { bearer, buildTestApp } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { type AddOperatorIo, main } from './add-operator.ts';
import { operatorToken } from './testing.ts';

const PASSWORD = 'a long operator secret';

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe.each(backends)('the add-operator command on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  /** Runs the command against the test's database: by DATABASE_URL on PostgreSQL, as PGlite's handle. */
  const run = async (argv: string[], stdin: string, env: Record<string, string> = {}) => {
    const db = t as TestDatabase;
    const stdout = new Capture();
    const stderr = new Capture();
    const io: AddOperatorIo = {
      env: db.url === undefined ? env : { ...env, DATABASE_URL: db.url },
      stdin: Readable.from([stdin]),
      stdout,
      stderr,
      ...(db.url === undefined ? { database: db.handle } : {}),
    };
    const code = await main(argv, io);
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  it('creates an operator from a password on standard input, prints the id, and they can sign in', async () => {
    t = await createTestDatabase(backend);
    const created = await run(
      ['Ops@Fieldline.TEST', 'Olive', 'Operator'],
      `${PASSWORD}\nignored\n`,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^[0-9a-f-]{36}\n$/);
    expect(created.stderr).toBe('Created platform operator ops@fieldline.test (Olive Operator).\n');
    expect(created.stdout + created.stderr).not.toContain(PASSWORD);
    const [row] = await queryRows<{ id: string; email: string; name: string; status: string }>(
      t.db,
      sql`SELECT id, email, name, status FROM platform_operators`,
    );
    expect(row).toEqual({
      id: created.stdout.trim(),
      email: 'ops@fieldline.test',
      name: 'Olive Operator',
      status: 'active',
    });

    app = buildTestApp(t);
    const token = await operatorToken(app, 'ops@fieldline.test', PASSWORD);
    const mrr = await app.inject({
      method: 'GET',
      url: '/v1/platform/mrr',
      headers: bearer(token),
    });
    expect(mrr.statusCode).toBe(200);
  });

  it('takes OPERATOR_PASSWORD over standard input, and a Windows line ending is not part of it', async () => {
    t = await createTestDatabase(backend);
    const fromEnv = await run(['env@fieldline.test', 'Env'], 'not this one at all\n', {
      OPERATOR_PASSWORD: PASSWORD,
    });
    expect(fromEnv.code).toBe(0);
    const crlf = await run(['crlf@fieldline.test', 'Crlf'], `${PASSWORD}\r\n`);
    expect(crlf.code).toBe(0);
    app = buildTestApp(t);
    await operatorToken(app, 'env@fieldline.test', PASSWORD);
    await operatorToken(app, 'crlf@fieldline.test', PASSWORD);
  });

  it('refuses a short or missing password, missing arguments, a bad email and a taken one', async () => {
    t = await createTestDatabase(backend);
    const short = await run(['ops@fieldline.test', 'Olive'], 'eleven char\n');
    expect(short).toMatchObject({ code: 2, stdout: '' });
    expect(short.stderr).toMatch(/at least 12 characters/);
    expect(short.stderr).not.toContain('eleven char');
    expect((await run(['ops@fieldline.test', 'Olive'], '')).code).toBe(2);
    const missing = await run(['ops@fieldline.test'], `${PASSWORD}\n`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/an email and a name are required/);
    const badEmail = await run(['not-an-email', 'Olive'], `${PASSWORD}\n`);
    expect(badEmail.code).toBe(1);
    expect(badEmail.stderr).toMatch(/VALIDATION_FAILED/);

    expect((await run(['ops@fieldline.test', 'Olive'], `${PASSWORD}\n`)).code).toBe(0);
    const taken = await run(['OPS@fieldline.test', 'Twin'], `${PASSWORD}\n`);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe(
      'add-operator: ops@fieldline.test is already a platform operator. [EMAIL_TAKEN]\n',
    );
    const [count] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM platform_operators`,
    );
    expect(count?.n).toBe(1);
  });
});
