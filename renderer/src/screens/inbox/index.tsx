import { useVirtualizer } from '@tanstack/react-virtual';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import type { Message, ThreadSummary } from '../../../../db/wire/desktop-views.ts';
import { call, DesktopError } from '../../api/client.ts';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { hrefFor, navigate, useRoute } from '../../app/router.ts';
import { formatWhen } from '../../charts/format.ts';
import { smsOptOut, type SmsOptOut } from '../../leads/sms-opt-out.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  formatDate,
  formatPhone,
  formatTime,
} from '../../ui/index.ts';
import { deliveryOf, groupByDay, initials, smsSegments, withOutgoing } from './thread-logic.ts';
import './inbox.css';

const THREAD_ROW_HEIGHT = 72;
const MAX_BODY = 1600;

/** Search as you type, without a query per keystroke. */
function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Text conversations: threads on the left, the open one on the right with a compose box. */
export function InboxScreen() {
  const route = useRoute();
  const openLeadId = route.name === 'inbox' ? route.leadId : undefined;
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), 150);
  const threads = useQuery(
    'inbox:threads',
    [query ? { search: query, limit: 500 } : { limit: 500 }],
    ['sms_logs', 'leads'],
  );
  const rows = useMemo(() => threads.data ?? [], [threads.data]);
  // The j/k cursor starts on the open thread, and again whenever another thread opens.
  const [moved, setMoved] = useState<{ from: string | undefined; to: string }>();
  const cursor = moved && moved.from === openLeadId ? moved.to : openLeadId;
  const setCursor = (leadId: string) => setMoved({ from: openLeadId, to: leadId });
  const searchRef = useRef<HTMLInputElement>(null);

  const cursorIndex = rows.findIndex((t) => t.leadId === cursor);
  const move = (step: number) => {
    if (rows.length === 0) return;
    const next = cursorIndex < 0 ? (step > 0 ? 0 : rows.length - 1) : cursorIndex + step;
    const row = rows[Math.min(rows.length - 1, Math.max(0, next))];
    if (row) setCursor(row.leadId);
  };
  const open = (leadId: string | undefined) => {
    if (leadId) navigate({ name: 'inbox', leadId });
  };
  useCommand('next', () => move(1));
  useCommand('prev', () => move(-1));
  useCommand('open', () => open(cursor));
  useCommand('focus-search', () => searchRef.current?.focus());

  const openThread = rows.find((t) => t.leadId === openLeadId);

  // Opening a thread marks it read; so does a new inbound text arriving while it is open.
  const { reload } = threads;
  const openUnread = openThread?.unread ?? 0;
  const markedRef = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!openLeadId) return;
    if (markedRef.current === openLeadId && openUnread === 0) return;
    markedRef.current = openLeadId;
    call('inbox:markRead', { leadId: openLeadId }).then(reload, () => {
      // Read state is this desktop's own; a failure here only leaves the badge up.
    });
  }, [openLeadId, openUnread, reload]);

  return (
    <section className="inbox" data-testid="screen-inbox" aria-labelledby="page-title">
      <h1 id="page-title" className="visually-hidden">
        Inbox
      </h1>
      <aside className="inbox-threads" aria-label="Conversations">
        <div className="inbox-threads__head">
          <h2 className="inbox-threads__title">Inbox</h2>
          <label className="visually-hidden" htmlFor="inbox-search">
            Search conversations
          </label>
          <input
            id="inbox-search"
            ref={searchRef}
            className="input inbox-search"
            type="search"
            placeholder="Search name, phone or message"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === 'ArrowDown') {
                event.preventDefault();
                move(1);
              } else if (event.key === 'Enter') {
                open(cursor ?? rows[0]?.leadId);
              }
            }}
          />
        </div>
        <ErrorMessage error={threads.error} />
        <ThreadList
          rows={rows}
          loading={threads.data === undefined && threads.loading}
          searching={query !== ''}
          cursor={cursor}
          openLeadId={openLeadId}
          onOpen={open}
        />
      </aside>
      <div className="inbox-conversation">
        {openLeadId ? (
          <Conversation key={openLeadId} leadId={openLeadId} summary={openThread} />
        ) : (
          <EmptyState title="Pick a conversation">
            Texts with your customers show here. Use <kbd>j</kbd> and <kbd>k</kbd> to move through
            the list and <kbd>Enter</kbd> to open one.
          </EmptyState>
        )}
      </div>
    </section>
  );
}

function ThreadList({
  rows,
  loading,
  searching,
  cursor,
  openLeadId,
  onOpen,
}: {
  rows: readonly ThreadSummary[];
  loading: boolean;
  searching: boolean;
  cursor: string | undefined;
  openLeadId: string | undefined;
  onOpen: (leadId: string) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => THREAD_ROW_HEIGHT,
    overscan: 8,
    getItemKey: (index) => rows[index]?.leadId ?? index,
  });
  const cursorIndex = rows.findIndex((t) => t.leadId === cursor);
  useEffect(() => {
    if (cursorIndex >= 0) virtualizer.scrollToIndex(cursorIndex, { align: 'auto' });
  }, [cursorIndex, virtualizer]);

  if (loading) return <div className="inbox-threads__status muted">Loading conversations…</div>;
  if (rows.length === 0) {
    return (
      <EmptyState title={searching ? 'No conversations match' : 'No texts yet'}>
        {searching
          ? 'Try a name, part of a phone number or a word from a message.'
          : 'When a customer texts your business number, or a missed caller is texted back, the conversation shows here.'}
      </EmptyState>
    );
  }
  return (
    <div className="inbox-threads__scroll" ref={scrollRef}>
      <ul
        className="inbox-threads__list"
        aria-label="Conversations"
        style={{ height: virtualizer.getTotalSize() }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const thread = rows[item.index];
          if (!thread) return null;
          return (
            <ThreadRow
              key={item.key}
              thread={thread}
              top={item.start}
              cursor={thread.leadId === cursor}
              open={thread.leadId === openLeadId}
              onOpen={onOpen}
              position={item.index + 1}
              size={rows.length}
            />
          );
        })}
      </ul>
    </div>
  );
}

const ThreadRow = memo(function ThreadRow({
  thread,
  top,
  cursor,
  open,
  onOpen,
  position,
  size,
}: {
  thread: ThreadSummary;
  top: number;
  cursor: boolean;
  open: boolean;
  onOpen: (leadId: string) => void;
  position: number;
  size: number;
}) {
  const name = thread.customerName?.trim() || formatPhone(thread.customerPhone);
  const failed = thread.lastStatus === 'failed';
  const classes = ['inbox-thread', cursor ? 'is-cursor' : '', open ? 'is-open' : '']
    .filter(Boolean)
    .join(' ');
  return (
    <li
      className="inbox-thread__item"
      style={{ transform: `translateY(${top}px)`, height: THREAD_ROW_HEIGHT }}
      aria-posinset={position}
      aria-setsize={size}
    >
      <a
        href={hrefFor({ name: 'inbox', leadId: thread.leadId })}
        className={classes}
        data-testid={`thread-${thread.leadId}`}
        aria-current={open ? 'page' : undefined}
        onClick={(event) => {
          event.preventDefault();
          onOpen(thread.leadId);
        }}
      >
        <span className="inbox-avatar" aria-hidden="true">
          {initials(thread.customerName)}
        </span>
        <span className="inbox-thread__main">
          <span className="inbox-thread__top">
            <span className={`inbox-thread__name${thread.unread > 0 ? ' is-unread' : ''}`}>
              {name}
            </span>
            <time className="inbox-thread__time" dateTime={thread.lastAt}>
              {formatWhen(thread.lastAt)}
            </time>
          </span>
          <span className="inbox-thread__bottom">
            <span className="inbox-thread__preview">
              {failed ? <span className="inbox-thread__failed">Not delivered · </span> : null}
              {thread.lastDirection === 'outbound' ? 'You: ' : ''}
              {thread.lastBody}
            </span>
            {thread.unread > 0 ? (
              <span className="inbox-unread" aria-label={`${thread.unread} unread`}>
                {thread.unread > 99 ? '99+' : thread.unread}
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
});

function Conversation({ leadId, summary }: { leadId: string; summary: ThreadSummary | undefined }) {
  const thread = useQuery('inbox:thread', [{ leadId }], ['sms_logs', 'leads']);
  const lead = useQuery('leads:get', [{ id: leadId }], ['leads'], { enabled: !summary });
  const [outgoing, setOutgoing] = useState<Message[]>([]);
  const messages = useMemo(
    () => withOutgoing(thread.data ?? [], outgoing),
    [thread.data, outgoing],
  );
  const groups = useMemo(() => groupByDay(messages), [messages]);

  const name =
    summary?.customerName?.trim() ||
    lead.data?.customerName?.trim() ||
    formatPhone(summary?.customerPhone ?? lead.data?.customerPhone);
  const phone = summary?.customerPhone ?? lead.data?.customerPhone;
  // The thread's own row when it is listed, else the lead (a thread opened before its first text).
  const subject = summary ?? lead.data;
  const optOut = subject ? smsOptOut(subject) : null;

  // Keep the newest message in view as messages arrive.
  const scrollRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  const send = useCallback(
    async (body: string) => {
      const args = { id: crypto.randomUUID(), leadId, body, at: new Date().toISOString() };
      const shown: Message = {
        id: args.id,
        direction: 'outbound',
        body,
        status: 'queued',
        errorMessage: null,
        at: args.at,
        deliveredAt: null,
        pending: true,
      };
      setOutgoing((list) => [...list, shown]);
      try {
        await call('writes:record', { name: 'text.queue', args });
      } catch (error) {
        setOutgoing((list) => list.filter((m) => m.id !== args.id));
        throw error;
      }
    },
    [leadId],
  );

  return (
    <div className="inbox-pane">
      <header className="inbox-pane__head">
        <span className="inbox-avatar inbox-avatar--lg" aria-hidden="true">
          {initials(summary?.customerName ?? lead.data?.customerName ?? null)}
        </span>
        <div className="inbox-pane__who">
          <h2 className="inbox-pane__name">{name}</h2>
          {phone ? <span className="muted nums">{formatPhone(phone)}</span> : null}
          {optOut ? (
            <Badge tone="warning" title={optOut.explanation}>
              {optOut.badge}
            </Badge>
          ) : null}
        </div>
        <a className="btn btn-secondary btn-sm" href={hrefFor({ name: 'lead', id: leadId })}>
          Open lead
        </a>
      </header>
      <div
        className="inbox-messages"
        ref={scrollRef}
        role="log"
        aria-label={`Messages with ${name}`}
        tabIndex={0}
      >
        <ErrorMessage error={thread.error} />
        {thread.data === undefined && thread.loading ? (
          <div className="muted inbox-messages__status">Loading messages…</div>
        ) : messages.length === 0 ? (
          <EmptyState title="No messages yet">Write the first text below.</EmptyState>
        ) : (
          groups.map((group) => (
            <section
              key={group.day}
              className="inbox-day"
              aria-label={formatDate(group.day + 'T12:00:00')}
            >
              <div className="inbox-day__label" aria-hidden="true">
                <span>{formatDate(group.day + 'T12:00:00')}</span>
              </div>
              {group.items.map((message) => (
                <MessageBubble key={message.id} message={message} />
              ))}
            </section>
          ))
        )}
      </div>
      <Composer onSend={send} recipient={name} optOut={optOut} />
    </div>
  );
}

const MessageBubble = memo(function MessageBubble({ message }: { message: Message }) {
  const outbound = message.direction === 'outbound';
  const delivery = deliveryOf(message);
  return (
    <div
      className={`inbox-message ${outbound ? 'is-out' : 'is-in'}`}
      data-testid={`message-${message.id}`}
      data-status={message.status}
      data-pending={message.pending || undefined}
    >
      <div className={`inbox-bubble${message.status === 'failed' ? ' is-failed' : ''}`}>
        {message.body}
      </div>
      <div className="inbox-message__meta">
        <time dateTime={message.at}>{formatTime(message.at)}</time>
        {outbound ? (
          <>
            <span aria-hidden="true"> · </span>
            <span
              className={`inbox-delivery inbox-delivery--${delivery.tone}`}
              title={
                message.deliveredAt
                  ? `Delivered ${formatTime(message.deliveredAt)}`
                  : (delivery.detail ?? delivery.label)
              }
            >
              {delivery.label}
            </span>
          </>
        ) : null}
      </div>
    </div>
  );
});

/** The thread's compose box; while the customer has opted out of texts it says why instead. */
function Composer({
  onSend,
  recipient,
  optOut,
}: {
  onSend: (body: string) => Promise<void>;
  recipient: string;
  optOut: SmsOptOut | null;
}) {
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const trimmed = body.trim();
  const segments = smsSegments(trimmed);
  const tooLong = trimmed.length > MAX_BODY;

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!trimmed || tooLong || busy || optOut) return;
    setBusy(true);
    setError(undefined);
    setBody('');
    onSend(trimmed).then(
      () => {
        setBusy(false);
        ref.current?.focus();
      },
      (failure: unknown) => {
        setBusy(false);
        setBody(trimmed);
        setError(failure instanceof DesktopError ? failure.message : String(failure));
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <form className="inbox-composer" onSubmit={submit} aria-label="Send a text">
      {error ? <ErrorMessage error={`Not sent: ${error}`} /> : null}
      <div className="inbox-composer__row">
        <label htmlFor="inbox-compose" className="visually-hidden">
          Text to {recipient}
        </label>
        <textarea
          id="inbox-compose"
          ref={ref}
          className="input textarea inbox-composer__input"
          rows={2}
          placeholder={optOut ? optOut.placeholder : `Text ${recipient}…`}
          disabled={optOut !== null}
          value={body}
          maxLength={MAX_BODY + 200}
          aria-describedby="inbox-compose-hint"
          aria-invalid={tooLong || undefined}
          onChange={(event) => setBody(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <Button
          type="submit"
          variant="primary"
          disabled={!trimmed || tooLong || optOut !== null}
          busy={busy}
        >
          Send
        </Button>
      </div>
      <div id="inbox-compose-hint" className="inbox-composer__hint faint">
        {optOut ? (
          <span className="inbox-composer__off">{optOut.explanation}</span>
        ) : (
          <>
            <span>
              <kbd>Enter</kbd> sends · <kbd>Shift</kbd>+<kbd>Enter</kbd> new line · works offline:
              texts queue and send when you are back online
            </span>
            <span className={tooLong ? 'inbox-composer__count is-over' : 'inbox-composer__count'}>
              {trimmed.length}/{MAX_BODY}
              {segments.count > 1 ? ` · ${segments.count} SMS` : ''}
            </span>
          </>
        )}
      </div>
    </form>
  );
}
