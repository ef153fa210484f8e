import type { SecurityEvent } from '../api/types';
import { itemsOf } from '../api/endpoints';
import { api } from '../app/services';
import { useAsync } from '../app/hooks';
import { Button } from '../ui/Button';
import { Empty, Loaded } from '../ui/feedback';
import { Card } from '../ui/layout';
import { DateTime } from '../ui/values';

const EVENT_WORDS: Record<string, string> = {
  login_succeeded: 'Logged in',
  login_success: 'Logged in',
  login_ok: 'Logged in',
  login_failed: 'Failed login attempt',
  logout: 'Logged out',
  two_factor_enabled: '2FA turned on',
  two_factor_disabled: '2FA turned off',
  '2fa_enabled': '2FA turned on',
  '2fa_disabled': '2FA turned off',
  two_factor_failed: 'Wrong 2FA code entered',
  recovery_code_used: 'Recovery code used',
  password_changed: 'Password changed',
  refresh_token_reuse: 'Old session token reused: session revoked',
  token_reuse: 'Old session token reused: session revoked',
  refresh_token_reused: 'An old session token was reused: that session was ended',
  role_granted: 'Role granted',
  role_revoked: 'Role removed',
  registered: 'Account created',
};

/** "login_failed" -> "Failed login attempt"; unknown types are made readable. */
export function describeEvent(type: string): string {
  const known = EVENT_WORDS[type] ?? EVENT_WORDS[type.replace(/\./g, '_')];
  if (known) return known;
  const words = type.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const WARN = /fail|reuse|disabled|locked/;

export function SecurityEvents({ version }: { version: number }) {
  const events = useAsync(async () => itemsOf<SecurityEvent>(await api.auth.events()), [version]);
  // The card-with-Refresh shape of the admin cards too; Loaded is the shared part, the button and list are this card's own.
  return (
    <Card
      title="Recent security events"
      id="events"
      actions={
        <Button variant="ghost" small onClick={() => void events.reload()}>
          Refresh
        </Button>
      }
    >
      <Loaded state={events}>
        {!events.data?.length ? (
          <Empty title="No security events yet." />
        ) : (
          <ul className="event-list">
            {events.data.slice(0, 20).map((event, i) => (
              <li key={event.id ?? i} className={WARN.test(event.type) ? 'warn' : ''}>
                <span className="event-type">{describeEvent(event.type)}</span>
                <span className="event-meta">
                  <DateTime value={event.created_at} />
                  {event.ip ? ` · ${event.ip}` : ''}
                  {event.user_agent ? ` · ${shortAgent(event.user_agent)}` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </Card>
  );
}

export function shortAgent(agent: string): string {
  const browser = /(Firefox|Edg|Chrome|Chromium|Safari)\/[\d.]+/.exec(agent)?.[0];
  return browser ?? (agent.length > 40 ? `${agent.slice(0, 40)}…` : agent);
}
