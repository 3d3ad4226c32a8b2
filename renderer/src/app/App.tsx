import { useState } from 'react';
import { useSession } from '../api/hooks.ts';
import { AppFrame } from './AppFrame.tsx';
import { FirstSync } from './FirstSync.tsx';
import { SignIn } from './SignIn.tsx';

/**
 * Who sees what: the sign-in form when signed out; right after signing in, the first sync's
 * progress while the replica fills; then the app (which never waits on the network again).
 */
export function App() {
  const session = useSession();
  const [fillingReplica, setFillingReplica] = useState(false);

  if (!session) {
    return (
      <div className="splash" role="status" aria-live="polite">
        <span className="brand-mark" aria-hidden="true" />
        Opening Fieldline…
      </div>
    );
  }
  if (!session.signedIn) return <SignIn onAttempt={setFillingReplica} />;
  if (fillingReplica)
    return <FirstSync session={session} onDone={() => setFillingReplica(false)} />;
  return <AppFrame session={session} />;
}
