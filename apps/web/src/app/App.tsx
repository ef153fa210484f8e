import { useEffect, useRef, type ReactNode } from 'react';
import { LoginPage } from '../auth/LoginPage';
import { RegisterPage } from '../auth/RegisterPage';
import { SecurityPage } from '../account/SecurityPage';
import { MarketPage } from '../offers/MarketPage';
import { OfferDetailPage } from '../offers/OfferDetailPage';
import { OfferFormPage } from '../offers/OfferFormPage';
import { MyOffersPage } from '../offers/MyOffersPage';
import { MyTradesPage } from '../trades/MyTradesPage';
import { TradeRoomPage } from '../trades/TradeRoomPage';
import { WalletPage } from '../wallet/WalletPage';
import { DisputesPage } from '../admin/DisputesPage';
import { AdminPage } from '../admin/AdminPage';
import { useSession } from '../session/SessionContext';
import { Layout } from './Layout';
import { Link, matchPath, Redirect, useRouter } from './router';
import { Loading } from '../ui/feedback';

type Access = 'public' | 'guest' | 'user' | 'moderator' | 'admin';

interface Route {
  path: string;
  access: Access;
  render(params: Record<string, string>): ReactNode;
}

// Order matters: static segments before parameters.
const ROUTES: Route[] = [
  { path: '/', access: 'public', render: () => <MarketPage /> },
  { path: '/login', access: 'guest', render: () => <LoginPage /> },
  { path: '/register', access: 'guest', render: () => <RegisterPage /> },
  { path: '/offers/new', access: 'user', render: () => <OfferFormPage /> },
  { path: '/offers/:id/edit', access: 'user', render: (p) => <OfferFormPage offerId={p.id ?? ''} /> },
  { path: '/offers/:id', access: 'public', render: (p) => <OfferDetailPage offerId={p.id ?? ''} /> },
  { path: '/my/offers', access: 'user', render: () => <MyOffersPage /> },
  { path: '/trades', access: 'user', render: () => <MyTradesPage /> },
  { path: '/trades/:id', access: 'user', render: (p) => <TradeRoomPage tradeId={p.id ?? ''} /> },
  { path: '/wallet', access: 'user', render: () => <WalletPage /> },
  { path: '/account', access: 'user', render: () => <SecurityPage /> },
  { path: '/moderation', access: 'moderator', render: () => <DisputesPage /> },
  { path: '/admin', access: 'admin', render: () => <AdminPage /> },
];

function NotFound() {
  return (
    <div className="card narrow">
      <h1 tabIndex={-1} className="page-title">
        Page not found
      </h1>
      <p>
        There is nothing at this address. <Link to="/">Go to the market</Link>.
      </p>
    </div>
  );
}

function Forbidden() {
  return (
    <div className="card narrow">
      <h1 tabIndex={-1} className="page-title">
        Not allowed
      </h1>
      <p>Your account does not have access to this page.</p>
    </div>
  );
}

export function App() {
  const { location } = useRouter();
  const { session, me, isModerator, isAdmin } = useSession();
  const first = useRef(true);

  // Move focus to the new page's heading so screen readers announce the navigation.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const timer = window.setTimeout(() => {
      const main = document.getElementById('main');
      const active = document.activeElement;
      // A page that focused its own first field (autoFocus) keeps it.
      if (main && active && active !== document.body && main.contains(active)) return;
      const heading = document.querySelector<HTMLElement>('main h1');
      (heading ?? main)?.focus({ preventScroll: true });
    }, 0);
    return () => window.clearTimeout(timer);
  }, [location.path]);

  let content: ReactNode = <NotFound />;
  for (const route of ROUTES) {
    const params = matchPath(route.path, location.path);
    if (!params) continue;
    const here = location.path + location.search;
    if (route.access === 'guest' && session) {
      const next = new URLSearchParams(location.search).get('next');
      content = <Redirect to={next && next.startsWith('/') && !next.startsWith('//') ? next : '/'} />;
    } else if (route.access !== 'public' && route.access !== 'guest' && !session) {
      content = <Redirect to={`/login?next=${encodeURIComponent(here)}`} />;
    } else if ((route.access === 'moderator' || route.access === 'admin') && !me) {
      content = <Loading />;
    } else if ((route.access === 'moderator' && !isModerator) || (route.access === 'admin' && !isAdmin)) {
      content = <Forbidden />;
    } else {
      content = route.render(params);
    }
    break;
  }
  return <Layout>{content}</Layout>;
}
