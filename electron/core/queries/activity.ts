import { type AgentActionRow, agentActionFigures } from '../../../db/analytics/figures.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type AgentAction,
  type WorkflowView,
  workflowViewSchema,
} from '../../../db/wire/desktop-views.ts';

/* The agents' recent actions and the automations: short lists, newest first / by name. */

/**
 * The agents' latest actions, newest first (ties by id): the seed's "recent AI actions", the same
 * rows in the same order as the server's analytics API gives (figures.ts parses both).
 */
export function agentActivity(replica: Database, limit: number): AgentAction[] {
  const rows = prepared(
    replica,
    `SELECT id, agent_name AS agent, action_type AS actionType, result,
            result_message AS message, estimated_impact AS estimatedImpact,
            created_at AS at, completed_at AS completedAt
       FROM ai_agent_logs ORDER BY created_at DESC, id LIMIT ?`,
  ).all(limit) as AgentActionRow[];
  return rows.map(agentActionFigures);
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
