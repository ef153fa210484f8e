import { useEffect, useState, type ReactNode } from 'react';
import { useSession } from '../session/SessionContext';
import { DevChainBanner } from '../devchain/DevChainBanner';
import { SyncBanner } from '../sync/SyncBanner';
import { Link, useRouter } from './router';
import './app.css';

interface NavItem {
  to: string;
  label: string;
  /** Highlighted when the path starts with one of these. */
  match: string[];
}

export function Layout({ children }: { children: ReactNode }) {
  const { session, isModerator, isAdmin, signOut } = useSession();
  const { location, navigate } = useRouter();
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [location.path]);

  const items: NavItem[] = [
    { to: '/', label: 'Market', match: ['/offers/'] },
    ...(session
      ? [
          { to: '/my/offers', label: 'My offers', match: ['/my/offers', '/offers/new'] },
          { to: '/trades', label: 'My trades', match: ['/trades'] },
          { to: '/wallet', label: 'Wallet', match: ['/wallet'] },
          { to: '/account', label: 'Security', match: ['/account'] },
        ]
      : []),
    ...(isModerator ? [{ to: '/moderation', label: 'Disputes', match: ['/moderation'] }] : []),
    ...(isAdmin ? [{ to: '/admin', label: 'Admin', match: ['/admin'] }] : []),
  ];
  const active = (item: NavItem) =>
    item.to === '/'
      ? location.path === '/' || item.match.some((m) => location.path.startsWith(m) && !location.path.startsWith('/offers/new'))
      : location.path === item.to || item.match.some((m) => location.path.startsWith(m));

  return (
    <div className="app">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/" className="brand" aria-label="Pupero home">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <circle cx="16" cy="16" r="15" fill="#f26822" />
              <path d="M8 21V11l8 7 8-7v10" fill="none" stroke="#fff" strokeWidth="3" strokeLinejoin="round" />
            </svg>
            <span>Pupero</span>
          </Link>
          <button
            type="button"
            className="menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen(!menuOpen)}
          >
            <span aria-hidden="true">☰</span>
            <span className="visually-hidden">Menu</span>
          </button>
          <nav id="main-nav" className={`nav${menuOpen ? ' open' : ''}`} aria-label="Main">
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={active(item) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
            <div className="nav-user">
              {session ? (
                <>
                  <span className="nav-username" title="Logged in as">
                    {session.user.username}
                  </span>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => void signOut().then(() => navigate('/login'))}>
                    Log out
                  </button>
                </>
              ) : (
                <>
                  <Link to="/login" className="btn btn-ghost btn-small">
                    Log in
                  </Link>
                  <Link to="/register" className="btn btn-primary btn-small">
                    Sign up
                  </Link>
                </>
              )}
            </div>
          </nav>
        </div>
      </header>
      <DevChainBanner />
      <SyncBanner />
      <main id="main" className="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="footer">
        <span>Pupero · peer-to-peer Monero trading sandbox</span>
        <span>Amounts in XMR are exact to 12 decimals.</span>
      </footer>
    </div>
  );
}
