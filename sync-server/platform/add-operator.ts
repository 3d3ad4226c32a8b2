import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { isAppError } from '../../db/errors.ts';
import {
  type DatabaseHandle,
  databaseEnvSchema,
  databaseTargetFromEnv,
  openDatabase,
} from '../../db/postgres/client.ts';
import { createOperator, OPERATOR_PASSWORD_MIN_LENGTH } from './operators.ts';

/**
 * `tsx sync-server/platform/add-operator.ts <email> <name>`: creates a platform operator in
 * DATABASE_URL (or the embedded PGlite in DATA_DIR, like the db CLIs) and prints its id. The
 * password comes from OPERATOR_PASSWORD, else from the first line of standard input; it is never
 * printed. Exit codes: 0 created, 1 refused or failed, 2 usage or environment.
 */

const usage = `Usage: tsx sync-server/platform/add-operator.ts <email> <name>

Creates a platform operator (the platform's own staff: they see numbers across every business)
and prints its id. The password (at least ${OPERATOR_PASSWORD_MIN_LENGTH} characters) is read from
OPERATOR_PASSWORD, else from the first line of standard input:

  printf '%s\\n' "$PASSWORD" | tsx sync-server/platform/add-operator.ts ops@example.com "Ops Person"

Environment: DATABASE_URL (PostgreSQL; else embedded PGlite in DATA_DIR, default ./.data),
OPERATOR_PASSWORD (optional).`;

const envSchema = databaseEnvSchema.extend({
  OPERATOR_PASSWORD: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.string().optional(),
  ),
});

export interface AddOperatorIo {
  env: Record<string, string | undefined>;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** An open database to use instead of opening the environment's (tests); left open. */
  database?: DatabaseHandle;
}

/** The first line of `input` without its line ending (undefined when the input is empty). */
async function readFirstLine(input: NodeJS.ReadableStream): Promise<string | undefined> {
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  try {
    for await (const line of lines) return line;
    return undefined;
  } finally {
    lines.close();
  }
}

/** Runs the command; resolves to the process's exit code (it never calls process.exit). */
export async function main(argv: string[], io: AddOperatorIo): Promise<number> {
  const say = (text: string) => void io.stderr.write(`${text}\n`);
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(`${usage}\n`);
    return 0;
  }
  const [email, ...nameWords] = argv;
  const name = nameWords.join(' ').trim();
  if (!email || email.startsWith('-') || name === '') {
    say(`add-operator: an email and a name are required.\n\n${usage}`);
    return 2;
  }
  const env = envSchema.safeParse(io.env);
  if (!env.success) {
    const problems = env.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    say(`Invalid environment [CONFIG_INVALID]: ${problems.join('; ')}`);
    return 2;
  }

  if (env.data.OPERATOR_PASSWORD === undefined && 'isTTY' in io.stdin && io.stdin.isTTY) {
    say('Password (shown as you type; end with Enter):');
  }
  const password = env.data.OPERATOR_PASSWORD ?? (await readFirstLine(io.stdin)) ?? '';
  if (password.length < OPERATOR_PASSWORD_MIN_LENGTH) {
    say(
      `add-operator: the password must be at least ${OPERATOR_PASSWORD_MIN_LENGTH} characters ` +
        '(set OPERATOR_PASSWORD or write it on standard input).',
    );
    return 2;
  }

  const database = io.database ?? (await openDatabase(databaseTargetFromEnv(env.data)));
  try {
    const operator = await createOperator(database.db, { email, name, password });
    io.stdout.write(`${operator.id}\n`);
    say(`Created platform operator ${operator.email} (${operator.name}).`);
    return 0;
  } catch (error) {
    if (isAppError(error)) {
      say(`add-operator: ${error.message} [${error.code}]`);
      return 1;
    }
    throw error;
  } finally {
    if (!io.database) await database.close();
  }
}

const invokedDirectly =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (invokedDirectly) {
  main(process.argv.slice(2), {
    env: process.env,
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      const code = (error as { code?: string }).code;
      process.stderr.write(
        `add-operator failed${code ? ` [${code}]` : ''}: ${(error as Error).message}\n`,
      );
      process.exitCode = 1;
    },
  );
}
