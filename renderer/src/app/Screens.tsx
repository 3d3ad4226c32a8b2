import { lazy, Suspense, type ComponentType } from 'react';
import { LeadDetailScreen } from '../screens/lead/LeadDetailScreen.tsx';
import { PipelineScreen } from '../screens/pipeline/PipelineScreen.tsx';
import { EmptyState } from '../ui/index.ts';
import type { Route } from './router.ts';

/**
 * The other screens each live in their own folder and chunk, found by file name: a screen not
 * written yet shows a placeholder instead of breaking the build.
 */
const screenModules = import.meta.glob<Record<string, ComponentType | undefined>>(
  '../screens/*/index.tsx',
);

function screen(folder: string, exportName: string, title: string): ComponentType {
  const load = screenModules[`../screens/${folder}/index.tsx`];
  if (!load) return () => <EmptyState title={`${title} is not available in this build`} />;
  return lazy(async () => {
    const module = await load();
    const component = module[exportName];
    return {
      default: component ?? (() => <EmptyState title={`${title} is not available`} />),
    };
  });
}

const InboxScreen = screen('inbox', 'InboxScreen', 'Inbox');
const CallsScreen = screen('calls', 'CallsScreen', 'Calls');
const DashboardScreen = screen('dashboard', 'DashboardScreen', 'Dashboard');
const CampaignsScreen = screen('campaigns', 'CampaignsScreen', 'Campaigns');
const AgentsScreen = screen('agents', 'AgentsScreen', 'Agents');
const WorkflowsScreen = screen('workflows', 'WorkflowsScreen', 'Workflows');

function Loading() {
  return (
    <div className="screen-loading" role="status">
      Loading…
    </div>
  );
}

export function Screen({ route }: { route: Route }) {
  if (route.name === 'pipeline') return <PipelineScreen view={route.view} />;
  if (route.name === 'lead') return <LeadDetailScreen key={route.id} leadId={route.id} />;
  return (
    <Suspense fallback={<Loading />}>
      <OtherScreen route={route} />
    </Suspense>
  );
}

const otherScreens: Record<Exclude<Route['name'], 'pipeline' | 'lead'>, ComponentType> = {
  inbox: InboxScreen,
  calls: CallsScreen,
  dashboard: DashboardScreen,
  campaigns: CampaignsScreen,
  agents: AgentsScreen,
  workflows: WorkflowsScreen,
};

function OtherScreen({ route }: { route: Exclude<Route, { name: 'pipeline' | 'lead' }> }) {
  const Component = otherScreens[route.name];
  return <Component />;
}
