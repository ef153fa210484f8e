import type { ServiceUrls } from '@pupero/config';

export type UpstreamName = Exclude<keyof ServiceUrls, 'gateway'>;

export const UPSTREAM_LABELS: Record<UpstreamName, string> = {
  login: 'login',
  offers: 'offers',
  transactions: 'transactions',
  walletManager: 'wallet manager',
};

/**
 * Public prefixes of ../shared/API.md and the service that owns each. The most specific prefix
 * wins (static routes beat wildcards in the router). /internal is never routed.
 */
export const PUBLIC_ROUTES: ReadonlyArray<{ prefix: string; upstream: UpstreamName }> = [
  { prefix: '/auth', upstream: 'login' },
  { prefix: '/admin/users', upstream: 'login' },
  { prefix: '/offers', upstream: 'offers' },
  { prefix: '/price', upstream: 'offers' },
  { prefix: '/admin/prices', upstream: 'offers' },
  { prefix: '/trades', upstream: 'transactions' },
  { prefix: '/balance', upstream: 'transactions' },
  { prefix: '/users', upstream: 'transactions' },
  { prefix: '/events', upstream: 'transactions' },
  { prefix: '/admin/disputes', upstream: 'transactions' },
  { prefix: '/admin/trades', upstream: 'transactions' },
  { prefix: '/admin/ledger', upstream: 'transactions' },
  { prefix: '/wallet', upstream: 'walletManager' },
  { prefix: '/dev', upstream: 'walletManager' },
  { prefix: '/admin/reconciliation', upstream: 'walletManager' },
  { prefix: '/admin/wallet', upstream: 'walletManager' },
];

export function isPublicPath(path: string): boolean {
  return PUBLIC_ROUTES.some(({ prefix }) => path === prefix || path.startsWith(`${prefix}/`));
}
