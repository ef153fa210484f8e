import { useState } from 'react';
import { useTitle } from '../app/hooks';
import { useSession } from '../session/SessionContext';
import { Loading } from '../ui/feedback';
import { Facts, PageHeader } from '../ui/layout';
import { DateTime } from '../ui/values';
import { PasswordSection } from './PasswordSection';
import { SecurityEvents } from './SecurityEvents';
import { SessionsCard } from './SessionsCard';
import { TwoFactorSection } from './TwoFactorSection';
import './account.css';

export function SecurityPage() {
  useTitle('Account security');
  const { me } = useSession();
  const [version, setVersion] = useState(0);
  if (!me) return <Loading />;
  return (
    <>
      <PageHeader title="Account security" subtitle="Two-factor authentication, password and recent activity." />
      <div className="grid-2">
        <div className="stack">
          <section className="card" aria-label="Account">
            <Facts
              items={[
                ['Username', me.username],
                ['Roles', me.roles.join(', ') || 'user'],
                ['Member since', <DateTime value={me.created_at} />],
              ]}
            />
          </section>
          <TwoFactorSection />
          <PasswordSection onChanged={() => setVersion((v) => v + 1)} />
        </div>
        <div className="stack">
          <SecurityEvents version={version * 2 + (me.two_factor_enabled ? 1 : 0)} />
          <SessionsCard version={version} />
        </div>
      </div>
    </>
  );
}
