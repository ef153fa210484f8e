import type { PuperoService, ServiceDeps } from '@pupero/http';
import { createLoginService } from '@pupero/login';
import { createOffersService } from '@pupero/offers';
import { createTransactionsService } from '@pupero/transactions';
import { createWalletManagerService } from '@pupero/wallet-manager';

export const BACKEND_SERVICES = ['login', 'offers', 'transactions', 'wallet-manager'] as const;
export type BackendService = (typeof BACKEND_SERVICES)[number];

export const FACTORIES: Record<BackendService, (deps: ServiceDeps) => Promise<PuperoService>> = {
  login: createLoginService,
  offers: createOffersService,
  transactions: createTransactionsService,
  'wallet-manager': createWalletManagerService,
};

export const PORT_KEY = {
  login: 'login',
  offers: 'offers',
  transactions: 'transactions',
  'wallet-manager': 'walletManager',
} as const satisfies Record<BackendService, string>;
