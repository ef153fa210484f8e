import { z } from 'zod';
import type { App } from '@pupero/http';
import type { Db } from '@pupero/db';
import type { AuthGuards } from '@pupero/auth';
import { bearer, errors } from '../shared/schemas.js';
import { verifyLedger } from './verify.js';

export function registerLedgerAdminRoutes(app: App, db: Db, guards: AuthGuards): void {
  app.get(
    '/admin/ledger/verify',
    {
      schema: {
        tags: ['admin'],
        summary: "Prove the ledger's invariants over the whole ledger (moderator or admin)",
        description:
          'Every entry sums to zero; every balance equals the sum of its postings; no user balance is negative; held balances equal the ' +
          'open trade and withdrawal holds; idempotency keys are unique; every trade has the entries its status implies.',
        security: bearer,
        response: {
          200: z.object({
            ok: z.boolean(),
            checked_entries: z.number().int(),
            checked_postings: z.number().int(),
            checked_accounts: z.number().int(),
            checked_trades: z.number().int(),
            problems: z.array(z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() })),
          }),
          ...errors(401, 403),
        },
      },
      onRequest: guards.role('moderator', 'admin'),
    },
    async () => verifyLedger(db),
  );
}
