import type { Database } from '../../../db/replica/open.ts';
import { type DesktopHandlers, run } from '../api.ts';
import { agentActivity, workflowList } from './activity.ts';
import { listCalls, markMissedCallsSeen } from './calls.ts';
import { inboxThread, inboxThreads, markThreadRead } from './inbox.ts';
import { getLead, leadBoard, leadServiceTypes, listLeads } from './leads.ts';
import { campaignPerformance, dashboard, keywordPerformance } from './numbers.ts';
import type { Clock } from './shared.ts';
import { leadTimeline } from './timeline.ts';

/** The desktop API's channels answered from the replica alone. */
export type ReadChannel =
  | 'leads:list'
  | 'leads:board'
  | 'leads:get'
  | 'leads:timeline'
  | 'leads:serviceTypes'
  | 'inbox:threads'
  | 'inbox:thread'
  | 'inbox:markRead'
  | 'calls:list'
  | 'calls:markSeen'
  | 'dashboard:get'
  | 'campaigns:list'
  | 'keywords:list'
  | 'agents:activity'
  | 'workflows:list';

export interface ReadContext {
  clientId: string;
  /** "Now" for read marks and the dashboard's default month; the wall clock by default. */
  now?: Clock;
}

/**
 * The handlers of the read channels over one replica. Each query runs synchronously on the
 * replica connection (better-sqlite3), so a thrown error becomes the rejected promise the API
 * layer answers with.
 */
export function createReadHandlers(
  replica: Database,
  context: ReadContext,
): Pick<DesktopHandlers, ReadChannel> {
  const now = context.now ?? (() => new Date());
  return {
    'leads:list': (args) => run(() => listLeads(replica, args)),
    'leads:board': (args) => run(() => leadBoard(replica, args)),
    'leads:get': ({ id }) => run(() => getLead(replica, id)),
    'leads:timeline': ({ leadId }) => run(() => leadTimeline(replica, leadId)),
    'leads:serviceTypes': () => run(() => leadServiceTypes(replica)),
    'inbox:threads': (args) => run(() => inboxThreads(replica, args)),
    'inbox:thread': ({ leadId }) => run(() => inboxThread(replica, leadId)),
    'inbox:markRead': ({ leadId }) => run(() => markThreadRead(replica, leadId, now)),
    'calls:list': (args) => run(() => listCalls(replica, args)),
    'calls:markSeen': () => run(() => markMissedCallsSeen(replica, now)),
    'dashboard:get': ({ month }) => run(() => dashboard(replica, month, now)),
    'campaigns:list': () => run(() => campaignPerformance(replica)),
    'keywords:list': ({ campaignId }) => run(() => keywordPerformance(replica, campaignId)),
    'agents:activity': ({ limit }) => run(() => agentActivity(replica, limit)),
    'workflows:list': () => run(() => workflowList(replica)),
  };
}
