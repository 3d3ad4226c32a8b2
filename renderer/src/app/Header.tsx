import type { Session } from '../../../db/wire/desktop-views.ts';
import { Button, humanize, Icon } from '../ui/index.ts';
import { SyncIndicator } from './SyncIndicator.tsx';
import { useTheme } from './theme.ts';

export function Header({
  session,
  editsCount,
  onOpenEdits,
  onOpenHelp,
  onSignOut,
}: {
  session: Extract<Session, { signedIn: true }>;
  editsCount: number;
  onOpenEdits: () => void;
  onOpenHelp: () => void;
  onSignOut: () => void;
}) {
  const { theme, toggle } = useTheme();
  return (
    <header className="app-header">
      <div className="header-business">
        <span className="business-name" data-testid="business-name">
          {session.business.name}
        </span>
        <span className="member muted">
          {session.member.name} · {humanize(session.member.role)}
        </span>
      </div>
      <div className="header-tools">
        <SyncIndicator />
        <Button
          variant="ghost"
          size="sm"
          onClick={onOpenEdits}
          aria-label={`Edits: ${editsCount} refused or superseded`}
          aria-keyshortcuts="e"
          data-testid="edits-button"
        >
          <Icon name="edits" />
          Edits
          {editsCount > 0 ? <span className="count-pill warn">{editsCount}</span> : null}
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={toggle}
          aria-label={theme === 'dark' ? 'Use the light theme' : 'Use the dark theme'}
          title={theme === 'dark' ? 'Light theme' : 'Dark theme'}
        >
          <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
        </Button>
        <Button
          variant="ghost"
          size="sm"
          onClick={onOpenHelp}
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts="?"
          title="Keyboard shortcuts (?)"
        >
          <Icon name="help" />
        </Button>
        <Button variant="ghost" size="sm" onClick={onSignOut}>
          <Icon name="signOut" />
          Sign out
        </Button>
      </div>
    </header>
  );
}
