import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { type App, TAGS } from '@pupero/http';
import { verifyLedger } from './verify.js';
import { authed, errorSchema } from '../shared/errors.js';

export function registerLedgerAdminRoutes(app: App, ctx: TransactionsContext): void {
  const { db, guards } = ctx;
  app.get(
    '/admin/ledger/verify',
    authed(guards.role('moderator', 'admin'), {
      tags: [TAGS.admin],
      summary: "Prove the ledger's invariants over the whole ledger (moderator or admin)",
      description:
        'Every entry sums to zero; every balance equals the sum of its postings; no user balance is negative; held balances equal the ' +
        'open trade and withdrawal holds; idempotency keys are unique; every trade has the entries its status implies.',
      response: {
        200: z.object({
          ok: z.boolean(),
          checked_entries: z.number().int(),
          checked_postings: z.number().int(),
          checked_accounts: z.number().int(),
          checked_trades: z.number().int(),
          problems: z.array(z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
        }),
        403: errorSchema,
      },
    }),
    async () => verifyLedger(db),
  );
}
