import { useState, type FormEvent } from 'react';
import { api } from '../app/services';
import { Link, useQuery, useRouter } from '../app/router';
import { useAction, useTitle } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { PasswordField, TextField } from '../ui/Field';
import { FormError } from '../ui/feedback';
import { safeNext } from './next';
import './auth.css';

const USERNAME_RE = /^[a-zA-Z0-9_.-]{3,32}$/;
export const MIN_PASSWORD = 10;

// Starts like LoginPage (title, session, redirect target, credentials), then the two part ways; a shared hook would hide one-liners.
export function RegisterPage() {
  useTitle('Create account');
  const { signIn } = useSession();
  const { navigate } = useRouter();
  const next = safeNext(useQuery().get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<Record<string, string>>({});

  const register = useAction(async () => {
    await api.auth.register(username, password);
    signIn(await api.auth.login({ username, password }));
    navigate(next === '/' ? '/wallet' : next, { replace: true });
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!USERNAME_RE.test(username)) problems.username = 'Use 3–32 letters, digits, dots, dashes or underscores.';
    if (password.length < MIN_PASSWORD) problems.password = `Use at least ${MIN_PASSWORD} characters.`;
    if (confirm !== password) problems.confirm = 'The passwords do not match.';
    setLocal(problems);
    if (Object.keys(problems).length === 0) void register.run();
  };

  const server = splitErrors(register.error, ['username', 'password']);
  const errors = { ...server.fields, ...local };

  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1 tabIndex={-1} className="page-title">
          Create your account
        </h1>
        <p className="muted">Trade Monero directly with other people, with the XMR held in escrow until both sides confirm.</p>
        <form onSubmit={submit} noValidate>
          <TextField
            label="Username"
            name="username"
            autoComplete="username"
            value={username}
            onValue={setUsername}
            error={errors.username}
            hint="3–32 characters: letters, digits, . _ -"
            autoFocus
          />
          <PasswordField
            label="Password"
            name="password"
            fresh
            value={password}
            onValue={setPassword}
            error={errors.password}
            hint={`At least ${MIN_PASSWORD} characters; avoid common passwords.`}
          />
          <PasswordField label="Repeat password" name="confirm" fresh value={confirm} onValue={setConfirm} error={errors.confirm} />
          <FormError message={server.form} />
          <div className="form-actions">
            <Button type="submit" busy={register.busy} className="grow">
              Create account
            </Button>
          </div>
        </form>
        <p className="auth-switch">
          Already have an account? <Link to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>Log in</Link>
        </p>
      </div>
    </div>
  );
}
