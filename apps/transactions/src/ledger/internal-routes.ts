import { z } from 'zod';
import type { TransactionsContext } from '../context.js';
import { requireServiceToken, type App } from '@pupero/http';
import { formatXmr, parseXmr, xmrAmountText } from '@pupero/money';
import { opaqueId } from '../shared/schemas.js';
import { creditDeposit, finaliseWithdrawal, holdWithdrawal, releaseWithdrawal } from './commands.js';
import { liabilities, userBalance, type PostedEntry } from './ledger-store.js';
import { errorSchema } from '../shared/errors.js';

const postedSchema = z.object({ entry_id: z.string(), created: z.boolean() });
const posted = (p: PostedEntry) => ({ entry_id: p.entryId.toString(), created: p.created });
const moneyErrors = { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

/**
 * The ledger calls of docs/internal-api.md, for the wallet manager: service token required,
 * never routed by the gateway, each idempotent (repeat → the first entry, created: false).
 */
export function registerLedgerInternalRoutes(app: App, ctx: TransactionsContext): void {
  const { db, serviceToken } = ctx;
  const onRequest = requireServiceToken(serviceToken);

  app.post(
    '/internal/ledger/deposits',
    {
      schema: {
        body: z.strictObject({ user_id: opaqueId, txid: opaqueId, output_key: opaqueId, amount: xmrAmountText('amount') }),
        response: { 200: postedSchema, ...moneyErrors },
      },
      onRequest,
    },
    async (request) => {
      const { user_id, txid, output_key, amount } = request.body;
      return posted(await creditDeposit(db, { userId: user_id, txid, outputKey: output_key, amount: parseXmr(amount) }));
    },
  );

  app.post(
    '/internal/ledger/withdrawals/hold',
    {
      schema: {
        body: z.strictObject({
          withdrawal_id: opaqueId,
          user_id: opaqueId,
          amount: xmrAmountText('amount'),
          fee: xmrAmountText('fee', { allowZero: true }),
        }),
        response: { 200: postedSchema, ...moneyErrors },
      },
      onRequest,
    },
    async (request) => {
      const { withdrawal_id, user_id, amount, fee } = request.body;
      return posted(
        await holdWithdrawal(db, { withdrawalId: withdrawal_id, userId: user_id, amount: parseXmr(amount), fee: parseXmr(fee) }),
      );
    },
  );

  app.post(
    '/internal/ledger/withdrawals/finalise',
    {
      schema: {
        body: z.strictObject({
          withdrawal_id: opaqueId,
          user_id: opaqueId,
          network_fee: xmrAmountText('network_fee', { allowZero: true }),
        }),
        response: { 200: postedSchema, ...moneyErrors },
      },
      onRequest,
    },
    async (request) => {
      const { withdrawal_id, user_id, network_fee } = request.body;
      return posted(await finaliseWithdrawal(db, { withdrawalId: withdrawal_id, userId: user_id, networkFee: parseXmr(network_fee) }));
    },
  );

  app.post(
    '/internal/ledger/withdrawals/release',
    {
      schema: {
        body: z.strictObject({ withdrawal_id: opaqueId, user_id: opaqueId }),
        response: { 200: postedSchema, ...moneyErrors },
      },
      onRequest,
    },
    async (request) => {
      const { withdrawal_id, user_id } = request.body;
      return posted(await releaseWithdrawal(db, { withdrawalId: withdrawal_id, userId: user_id }));
    },
  );

  app.get(
    '/internal/ledger/liabilities',
    {
      schema: { response: { 200: z.object({ user_available: z.string(), user_held: z.string(), total: z.string() }), 403: errorSchema } },
      onRequest,
    },
    async () => {
      const l = await liabilities(db);
      return {
        user_available: formatXmr(l.userAvailable),
        user_held: formatXmr(l.userHeld),
        total: formatXmr(l.userAvailable + l.userHeld),
      };
    },
  );

  app.get(
    '/internal/ledger/balances/:user_id',
    {
      schema: {
        params: z.object({ user_id: opaqueId }),
        response: { 200: z.object({ user_id: z.string(), available: z.string(), held: z.string() }), 403: errorSchema },
      },
      onRequest,
    },
    async (request) => {
      const b = await userBalance(db, request.params.user_id);
      return { user_id: request.params.user_id, available: formatXmr(b.available), held: formatXmr(b.held) };
    },
  );
}
