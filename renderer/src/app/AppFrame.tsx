import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Session } from '../../../db/wire/desktop-views.ts';
import { call } from '../api/client.ts';
import { setSession, useDesktopEvents, useMissedUnseen, useQuery } from '../api/hooks.ts';
import { NewLeadDialog } from '../screens/pipeline/NewLeadDialog.tsx';
import { runCommand, useCommand } from './commands.ts';
import { EditsPanel } from './EditsPanel.tsx';
import { Header } from './Header.tsx';
import { HelpOverlay } from './HelpOverlay.tsx';
import { Nav } from './Nav.tsx';
import { navigate, useRoute } from './router.ts';
import { Screen } from './Screens.tsx';
import type { GoTarget } from './shortcuts.ts';
import { useGlobalKeys } from './useGlobalKeys.ts';
import { showToast, Toasts } from '../ui/index.ts';
import { requestSearchFocus } from '../screens/pipeline/search-focus.ts';

const goRoutes = {
  pipeline: { name: 'pipeline', view: 'board' },
  list: { name: 'pipeline', view: 'list' },
  inbox: { name: 'inbox' },
  calls: { name: 'calls' },
  dashboard: { name: 'dashboard' },
  campaigns: { name: 'campaigns' },
  agents: { name: 'agents' },
  workflows: { name: 'workflows' },
} as const;

function useGo(target: GoTarget) {
  useCommand(`go:${target}`, () => navigate(goRoutes[target]));
}

/** The signed-in app: navigation, header (sync, edits), the current screen, global dialogs. */
export function AppFrame({ session }: { session: Extract<Session, { signedIn: true }> }) {
  const route = useRoute();
  const [newLeadOpen, setNewLeadOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [editsOpen, setEditsOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useGlobalKeys();
  useGo('pipeline');
  useGo('list');
  useGo('inbox');
  useGo('calls');
  useGo('dashboard');
  useGo('campaigns');
  useGo('agents');
  useGo('workflows');
  useCommand('help', () => setHelpOpen(true));
  useCommand('new-lead', () => setNewLeadOpen(true));
  useCommand('edits', () => setEditsOpen(true));
  useCommand('blur', () => {
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  });
  // A fallback: the pipeline's own search field handles "/" when it is on screen.
  useCommand(
    'focus-search',
    () => {
      requestSearchFocus();
      navigate({ name: 'pipeline', view: 'board' });
    },
    true,
    { fallback: true },
  );

  // A missed call, a new lead, a text: said in the app too (Electron also notifies the desktop).
  // Electron's menu and a notification's click arrive as shell commands.
  useDesktopEvents((event) => {
    if (event.type === 'alert') showToast(`${event.alert.title}: ${event.alert.body}`, 'info');
    if (event.type !== 'command') return;
    const command = event.command;
    switch (command.type) {
      case 'open-lead':
        navigate({ name: 'lead', id: command.leadId });
        break;
      case 'navigate':
        navigate(goRoutes[command.screen]);
        break;
      case 'new-lead':
        runCommand('new-lead');
        break;
      case 'search':
        runCommand('focus-search');
        break;
      case 'shortcuts':
        runCommand('help');
        break;
    }
  });

  // Each screen change moves focus to the main region, so keyboard and screen readers follow.
  const routeKey = route.name === 'lead' ? `lead:${route.id}` : route.name;
  useEffect(() => {
    if (!mainRef.current?.contains(document.activeElement)) mainRef.current?.focus();
  }, [routeKey]);

  const refused = useQuery('writes:refused', [{ limit: 100 }], ['mutation_rejections']);
  const superseded = useQuery('writes:superseded', [{ limit: 100 }], ['field_conflicts']);
  const edits = { refused, superseded };
  const editsCount = (refused.data?.length ?? 0) + (superseded.data?.length ?? 0);

  const threads = useQuery('inbox:threads', [{ limit: 200 }], ['sms_logs']);
  // Reading a thread marks it read on this device (no table changes): re-count on leaving the inbox.
  const inInbox = route.name === 'inbox';
  const wasInInbox = useRef(inInbox);
  const reloadThreads = threads.reload;
  useEffect(() => {
    if (wasInInbox.current && !inInbox) reloadThreads();
    wasInInbox.current = inInbox;
  }, [inInbox, reloadThreads]);
  const unreadTexts = useMemo(
    () => (threads.data ?? []).reduce((sum, thread) => sum + thread.unread, 0),
    [threads.data],
  );
  const missedCalls = useMissedUnseen();

  const signOut = useCallback(() => {
    void call('session:signOut').then(setSession, () => undefined);
  }, []);

  return (
    <div className="app" data-testid="app-shell">
      <a className="skip-link" href="#main" onClick={() => mainRef.current?.focus()}>
        Skip to content
      </a>
      <Nav current={route.name} unreadTexts={unreadTexts} missedCalls={missedCalls} />
      <div className="app-column">
        <Header
          session={session}
          editsCount={editsCount}
          onOpenEdits={() => setEditsOpen(true)}
          onOpenHelp={() => setHelpOpen(true)}
          onSignOut={signOut}
        />
        <main id="main" className="app-main" ref={mainRef} tabIndex={-1}>
          <Screen route={route} />
        </main>
      </div>
      <NewLeadDialog open={newLeadOpen} onClose={() => setNewLeadOpen(false)} />
      <HelpOverlay open={helpOpen} onClose={() => setHelpOpen(false)} />
      <Toasts />
      <EditsPanel open={editsOpen} onClose={() => setEditsOpen(false)} edits={edits} />
    </div>
  );
}
