import { useEffect } from 'react';
import { syncedTables } from '../../../db/enums.ts';
import type { Session } from '../../../db/wire/desktop-views.ts';
import { useSyncStatus } from '../api/hooks.ts';
import { Button } from '../ui/index.ts';
import { describeTableSync, tableLabels } from './sync-view.ts';

/**
 * Right after signing in: the replica fills from the server, table by table. Everything already
 * synced is usable, so the person may go on before it finishes.
 */
export function FirstSync({
  session,
  onDone,
}: {
  session: Extract<Session, { signedIn: true }>;
  onDone: () => void;
}) {
  const status = useSyncStatus();
  const complete = status?.overall.state === 'up-to-date';

  useEffect(() => {
    if (complete) onDone();
  }, [complete, onDone]);

  const problem = status?.overall.state === 'error' ? status.overall : undefined;
  return (
    <main className="auth-screen">
      <section className="auth-card first-sync" aria-labelledby="first-sync-title">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Fieldline</span>
        </div>
        <h1 id="first-sync-title" className="auth-title">
          Getting {session.business.name} ready
        </h1>
        <p className="muted">
          Copying your business onto this desktop, so it works even when the network does not.
        </p>
        {problem ? (
          <p className="error-message" role="alert">
            {problem.message}
          </p>
        ) : null}
        <ul className="sync-tables" aria-live="polite">
          {syncedTables.map((table) => {
            const line = describeTableSync(status?.tables[table]);
            return (
              <li key={table} className={line.done ? 'sync-table done' : 'sync-table'}>
                <span className="sync-table-name" id={`sync-${table}`}>
                  {tableLabels[table]}
                </span>
                <span className="sync-table-count nums">{line.text}</span>
                <progress
                  aria-labelledby={`sync-${table}`}
                  {...(line.value !== undefined ? { value: line.value, max: line.max } : {})}
                />
              </li>
            );
          })}
        </ul>
        <Button variant="ghost" onClick={onDone}>
          Continue — finish in the background
        </Button>
      </section>
    </main>
  );
}
