import { memo } from 'react';
import { Icon, type IconName } from '../ui/index.ts';
import { hrefFor, type Route, type RouteName } from './router.ts';

interface NavItem {
  label: string;
  route: Route;
  icon: IconName;
  /** The routes that light this item up (a lead's page belongs to the pipeline). */
  matches: RouteName[];
  shortcut: string;
}

const items: NavItem[] = [
  {
    label: 'Pipeline',
    route: { name: 'pipeline', view: 'board' },
    icon: 'pipeline',
    matches: ['pipeline', 'lead'],
    shortcut: 'g p',
  },
  { label: 'Inbox', route: { name: 'inbox' }, icon: 'inbox', matches: ['inbox'], shortcut: 'g i' },
  { label: 'Calls', route: { name: 'calls' }, icon: 'calls', matches: ['calls'], shortcut: 'g c' },
  {
    label: 'Dashboard',
    route: { name: 'dashboard' },
    icon: 'dashboard',
    matches: ['dashboard'],
    shortcut: 'g d',
  },
  {
    label: 'Campaigns',
    route: { name: 'campaigns' },
    icon: 'campaigns',
    matches: ['campaigns'],
    shortcut: 'g m',
  },
  {
    label: 'Agents',
    route: { name: 'agents' },
    icon: 'agents',
    matches: ['agents'],
    shortcut: 'g a',
  },
  {
    label: 'Workflows',
    route: { name: 'workflows' },
    icon: 'workflows',
    matches: ['workflows'],
    shortcut: 'g w',
  },
];

/** The left navigation, with the unread-texts and missed-calls badges. */
export const Nav = memo(function Nav({
  current,
  unreadTexts,
  missedCalls,
}: {
  current: RouteName;
  unreadTexts: number;
  missedCalls: number;
}) {
  const badges: Partial<Record<RouteName, { count: number; what: string }>> = {
    inbox: { count: unreadTexts, what: 'unread' },
    calls: { count: missedCalls, what: 'missed' },
  };
  return (
    <nav className="app-nav" aria-label="Main">
      <div className="nav-brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Fieldline</span>
      </div>
      <ul className="nav-list">
        {items.map((item) => {
          const active = item.matches.includes(current);
          const badge = badges[item.route.name];
          const count = badge?.count ?? 0;
          return (
            <li key={item.label}>
              <a
                className={active ? 'nav-link active' : 'nav-link'}
                href={hrefFor(item.route)}
                aria-current={active ? 'page' : undefined}
                aria-keyshortcuts={item.shortcut.replace(' ', ' ')}
                data-testid={`nav-${item.route.name}`}
              >
                <Icon name={item.icon} />
                <span className="nav-label">{item.label}</span>
                {count > 0 && badge ? (
                  <span
                    className="nav-badge"
                    data-testid={`nav-badge-${item.route.name}`}
                    aria-label={`${count} ${badge.what}`}
                  >
                    {count > 99 ? '99+' : count}
                  </span>
                ) : null}
              </a>
            </li>
          );
        })}
      </ul>
      <p className="nav-hint">
        Press <kbd>?</kbd> for shortcuts
      </p>
    </nav>
  );
});
