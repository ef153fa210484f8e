import { useState, type FormEvent } from 'react';
import type { TwoFactorSetup } from '../api/types';
import { api } from '../app/services';
import { useAction } from '../app/hooks';
import { splitErrors } from '../errors/messages';
import { useSession } from '../session/SessionContext';
import { Button } from '../ui/Button';
import { CopyButton } from '../ui/CopyButton';
import { OneTimeCodeField } from '../ui/Field';
import { FormError, Notice } from '../ui/feedback';
import { Card } from '../ui/layout';
import { QrCode } from '../ui/QrCode';
import { Badge } from '../ui/values';

/** "JBSWY3DPEHPK3PXP" -> "JBSW Y3DP EHPK 3PXP" (easier to type into an app by hand). */
export function groupSecret(secret: string): string {
  return (
    secret
      .replace(/\s/g, '')
      .match(/.{1,4}/g)
      ?.join(' ') ?? secret
  );
}

export function TwoFactorSection() {
  const { me, reloadMe } = useSession();
  const [setup, setSetup] = useState<TwoFactorSetup>();
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>();
  const [disabledNow, setDisabledNow] = useState(false);

  const start = useAction(async () => {
    setSetup(await api.auth.setup2fa());
    setCode('');
  });
  const enable = useAction(async () => {
    const { recovery_codes } = await api.auth.enable2fa(code.replace(/\s/g, ''));
    setRecoveryCodes(recovery_codes);
    setSetup(undefined);
    setCode('');
    await reloadMe();
  });
  const disable = useAction(async () => {
    await api.auth.disable2fa(code.replace(/\s/g, ''));
    setCode('');
    setDisabledNow(true);
    await reloadMe();
  });

  const enabled = !!me?.two_factor_enabled;
  const codeError = (error: unknown) => splitErrors(error, ['code'], { totp_code: 'code' });

  if (recoveryCodes) {
    return (
      <Card title="Two-factor authentication" id="twofa" actions={<Badge tone="success">On</Badge>}>
        <Notice kind="success">Two-factor authentication is on. From now on, logging in and withdrawing need a code from your app.</Notice>
        <h3>Your recovery codes</h3>
        <p>
          Each code works <strong>once</strong>, in place of an authenticator code, if you lose your device. Store them somewhere safe:{' '}
          <strong>they are shown only now.</strong>
        </p>
        <ol className="recovery-codes" aria-label="Recovery codes" data-testid="recovery-codes">
          {recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div className="row">
          <CopyButton text={recoveryCodes.join('\n')} label="Copy all" />
          <a
            className="btn btn-secondary btn-small"
            download="pupero-recovery-codes.txt"
            href={`data:text/plain;charset=utf-8,${encodeURIComponent(`Pupero recovery codes for ${me?.username ?? ''}\n\n${recoveryCodes.join('\n')}\n`)}`}
          >
            Download
          </a>
          <Button small onClick={() => setRecoveryCodes(undefined)}>
            I have saved them
          </Button>
        </div>
      </Card>
    );
  }

  if (enabled) {
    return (
      <Card title="Two-factor authentication" id="twofa" actions={<Badge tone="success">On</Badge>}>
        <p>Logging in and withdrawing need a 6-digit code from your authenticator app.</p>
        <form
          className="inline-form"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void disable.run();
          }}
        >
          <OneTimeCodeField
            label="Code to turn 2FA off"
            name="disable_code"
            value={code}
            onValue={setCode}
            error={codeError(disable.error).fields.code}
          />
          <Button type="submit" variant="danger" busy={disable.busy} disabled={!code.trim()}>
            Turn off 2FA
          </Button>
        </form>
        <FormError message={codeError(disable.error).form} />
      </Card>
    );
  }

  return (
    <Card title="Two-factor authentication" id="twofa" actions={<Badge tone="warning">Off</Badge>}>
      {disabledNow && <Notice kind="info">Two-factor authentication is now off.</Notice>}
      {!setup ? (
        <>
          <p>Protect your account and your withdrawals with a code from an authenticator app (any TOTP app works).</p>
          <Button onClick={() => void start.run()} busy={start.busy}>
            Set up 2FA
          </Button>
          <FormError message={splitErrors(start.error, []).form} />
        </>
      ) : (
        <div className="twofa-setup">
          <ol className="steps">
            <li>Scan this QR code with your authenticator app, or type the secret in by hand.</li>
            <li>Enter the 6-digit code the app shows to finish.</li>
          </ol>
          <div className="twofa-grid">
            <QrCode text={setup.otpauth_url} label="QR code for your authenticator app" />
            <div>
              <div className="field">
                <span className="label-text" id="secret-label">
                  Secret key
                </span>
                <div className="row">
                  <code className="secret" aria-labelledby="secret-label" data-testid="totp-secret" data-secret={setup.secret}>
                    {groupSecret(setup.secret)}
                  </code>
                  <CopyButton text={setup.secret} label="Copy secret" />
                </div>
              </div>
              {/* Same shape as the turn-off form above, never shown with it: each sends its own request and shows its own errors. */}
              <form
                onSubmit={(e: FormEvent) => {
                  e.preventDefault();
                  void enable.run();
                }}
              >
                <OneTimeCodeField
                  label="Code from the app"
                  name="enable_code"
                  value={code}
                  onValue={setCode}
                  error={codeError(enable.error).fields.code}
                  autoFocus
                />
                <FormError message={codeError(enable.error).form} />
                <div className="form-actions">
                  <Button variant="secondary" onClick={() => setSetup(undefined)}>
                    Cancel
                  </Button>
                  <Button type="submit" busy={enable.busy} disabled={!code.trim()}>
                    Turn on 2FA
                  </Button>
                </div>
              </form>
            </div>
          </div>
        </div>
      )}
    </Card>
  );
}
