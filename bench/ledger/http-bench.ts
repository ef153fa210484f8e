import { randomBytes } from 'node:crypto';
import { formatXmr, xmr } from '@pupero/money';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { runPhase, seededRandom, summarise, type PhaseResult, type Step } from './measure.js';
import type { BenchSettings } from './store-bench.js';
import { offerBody } from '@pupero/offers/testing/fixtures';

export interface HttpRun {
  db: 'pglite' | 'postgres';
  phases: Array<{ op: 'deposit' | 'transfer'; concurrency: number; result: PhaseResult }>;
  verifyOk: boolean;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`HTTP ${status} ${code}`);
  }
}

/**
 * The same money moves end to end: real login, offers and transactions services behind the real
 * gateway (startTestStack, loopback only). A transfer is POST /trades (buyer takes the seller's
 * sell offer: the Transactions API fetches the offer from the Offers API and holds the seller's
 * XMR), POST /trades/{id}/paid (buyer) and POST /trades/{id}/release (seller), through the
 * gateway with bearer tokens. Deposits are the wallet manager's internal call
 * (POST /internal/ledger/deposits with the service token), straight at the Transactions API.
 * The client runs in this process, beside the services.
 */
export async function benchHttp(kind: 'pglite' | 'postgres', settings: BenchSettings, emit: (line: object) => void): Promise<HttpRun> {
  process.env.PUPERO_TEST_DB = kind;
  const stack: TestStack = await startTestStack({
    services: ['login', 'offers', 'transactions'],
    // No cap on a taker's open trades: the benchmark keeps many in flight per user on purpose.
    env: {
      PLATFORM_FEE_PERCENT: settings.feePercent,
      RATE_LIMIT_PER_MINUTE: '100000000',
      OFFERS_TIMEOUT_MS: '30000',
      MAX_OPEN_TRADES_PER_TAKER: '0',
    },
  });
  try {
    const call = async (method: string, path: string, token: string) => {
      const res = await stack.request(method, path, undefined, { token });
      if (res.status !== 200 && res.status !== 201) throw new HttpError(res.status, res.body?.error?.code ?? 'unknown');
      return res.body;
    };
    const internalDeposit = async (userId: string, amount: string) => {
      const response = await fetch(`${stack.common.urls.transactions}/internal/ledger/deposits`, {
        method: 'POST',
        headers: { 'x-service-token': stack.common.serviceToken, 'content-type': 'application/json' },
        body: JSON.stringify({ user_id: userId, txid: randomBytes(32).toString('hex'), output_key: '0', amount }),
      });
      const body = (await response.json()) as { created?: boolean; error?: { code: string } };
      if (response.status !== 200 || body.created !== true) throw new HttpError(response.status, body.error?.code ?? 'not_created');
    };

    // Users register through the real login service (argon2: the slow part of the setup).
    const userCount = Math.min(settings.users, 8);
    const users: TestUser[] = [];
    for (let i = 0; i < userCount; i++) users.push(await stack.newUser(`bench${i}`));
    const admin = await stack.grantRole(await stack.newUser('admin'), 'admin');
    const offerIds: string[] = [];
    for (const user of users) {
      await internalDeposit(user.id, '1000');
      const offer = await stack.request(
        'POST',
        '/offers',
        offerBody({ price: '150.00', min_amount: '0.001', max_amount: '100', terms: 'Benchmark offer.', payment_window_minutes: 60 }),
        { token: user.token },
      );
      if (offer.status !== 201) throw new Error(`offer refused: ${offer.status} ${JSON.stringify(offer.body)}`);
      offerIds.push(offer.body.id);
    }

    const random = seededRandom(7);
    const pairs = Array.from({ length: settings.maxOps }, () => {
      const seller = Math.floor(random() * users.length);
      const buyer = (seller + 1 + Math.floor(random() * (users.length - 1))) % users.length;
      return { seller, buyer, amount: formatXmr(xmr('0.01') + BigInt(Math.floor(random() * 500)) * xmr('0.001')) };
    });
    const transfer = async (i: number, step: Step) => {
      const pair = pairs[i % pairs.length];
      if (!pair) throw new Error('no transfer pairs');
      const { amount } = pair;
      // Indices drawn below users.length (see pairs).
      const [seller, buyer] = [users[pair.seller]!, users[pair.buyer]!];
      const offerId = offerIds[pair.seller];
      const trade = await step('hold', async () => {
        const res = await stack.request('POST', '/trades', { offer_id: offerId, amount }, { token: buyer.token });
        if (res.status !== 201) throw new HttpError(res.status, res.body?.error?.code ?? 'unknown');
        return res.body as { id: string };
      });
      await step('paid', () => call('POST', `/trades/${trade.id}/paid`, buyer.token));
      const done = await step('release', () => call('POST', `/trades/${trade.id}/release`, seller.token));
      if (done.status !== 'completed') throw new Error(`trade ended ${done.status}`);
    };
    const deposit = (i: number) => internalDeposit(users[i % users.length]!.id, '0.25'); // i % length is in range;

    await runPhase({ concurrency: 1, maxOps: 100, seconds: 5 }, (i) => deposit(i));
    await runPhase({ concurrency: 1, maxOps: 20, seconds: 5 }, transfer);

    const run: HttpRun = { db: kind, phases: [], verifyOk: false };
    let offset = 20;
    for (const concurrency of settings.concurrencies) {
      for (const op of ['deposit', 'transfer'] as const) {
        const start = offset;
        const result = await runPhase({ concurrency, maxOps: settings.maxOps, seconds: settings.seconds }, (i, step) =>
          op === 'deposit' ? deposit(i) : transfer(start + i, step),
        );
        if (op === 'transfer') offset += result.ops + Object.values(result.errors).reduce((a, b) => a + b, 0);
        run.phases.push({ op, concurrency, result });
        emit({ bench: 'ledger', level: 'http', db: kind, op, concurrency, ...summarise(result) });
      }
    }

    const verify = await stack.request('GET', '/admin/ledger/verify', undefined, { token: admin.token });
    run.verifyOk = verify.status === 200 && verify.body.ok === true;
    emit({
      bench: 'ledger',
      level: 'http',
      db: kind,
      verify_ok: run.verifyOk,
      checked_entries: verify.body?.checked_entries,
      checked_postings: verify.body?.checked_postings,
      checked_trades: verify.body?.checked_trades,
      problems: (verify.body?.problems ?? []).slice(0, 5),
    });
    return run;
  } finally {
    await stack.close();
  }
}
