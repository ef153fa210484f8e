import { z } from 'zod';
import { ConfigError, env, loadConfig } from '@pupero/config';
import { parseXmr, XMR_AMOUNT_TEXT, xmrAmountString } from '@pupero/money';

export const MONERO_MODES = ['managed', 'external', 'disabled'] as const;
export type MoneroMode = (typeof MONERO_MODES)[number];
export const MONERO_NETWORKS = ['regtest', 'testnet', 'stagenet', 'mainnet'] as const;
export type MoneroNetwork = (typeof MONERO_NETWORKS)[number];
/** Fault injection for the crash tests: the worker SIGKILLs its own process at this point (NODE_ENV=test only). */
export const CRASH_POINTS = ['signing', 'signed', 'relayed', 'broadcast'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/** The wallet manager's own environment variables (documented in .env.example and the README). */
export const walletConfigSchema = z.object({
  MONERO_MODE: z.enum(MONERO_MODES).default('managed'),
  MONERO_NETWORK: z.enum(MONERO_NETWORKS).default('regtest'),
  MONERO_ALLOW_MAINNET: env.bool(false),
  MONERO_DAEMON_URL: env.url().optional(),
  MONERO_WALLET_RPC_URL: env.url().optional(),
  MONERO_WALLET_RPC_USERNAME: z.string().optional(),
  MONERO_WALLET_RPC_PASSWORD: z.string().optional(),
  /** External regtest only: a second wallet-rpc (same login) whose wallet receives mined blocks and pays the dev faucet. */
  MONERO_FAUCET_WALLET_RPC_URL: env.url().optional(),
  HOT_WALLET_NAME: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'a wallet file name (letters, digits, . _ -)')
    .optional(),
  HOT_WALLET_PASSWORD: z.string().default(''),
  /** Budget of the wallet-rpc/monerod calls made while answering one request (kept below the gateway's 30 s upstream timeout). */
  WALLET_RPC_REQUEST_TIMEOUT_MS: env.int(8000, 200, 25_000),
  DEPOSIT_CONFIRMATIONS: env.int(10, 1, 10_000),
  WITHDRAWAL_CONFIRMATIONS: env.int(10, 1, 10_000),
  WITHDRAWAL_FEE: z
    .string()
    .default('auto')
    .refine((v) => v === 'auto' || XMR_AMOUNT_TEXT.test(v), 'must be "auto" or an XMR amount like "0.002"'),
  WITHDRAWAL_BATCH_MAX: env.int(15, 1, 15),
  DEPOSIT_POLL_MS: env.int(2000, 50, 600_000),
  WITHDRAWAL_POLL_MS: env.int(2000, 50, 600_000),
  WITHDRAWAL_MAX_ATTEMPTS: env.int(10, 1, 1000),
  WITHDRAWAL_RETRY_BASE_SECONDS: env.int(10, 0, 86_400),
  WITHDRAWAL_RETRY_MAX_SECONDS: env.int(3600, 0, 7 * 86_400),
  WITHDRAWAL_STUCK_AFTER_SECONDS: env.int(900, 1, 7 * 86_400),
  DEPOSIT_REWIND_BLOCKS: env.int(10, 0, 10_000),
  RECONCILIATION_INTERVAL_SECONDS: env.int(60, 0, 86_400),
  WORKER_LEASE_SECONDS: env.int(15, 1, 3600),
  DEV_AUTO_MINE_SECONDS: env.int(5, 0, 3600),
  DEV_FAUCET_MAX: xmrAmountString.default('1000'),
  DEV_MINE_MAX_BLOCKS: env.int(20, 1, 1000),
  DEV_CALLS_PER_MINUTE: env.int(10, 1, 1_000_000),
  PUPERO_CRASH_AFTER: z.enum(CRASH_POINTS).optional(),
});

export type WalletEnv = z.infer<typeof walletConfigSchema>;

export interface WalletConfig {
  mode: MoneroMode;
  network: MoneroNetwork;
  daemonUrl?: string;
  walletRpcUrl?: string;
  walletRpcLogin?: { username: string; password: string };
  faucetWalletRpcUrl?: string;
  hotWallet: { name?: string; password: string };
  /** Budget (ms) for all wallet-rpc/monerod calls of one request; past it the request answers 503 dependency_unavailable. */
  requestTimeoutMs: number;
  depositConfirmations: number;
  withdrawalConfirmations: number;
  /** 'auto' = quoted from the daemon's fee estimate; otherwise a flat fee in atomic units. */
  withdrawalFee: 'auto' | bigint;
  batchMax: number;
  depositPollMs: number;
  withdrawalPollMs: number;
  /** Failed sign attempts (one withdrawal) or refused relays (one stored transaction) before giving up, with exponential backoff. */
  withdrawalRetry: { maxAttempts: number; baseMs: number; maxMs: number; stuckAfterMs: number };
  rewindBlocks: number;
  reconciliationIntervalMs: number;
  leaseMs: number;
  autoMineMs: number;
  faucetMax: bigint;
  /** Most blocks one /dev/mine call may mine. */
  mineMaxBlocks: number;
  /** /dev/faucet + /dev/mine calls per user and minute. */
  devCallsPerMinute: number;
  crashAfter?: CrashPoint;
}

/** Reads and cross-checks the variables; every problem is named in one ConfigError. */
export function loadWalletConfig(source: Record<string, string | undefined>, nodeEnv: string): WalletConfig {
  const e = loadConfig(walletConfigSchema, source);
  const problems: string[] = [];
  if (e.MONERO_NETWORK === 'mainnet' && !e.MONERO_ALLOW_MAINNET && e.MONERO_MODE !== 'disabled') {
    problems.push('MONERO_NETWORK: mainnet moves REAL money; set MONERO_ALLOW_MAINNET=true to confirm (got "mainnet")');
  }
  if (e.MONERO_MODE === 'managed' && e.MONERO_NETWORK === 'mainnet') {
    problems.push(
      'MONERO_MODE: managed runs a regtest chain or a testnet/stagenet node; for mainnet run monerod + monero-wallet-rpc yourself and set MONERO_MODE=external (got "managed")',
    );
  }
  if (e.MONERO_MODE === 'external') {
    if (!e.MONERO_DAEMON_URL)
      problems.push('MONERO_DAEMON_URL: MONERO_MODE=external needs the monerod RPC URL, e.g. http://127.0.0.1:28081 (not set)');
    if (!e.MONERO_WALLET_RPC_URL)
      problems.push('MONERO_WALLET_RPC_URL: MONERO_MODE=external needs the hot wallet-rpc URL, e.g. http://127.0.0.1:28083 (not set)');
  }
  if (e.MONERO_FAUCET_WALLET_RPC_URL && !(e.MONERO_MODE === 'external' && e.MONERO_NETWORK === 'regtest')) {
    problems.push(
      'MONERO_FAUCET_WALLET_RPC_URL: a faucet wallet exists only on an external regtest chain (MONERO_MODE=external, MONERO_NETWORK=regtest)',
    );
  }
  if (Boolean(e.MONERO_WALLET_RPC_USERNAME) !== Boolean(e.MONERO_WALLET_RPC_PASSWORD)) {
    problems.push('MONERO_WALLET_RPC_USERNAME: set both MONERO_WALLET_RPC_USERNAME and MONERO_WALLET_RPC_PASSWORD, or neither');
  }
  if (e.PUPERO_CRASH_AFTER && nodeEnv !== 'test') {
    problems.push(`PUPERO_CRASH_AFTER: fault injection is only honoured with NODE_ENV=test (got "${e.PUPERO_CRASH_AFTER}")`);
  }
  if (problems.length) throw new ConfigError(problems);
  return {
    mode: e.MONERO_MODE,
    network: e.MONERO_NETWORK,
    daemonUrl: e.MONERO_DAEMON_URL,
    walletRpcUrl: e.MONERO_WALLET_RPC_URL,
    walletRpcLogin:
      e.MONERO_WALLET_RPC_USERNAME && e.MONERO_WALLET_RPC_PASSWORD
        ? { username: e.MONERO_WALLET_RPC_USERNAME, password: e.MONERO_WALLET_RPC_PASSWORD }
        : undefined,
    faucetWalletRpcUrl: e.MONERO_FAUCET_WALLET_RPC_URL,
    hotWallet: { name: e.HOT_WALLET_NAME, password: e.HOT_WALLET_PASSWORD },
    requestTimeoutMs: e.WALLET_RPC_REQUEST_TIMEOUT_MS,
    depositConfirmations: e.DEPOSIT_CONFIRMATIONS,
    withdrawalConfirmations: e.WITHDRAWAL_CONFIRMATIONS,
    withdrawalFee: e.WITHDRAWAL_FEE === 'auto' ? 'auto' : parseXmr(e.WITHDRAWAL_FEE),
    batchMax: e.WITHDRAWAL_BATCH_MAX,
    depositPollMs: e.DEPOSIT_POLL_MS,
    withdrawalPollMs: e.WITHDRAWAL_POLL_MS,
    withdrawalRetry: {
      maxAttempts: e.WITHDRAWAL_MAX_ATTEMPTS,
      baseMs: e.WITHDRAWAL_RETRY_BASE_SECONDS * 1000,
      maxMs: Math.max(e.WITHDRAWAL_RETRY_MAX_SECONDS, e.WITHDRAWAL_RETRY_BASE_SECONDS) * 1000,
      stuckAfterMs: e.WITHDRAWAL_STUCK_AFTER_SECONDS * 1000,
    },
    rewindBlocks: e.DEPOSIT_REWIND_BLOCKS,
    reconciliationIntervalMs: e.RECONCILIATION_INTERVAL_SECONDS * 1000,
    leaseMs: e.WORKER_LEASE_SECONDS * 1000,
    autoMineMs: e.DEV_AUTO_MINE_SECONDS * 1000,
    faucetMax: parseXmr(e.DEV_FAUCET_MAX),
    mineMaxBlocks: e.DEV_MINE_MAX_BLOCKS,
    devCallsPerMinute: e.DEV_CALLS_PER_MINUTE,
    crashAfter: nodeEnv === 'test' ? e.PUPERO_CRASH_AFTER : undefined,
  };
}
