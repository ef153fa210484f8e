import { api } from '../app/services';
import { useAction, useAsync } from '../app/hooks';
import { errorMessage } from '../errors/messages';
import { Button } from '../ui/Button';
import { Empty, FormError, Loaded } from '../ui/feedback';
import { Card } from '../ui/layout';
import { Badge, DateTime } from '../ui/values';
import { shortAgent } from './SecurityEvents';

/** Where I am logged in; end any other session (a lost phone, a shared computer). */
export function SessionsCard({ version }: { version: number }) {
  const sessions = useAsync(() => api.auth.sessions(), [version]);
  const end = useAction(async (ids: string[]) => {
    for (const id of ids) await api.auth.endSession(id);
    await sessions.reload(true);
  });
  const others = (sessions.data?.items ?? []).filter((s) => !s.current);
  return (
    <Card
      title="Active sessions"
      id="sessions"
      actions={
        others.length > 1 ? (
          <Button variant="secondary" small busy={end.busy} onClick={() => void end.run(others.map((s) => s.id))}>
            Log out all others
          </Button>
        ) : undefined
      }
    >
      <Loaded state={sessions}>
        {!sessions.data?.items.length ? (
          <Empty title="No active sessions." />
        ) : (
          <ul className="event-list">
            {sessions.data.items.map((s) => (
              <li key={s.id} className="row-between">
                <div>
                  <span className="event-type">
                    {s.user_agent ? shortAgent(s.user_agent) : 'Unknown device'} {s.current && <Badge tone="success">this browser</Badge>}
                  </span>
                  <span className="event-meta">
                    {s.ip ?? 'unknown address'} · since <DateTime value={s.created_at} />
                    {s.last_refreshed_at && (
                      <>
                        {' '}
                        · active <DateTime value={s.last_refreshed_at} />
                      </>
                    )}
                  </span>
                </div>
                {!s.current && (
                  <Button variant="ghost" small onClick={() => void end.run([s.id])} disabled={end.busy}>
                    Log out
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
      <FormError message={end.error ? errorMessage(end.error) : undefined} />
    </Card>
  );
}
