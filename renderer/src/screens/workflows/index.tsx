import { useMemo, useState } from 'react';
import type { WorkflowView } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  formatCount,
  formatDateTime,
  formatPercent,
  formatRelative,
  humanize,
  Page,
  type BadgeTone,
} from '../../ui/index.ts';
import { completionRate, workflowInfo } from './workflows.ts';
import './workflows.css';

const statusTone: Record<WorkflowView['status'], BadgeTone> = {
  active: 'success',
  paused: 'warning',
  draft: 'neutral',
};

/** The automations with their status and counters; read-only until the workflows issue. */
export function WorkflowsScreen() {
  const workflows = useQuery('workflows:list', [], ['workflows']);
  const rows = useMemo(() => workflows.data ?? [], [workflows.data]);
  const [cursor, setCursor] = useState<string | undefined>();
  const index = rows.findIndex((w) => w.id === cursor);
  const move = (step: number) => {
    const next = rows[Math.min(rows.length - 1, Math.max(0, index < 0 ? 0 : index + step))];
    if (next) setCursor(next.id);
  };
  useCommand('next', () => move(1));
  useCommand('prev', () => move(-1));

  return (
    <Page
      title="Workflows"
      testId="screen-workflows"
      className="workflows-page"
      subtitle="Automations that text, follow up and ask for reviews on their own"
    >
      <div className="workflows-readonly" role="note">
        <svg
          className="workflows-readonly__icon"
          viewBox="0 0 16 16"
          width="16"
          height="16"
          aria-hidden="true"
        >
          <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
          <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
        </svg>
        <span>
          <strong>Read-only for now.</strong> Editing arrives with the workflows issue; until then
          this shows what runs and how it performs.
        </span>
      </div>
      <ErrorMessage error={workflows.error} />
      {workflows.data === undefined ? (
        workflows.error ? null : (
          <div className="muted">Loading workflows…</div>
        )
      ) : rows.length === 0 ? (
        <EmptyState title="No workflows yet" />
      ) : (
        <section className="panel workflows-panel" aria-label="Workflows">
          <table className="table workflows-table">
            <caption className="visually-hidden">Workflows with their status and counters</caption>
            <thead>
              <tr>
                <th scope="col">Workflow</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Triggered
                </th>
                <th scope="col" className="num">
                  Completed
                </th>
                <th scope="col">Completion rate</th>
                <th scope="col" className="num">
                  Last changed
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((workflow) => {
                const rate = completionRate(workflow);
                return (
                  <tr
                    key={workflow.id}
                    className={workflow.id === cursor ? 'is-cursor' : undefined}
                    aria-selected={workflow.id === cursor}
                    data-testid={`workflow-row-${workflow.id}`}
                    onClick={() => setCursor(workflow.id)}
                  >
                    <td>
                      <div className="workflow-name">
                        <span className="workflow-name__text">{workflow.name}</span>
                        <span className="faint workflow-name__what">
                          {workflowInfo[workflow.type] ?? humanize(workflow.type)}
                        </span>
                      </div>
                    </td>
                    <td>
                      <Badge tone={statusTone[workflow.status]}>{humanize(workflow.status)}</Badge>
                    </td>
                    <td className="num">{formatCount(workflow.triggered)}</td>
                    <td className="num">{formatCount(workflow.completed)}</td>
                    <td>
                      <div className="workflow-rate">
                        <progress
                          max={1}
                          value={rate ?? 0}
                          aria-label={`Completion rate of ${workflow.name}`}
                        />
                        <span className="nums">{formatPercent(rate)}</span>
                      </div>
                    </td>
                    <td className="num">
                      <time
                        dateTime={workflow.updatedAt}
                        title={formatDateTime(workflow.updatedAt)}
                        className="muted"
                      >
                        {formatRelative(workflow.updatedAt)}
                      </time>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </Page>
  );
}
