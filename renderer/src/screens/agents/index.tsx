import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { AgentName } from '../../../../db/enums.ts';
import type { AgentAction } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { formatCents, formatWhen } from '../../charts/format.ts';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  formatCount,
  formatDateTime,
  humanize,
  Page,
  type BadgeTone,
} from '../../ui/index.ts';
import { agentInfo, describeImpact, feed, summarise } from './activity.ts';
import './agents.css';

const resultTone: Record<AgentAction['result'], BadgeTone> = {
  success: 'success',
  failed: 'danger',
  pending: 'warning',
};

/** What the five AI agents did: a card per agent (filters the feed) and the activity feed. */
export function AgentsScreen() {
  const activity = useQuery('agents:activity', [{ limit: 1000 }], ['ai_agent_logs']);
  const actions = useMemo(() => activity.data ?? [], [activity.data]);
  const [agent, setAgent] = useState<AgentName | 'all'>('all');
  const summaries = useMemo(() => summarise(actions), [actions]);
  const shown = useMemo(() => feed(actions, agent), [actions, agent]);
  const [cursor, setCursor] = useState<string | undefined>();
  const [expanded, setExpanded] = useState<string | undefined>();

  const index = shown.findIndex((a) => a.id === cursor);
  const move = (step: number) => {
    if (shown.length === 0) return;
    const next = shown[Math.min(shown.length - 1, Math.max(0, index < 0 ? 0 : index + step))];
    if (next) setCursor(next.id);
  };
  useCommand('next', () => move(1));
  useCommand('prev', () => move(-1));
  useCommand('open', () => setExpanded((e) => (e === cursor ? undefined : cursor)));

  return (
    <Page
      title="Agents"
      testId="screen-agents"
      className="agents-page"
      subtitle="Five AI agents act on your numbers; here is what they did"
    >
      <ErrorMessage error={activity.error} />
      <div className="agent-cards" role="group" aria-label="Filter by agent">
        <button
          type="button"
          className="agent-card agent-card--all"
          aria-pressed={agent === 'all'}
          onClick={() => setAgent('all')}
        >
          <span className="agent-card__name">All agents</span>
          <span className="agent-card__stat">Latest {formatCount(actions.length)} actions</span>
        </button>
        {summaries.map((s) => (
          <button
            key={s.agent}
            type="button"
            className="agent-card"
            aria-pressed={agent === s.agent}
            onClick={() => setAgent((a) => (a === s.agent ? 'all' : s.agent))}
            data-testid={`agent-filter-${s.agent}`}
          >
            <span className="agent-card__head">
              <span className={`agent-avatar agent-avatar--${s.agent}`} aria-hidden="true">
                {agentInfo[s.agent].name.slice(0, 2)}
              </span>
              <span className="agent-card__name">{agentInfo[s.agent].name}</span>
            </span>
            <span className="agent-card__does">{agentInfo[s.agent].does}</span>
            <span className="agent-card__stat">
              {formatCount(s.total)} actions
              {s.failed > 0 ? (
                <span className="agent-card__failed"> · {s.failed} failed</span>
              ) : null}
              {s.savingsCents > 0 ? (
                <span className="agent-card__impact">
                  {' '}
                  · {formatCents(s.savingsCents, 'whole')}/mo saved
                </span>
              ) : null}
            </span>
          </button>
        ))}
      </div>

      <section className="panel agents-feed" aria-labelledby="agents-feed-title">
        <div className="panel-header">
          <h2 id="agents-feed-title" className="panel-title">
            Activity{agent === 'all' ? '' : ` · ${agentInfo[agent].name}`}
          </h2>
          <span className="faint">{formatCount(shown.length)} shown</span>
        </div>
        {activity.data === undefined ? (
          activity.error ? null : (
            <div className="muted agents-feed__status">Loading activity…</div>
          )
        ) : shown.length === 0 ? (
          <EmptyState title="No activity yet">
            {agent === 'all'
              ? 'The agents have not acted yet. Their actions show here as they happen.'
              : `${agentInfo[agent].name} has not acted yet.`}
          </EmptyState>
        ) : (
          <Feed
            actions={shown}
            cursor={cursor}
            expanded={expanded}
            onPick={(id) => {
              setCursor(id);
              setExpanded((e) => (e === id ? undefined : id));
            }}
          />
        )}
      </section>
    </Page>
  );
}

function Feed({
  actions,
  cursor,
  expanded,
  onPick,
}: {
  actions: readonly AgentAction[];
  cursor: string | undefined;
  expanded: string | undefined;
  onPick: (id: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here
  const virtualizer = useVirtualizer({
    count: actions.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 72,
    overscan: 8,
    getItemKey: (index) => actions[index]?.id ?? index,
  });
  const cursorIndex = actions.findIndex((a) => a.id === cursor);
  useEffect(() => {
    if (cursorIndex >= 0) virtualizer.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virtualizer]);

  return (
    <div className="agents-feed__scroll" ref={scrollRef}>
      <ol
        className="agents-feed__list"
        aria-label="Agent actions, newest first"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const action = actions[item.index];
          if (!action) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="agents-feed__item"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <ActionRow
                action={action}
                cursor={action.id === cursor}
                expanded={action.id === expanded}
                onPick={onPick}
              />
            </li>
          );
        })}
      </ol>
    </div>
  );
}

const ActionRow = memo(function ActionRow({
  action,
  cursor,
  expanded,
  onPick,
}: {
  action: AgentAction;
  cursor: boolean;
  expanded: boolean;
  onPick: (id: string) => void;
}) {
  const info = agentInfo[action.agent];
  const impact = describeImpact(action.estimatedImpact);
  return (
    <div
      className={`agent-action${cursor ? ' is-cursor' : ''}`}
      data-testid={`agent-action-${action.id}`}
      data-result={action.result}
    >
      <span className={`agent-avatar agent-avatar--${action.agent}`} aria-hidden="true">
        {info.name.slice(0, 2)}
      </span>
      <div className="agent-action__main">
        <div className="agent-action__top">
          <button
            type="button"
            className="agent-action__title"
            aria-expanded={expanded}
            onClick={() => onPick(action.id)}
          >
            <span className="agent-action__agent">{info.name}</span>
            <span className="agent-action__type">{humanize(action.actionType)}</span>
          </button>
          <Badge tone={resultTone[action.result]}>{humanize(action.result)}</Badge>
          {impact.length > 0 ? (
            <span className="agent-action__impact">
              <span className="visually-hidden">Estimated impact: </span>
              {impact.map((part) => (
                <span
                  key={part.key}
                  className={`impact impact--${part.tone}`}
                  title="Estimated by the agent"
                >
                  {part.text}
                </span>
              ))}
            </span>
          ) : null}
          <time
            className="agent-action__time"
            dateTime={action.at}
            title={formatDateTime(action.at)}
          >
            {formatWhen(action.at)}
          </time>
        </div>
        {action.message ? <p className="agent-action__message">{action.message}</p> : null}
        {expanded ? (
          <dl className="agent-action__details">
            <div>
              <dt>Started</dt>
              <dd>{formatDateTime(action.at)}</dd>
            </div>
            <div>
              <dt>Finished</dt>
              <dd>{action.completedAt ? formatDateTime(action.completedAt) : 'Not yet'}</dd>
            </div>
            <div>
              <dt>Action</dt>
              <dd className="agent-action__code">{action.actionType}</dd>
            </div>
          </dl>
        ) : null}
      </div>
    </div>
  );
});
