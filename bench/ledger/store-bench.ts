import { randomBytes, randomUUID } from 'node:crypto';
import { migrate, type Db } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { createLogger } from '@pupero/http';
import { formatXmr, xmr } from '@pupero/money';
import { migrations } from '@pupero/transactions/migrations';
import { creditDeposit } from '@pupero/transactions/ledger/commands';
import { verifyLedger, type VerifyReport } from '@pupero/transactions/ledger/verify';
import { EventBus } from '@pupero/transactions/events/event-bus';
import { actOnTrade, startTrade, type TradeContext } from '@pupero/transactions/trades/trade-commands';
import type { OfferSnapshot, OffersClient } from '@pupero/transactions/trades/offers-client';
import { runPhase, seededRandom, summarise, type PhaseResult, type Step } from './measure.js';

export interface BenchSettings {
  concurrencies: number[];
  /** Upper bound of operations per measured phase (BENCH_MAX_OPS). */
  maxOps: number;
  /** Upper bound of seconds per measured phase (BENCH_SECONDS). */
  seconds: number;
  users: number;
  feePercent: string;
}

export interface StoreRun {
  db: 'pglite' | 'postgres';
  phases: Array<{ op: 'deposit' | 'transfer'; concurrency: number; result: PhaseResult }>;
  verify: VerifyReport;
}

/**
 * The ledger without HTTP: the same command functions the routes call (creditDeposit, startTrade,
 * actOnTrade), on a fresh `transactions` schema. A transfer is one trade between two users: the
 * seller's hold (trade start), "paid", and the release that moves the held XMR to the buyer and
 * the fee to the platform: three database transactions. The Offers API lookup a trade start makes
 * is answered in process from a fixed offer per seller, so only the ledger's own work is timed.
 */
export async function benchStore(kind: 'pglite' | 'postgres', settings: BenchSettings, emit: (line: object) => void): Promise<StoreRun> {
  process.env.PUPERO_TEST_DB = kind;
  const db: Db = await createTestDb();
  try {
    await migrate(db, 'transactions', migrations);
    const users = Array.from({ length: settings.users }, (_, i) => ({
      id: randomUUID(),
      username: `bench_${i}`,
      roles: ['user'] as string[],
    }));
    const offers = new Map<string, OfferSnapshot>(
      users.map((u, i) => [
        `offer-${i}`,
        {
          id: `offer-${i}`,
          owner: { id: u.id, username: u.username },
          side: 'sell',
          currency: 'EUR',
          payment_method: 'sepa',
          effective_price: '150.00',
          min_amount: '0.001',
          max_amount: '100',
          terms: '',
          payment_window_minutes: 60,
          status: 'active',
        },
      ]),
    );
    const offersClient: OffersClient = {
      getOffer: async (id) => {
        const offer = offers.get(id);
        if (!offer) throw new Error(`no offer ${id}`);
        return offer;
      },
    };
    // Warnings go to stderr: stdout carries only the JSON result lines.
    const logger = createLogger({ name: 'bench-ledger', level: 'warn', destination: process.stderr });
    // The bench's users have no 2FA: the gate lets every release through without a Login API.
    const twoFactor = { require: async () => {} };
    const ctx: TradeContext = {
      db,
      bus: new EventBus(db, logger),
      offers: offersClient,
      twoFactor,
      feePercent: settings.feePercent,
      now: () => new Date(),
    };

    // Every user starts with 1,000 XMR (not timed), so no transfer can run short of funds.
    for (const user of users)
      await creditDeposit(db, { userId: user.id, txid: randomBytes(32).toString('hex'), outputKey: '0', amount: xmr('1000') });

    const random = seededRandom(42);
    const pairs = Array.from({ length: settings.maxOps }, () => {
      const seller = Math.floor(random() * users.length);
      const buyer = (seller + 1 + Math.floor(random() * (users.length - 1))) % users.length;
      // 0.010 to 0.509 XMR, whole milli-XMR.
      return { seller, buyer, amount: xmr('0.01') + BigInt(Math.floor(random() * 500)) * xmr('0.001') };
    });

    const deposit = (i: number) =>
      creditDeposit(db, {
        userId: users[i % users.length]!.id, // i % length is in range
        txid: randomBytes(32).toString('hex'),
        outputKey: String(i % 4),
        amount: xmr('0.25'),
      }).then((posted) => {
        if (!posted.created) throw new Error('a fresh deposit was not created');
      });
    const transfer = async (i: number, step: Step) => {
      const pair = pairs[i];
      if (!pair) throw new Error(`no transfer pair ${i}`);
      const { seller, amount } = pair;
      const buyer = users[pair.buyer]!; // drawn below users.length (see pairs)
      const { trade } = await step('hold', () => startTrade(ctx, { taker: buyer, offerId: `offer-${seller}`, amount }));
      await step('paid', () => actOnTrade(ctx, { actor: buyer, tradeId: trade.id, action: 'paid' }));
      const done = await step('release', () => actOnTrade(ctx, { actor: users[seller]!, tradeId: trade.id, action: 'release' }));
      if (done.status !== 'completed') throw new Error(`trade ended ${done.status}`);
    };

    // Warm-up (plans, JIT), not reported.
    await runPhase({ concurrency: 1, maxOps: 100, seconds: 5 }, (i) => deposit(i));
    await runPhase({ concurrency: 1, maxOps: 20, seconds: 5 }, transfer);

    const run: StoreRun = { db: kind, phases: [], verify: undefined as unknown as VerifyReport };
    let offset = 20;
    for (const concurrency of settings.concurrencies) {
      for (const op of ['deposit', 'transfer'] as const) {
        const start = offset;
        const result = await runPhase({ concurrency, maxOps: settings.maxOps, seconds: settings.seconds }, (i, step) =>
          op === 'deposit' ? deposit(start + i) : transfer((start + i) % settings.maxOps, step),
        );
        if (op === 'transfer') offset += result.ops + Object.values(result.errors).reduce((a, b) => a + b, 0);
        run.phases.push({ op, concurrency, result });
        emit({ bench: 'ledger', level: 'store', db: kind, op, concurrency, ...summarise(result) });
      }
    }

    run.verify = await verifyLedger(db);
    const { rows } = await db.query<{ income: bigint }>(
      `SELECT balance AS income FROM transactions.accounts WHERE code = 'platform:fee_income'`,
    );
    emit({
      bench: 'ledger',
      level: 'store',
      db: kind,
      verify_ok: run.verify.ok,
      checked_entries: run.verify.checked_entries,
      checked_postings: run.verify.checked_postings,
      checked_trades: run.verify.checked_trades,
      fee_income: formatXmr(rows[0]?.income ?? 0n),
      problems: run.verify.problems.slice(0, 5),
    });
    return run;
  } finally {
    await db.close();
  }
}
