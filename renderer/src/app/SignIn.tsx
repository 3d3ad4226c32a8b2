import { useState, type FormEvent } from 'react';
import type { ErrorCode } from '../../../db/errors.ts';
import { call, DesktopError } from '../api/client.ts';
import { setSession } from '../api/hooks.ts';
import { Button, ErrorMessage, TextField } from '../ui/index.ts';

/** Refusals a person can act on, in their words; any other code shows the core's message. */
const plainWords: Partial<Record<ErrorCode, (message: string) => string>> = {
  INVALID_CREDENTIALS: () => 'That email and password do not match an account.',
  RATE_LIMITED: (message) => `Too many sign-in attempts. Wait a minute, then try again. ${message}`,
  BUSINESS_SUSPENDED: (message) => message,
  BUSINESS_CANCELLED: (message) => message,
  FORBIDDEN: (message) => message,
  VALIDATION_FAILED: (message) => message,
};

function signInProblem(error: unknown): { code?: string; message: string } {
  if (!(error instanceof DesktopError)) return { message: String(error) };
  const words = plainWords[error.code];
  return {
    code: error.code,
    message: words ? words(error.message) : `Could not sign in: ${error.message}`,
  };
}

export function SignIn({ onAttempt }: { onAttempt: (started: boolean) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ code?: string; message: string } | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setProblem({ message: 'Enter your email and password.' });
      return;
    }
    setBusy(true);
    setProblem(null);
    onAttempt(true);
    try {
      setSession(await call('session:signIn', { email: email.trim(), password }));
    } catch (error) {
      onAttempt(false);
      setProblem(signInProblem(error));
      setBusy(false);
    }
  }

  return (
    <main className="auth-screen">
      <form className="auth-card" onSubmit={(event) => void submit(event)} aria-label="Sign in">
        <div className="auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">Fieldline</span>
        </div>
        <h1 className="auth-title">Sign in to your desk</h1>
        <p className="muted">Every call and text, every lead, from new to paid.</p>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          autoFocus
          required
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
        <ErrorMessage error={problem} />
        <Button type="submit" variant="primary" busy={busy} className="auth-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
