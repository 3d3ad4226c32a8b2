import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { workflowStatuses, workflowTypes } from '../../enums.ts';
import { checkName, nonNegative, oneOf } from '../../sql-checks.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { users } from './users.ts';

/** An automation (missed-call text-back, quote follow-up, …) and its counters. */
export const workflows = pgTable(
  'workflows',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),

    workflowName: varchar('workflow_name', { length: 255 }).notNull(),
    workflowType: varchar('workflow_type', { length: 50 }).notNull(),

    ghlWorkflowId: varchar('ghl_workflow_id', { length: 255 }),

    config: jsonb('config').notNull(),

    status: varchar('status', { length: 50 }).notNull().default('active'),

    totalTriggered: integer('total_triggered').notNull().default(0),
    totalCompleted: integer('total_completed').notNull().default(0),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_workflows_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_workflows_sync_key').on(t.userId, t.id),
    index('idx_workflows_workflow_type').on(t.workflowType),
    index('idx_workflows_status').on(t.status),
    check(checkName('workflows', 'workflow_type'), oneOf('workflow_type', workflowTypes)),
    check(checkName('workflows', 'status'), oneOf('status', workflowStatuses)),
    check(checkName('workflows', 'config'), sql`jsonb_typeof("config") = 'object'`),
    check(checkName('workflows', 'total_triggered'), nonNegative('total_triggered')),
    check(checkName('workflows', 'total_completed'), nonNegative('total_completed')),
  ],
);
