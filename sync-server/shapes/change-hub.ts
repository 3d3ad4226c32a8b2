import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseHandle } from '../../db/postgres/client.ts';

// PLACEHOLDER — being written now.
export class ChangeHub {
  closing = false;
  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: FastifyBaseLogger,
  ) {}
  async start(): Promise<void> {}
  close(): Promise<void> {
    this.closing = true;
    return Promise.resolve();
  }
}
