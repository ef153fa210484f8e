import { useState, type FormEvent } from 'react';
import { isApiError } from '../api/error';
import { api, sessionStore } from '../app/services';
import { Link, useQuery, useRouter } from '../app/router';
import { useAction, useTitle } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { OneTimeCodeField, PasswordField, TextField } from '../ui/Field';
import { FormError, Notice } from '../ui/feedback';
import { safeNext } from './next';
import './auth.css';

/** Log in; when 2FA is on, a second step asks for the authenticator code (or a recovery code). */
export function LoginPage() {
  useTitle('Log in');
  const { signIn } = useSession();
  const { navigate } = useRouter();
  const next = safeNext(useQuery().get('next'));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<'password' | 'code'>('password');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [ended] = useState(() => sessionStore.lastEnd);

  const login = useAction(async () => {
    const body =
      step === 'code'
        ? useRecovery
          ? { username, password, recovery_code: code.trim() }
          : { username, password, totp_code: code.replace(/\s/g, '') }
        : { username, password };
    try {
      const response = await api.auth.login(body);
      signIn(response);
      navigate(next, { replace: true });
    } catch (error) {
      if (isApiError(error) && error.code === 'two_factor_required' && step === 'password') {
        setStep('code');
        return;
      }
      throw error;
    }
  });

  const errors = splitErrors(login.error, step === 'code' ? ['code'] : ['username', 'password'], {
    totp_code: 'code',
    recovery_code: 'code',
  });
  if (step === 'code' && isApiError(login.error) && login.error.code === 'two_factor_required') {
    errors.fields.code = useRecovery
      ? 'That recovery code is not valid or was already used.'
      : 'That code is not valid. Check your authenticator app and try again.';
  }

  const [local, setLocal] = useState<Record<string, string>>({});
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (step === 'password') {
      if (!username.trim()) problems.username = 'Enter your username.';
      if (!password) problems.password = 'Enter your password.';
    } else if (!code.trim()) {
      problems.code = useRecovery ? 'Enter a recovery code.' : 'Enter the 6-digit code.';
    }
    setLocal(problems);
    if (Object.keys(problems).length === 0) void login.run();
  };
  Object.assign(errors.fields, local);

  return (
    <div className="auth-page">
      <div className="card auth-card">
        <h1 tabIndex={-1} className="page-title">
          Log in
        </h1>
        {ended === 'expired' && step === 'password' && <Notice kind="warning">Your session has ended. Please log in again.</Notice>}
        <form onSubmit={submit} noValidate>
          {step === 'password' ? (
            <>
              <TextField
                label="Username"
                name="username"
                autoComplete="username"
                required
                value={username}
                onValue={setUsername}
                error={errors.fields.username}
                autoFocus
              />
              <PasswordField
                label="Password"
                name="password"
                required
                value={password}
                onValue={setPassword}
                error={errors.fields.password}
              />
            </>
          ) : (
            <>
              <p className="muted">
                Two-factor authentication is on for <strong>{username}</strong>.{' '}
                {useRecovery ? 'Enter one of your recovery codes.' : 'Enter the 6-digit code from your authenticator app.'}
              </p>
              {/* Two fields, not one with switched props: a recovery code is free text, an authenticator code a numeric one-time code. */}
              {useRecovery ? (
                <TextField
                  key="recovery"
                  label="Recovery code"
                  name="recovery_code"
                  autoComplete="off"
                  spellCheck={false}
                  value={code}
                  onValue={setCode}
                  error={errors.fields.code}
                  autoFocus
                />
              ) : (
                <OneTimeCodeField
                  key="totp"
                  label="Authentication code"
                  name="totp_code"
                  pattern="[0-9]*"
                  value={code}
                  onValue={setCode}
                  error={errors.fields.code}
                  autoFocus
                />
              )}
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setUseRecovery(!useRecovery);
                  setCode('');
                  login.setError(undefined);
                }}
              >
                {useRecovery ? 'Use an authenticator code instead' : 'Lost your device? Use a recovery code'}
              </button>
            </>
          )}
          <FormError message={errors.form} />
          <div className="form-actions">
            {step === 'code' && (
              <Button
                variant="secondary"
                onClick={() => {
                  setStep('password');
                  setCode('');
                  login.setError(undefined);
                }}
              >
                Back
              </Button>
            )}
            <Button type="submit" busy={login.busy} className="grow">
              {step === 'code' ? 'Verify and log in' : 'Log in'}
            </Button>
          </div>
        </form>
        <p className="auth-switch">
          New to Pupero? <Link to={`/register${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
        </p>
      </div>
    </div>
  );
}
