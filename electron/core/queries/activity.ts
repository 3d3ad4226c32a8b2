import { z } from 'zod';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type AgentAction,
  agentActionSchema,
  type WorkflowView,
  workflowViewSchema,
} from '../../../db/wire/desktop-views.ts';

/* The agents' recent actions and the automations: short lists, newest first / by name. */

/** `estimated_impact` is JSON text; the replica checks only that it is an object (or NULL). */
const impactText = z
  .string()
  .nullable()
  .transform((text, context) => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'estimated_impact is not JSON' });
      return z.NEVER;
    }
  });

export function agentActivity(replica: Database, limit: number): AgentAction[] {
  const rows = prepared(
    replica,
    `SELECT id, agent_name AS agent, action_type AS actionType, result,
            result_message AS message, estimated_impact AS estimatedImpact,
            created_at AS at, completed_at AS completedAt
       FROM ai_agent_logs ORDER BY created_at DESC, id LIMIT ?`,
  ).all(limit) as { estimatedImpact: unknown }[];
  return rows.map((row) =>
    agentActionSchema.parse({ ...row, estimatedImpact: impactText.parse(row.estimatedImpact) }),
  );
}

export function workflowList(replica: Database): WorkflowView[] {
  return prepared(
    replica,
    `SELECT id, workflow_name AS name, workflow_type AS type, status,
            total_triggered AS triggered, total_completed AS completed, updated_at AS updatedAt
       FROM workflows ORDER BY workflow_name COLLATE NOCASE, id`,
  )
    .all()
    .map((row) => workflowViewSchema.parse(row));
}
