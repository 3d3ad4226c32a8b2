import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { agentNames, agentResults } from '../../enums.ts';
import { checkName, oneOf } from '../../sql-checks.ts';
import { createdAt, id, timestamptz } from './columns.ts';
import { users } from './users.ts';

/** Append-only record of what each of the five agents did and why. */
export const aiAgentLogs = pgTable(
  'ai_agent_logs',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),

    agentName: varchar('agent_name', { length: 50 }).notNull(),
    actionType: varchar('action_type', { length: 100 }).notNull(),

    actionData: jsonb('action_data').notNull(),

    result: varchar('result', { length: 50 }).notNull(),
    resultMessage: text('result_message'),

    estimatedImpact: jsonb('estimated_impact'),

    createdAt: createdAt(),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    index('idx_ai_agent_logs_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_ai_agent_logs_sync_key').on(t.userId, t.id),
    index('idx_ai_agent_logs_agent_name').on(t.agentName),
    index('idx_ai_agent_logs_action_type').on(t.actionType),
    index('idx_ai_agent_logs_created_at').on(t.createdAt.desc().nullsFirst()),
    index('idx_ai_agent_logs_action_data').using('gin', t.actionData),
    // A business's recent actions, newest first (migration 0018): without it the global
    // created_at index is walked past every other business's actions.
    index('idx_ai_agent_logs_user_recent').on(t.userId, t.createdAt.desc().nullsFirst(), t.id),
    check(checkName('ai_agent_logs', 'agent_name'), oneOf('agent_name', agentNames)),
    check(checkName('ai_agent_logs', 'result'), oneOf('result', agentResults)),
    check(checkName('ai_agent_logs', 'action_data'), sql`jsonb_typeof("action_data") = 'object'`),
    check(
      checkName('ai_agent_logs', 'estimated_impact'),
      sql`jsonb_typeof("estimated_impact") = 'object'`,
    ),
  ],
);
