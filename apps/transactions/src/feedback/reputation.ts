import type { Queryable } from '@pupero/db';
import { z } from 'zod';
import { formatXmr } from '@pupero/money';

export const reputationSchema = z.object({
  completed_trades: z.number().int(),
  volume: z.string().describe('XMR that reached buyers in completed trades the user took part in'),
  feedback: z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int() }),
});
export type Reputation = z.infer<typeof reputationSchema>;

function arrayLiteral(ids: string[]): string {
  return `{${ids.map((id) => `"${id.replace(/["\\]/g, '')}"`).join(',')}}`;
}

/**
 * Reputation summaries for a batch of users (every id gets one, zero for strangers): completed
 * trades as buyer or seller, the XMR volume that reached buyers in them, and feedback received.
 */
export async function reputationOf(db: Queryable, userIds: string[]): Promise<Map<string, Reputation>> {
  const ids = [...new Set(userIds)];
  const result = new Map<string, Reputation>(
    ids.map((id) => [id, { completed_trades: 0, volume: '0', feedback: { positive: 0, neutral: 0, negative: 0 } }]),
  );
  if (ids.length === 0) return result;
  const list = arrayLiteral(ids);
  const { rows: trades } = await db.query<{ user_id: string; n: bigint; volume: string }>(
    `SELECT user_id, COUNT(*) AS n, COALESCE(SUM(received), 0)::text AS volume FROM (
        SELECT buyer_id AS user_id, buyer_received AS received FROM transactions.trades WHERE status = 'completed' AND buyer_id = ANY($1::text[])
        UNION ALL
        SELECT seller_id, buyer_received FROM transactions.trades WHERE status = 'completed' AND seller_id = ANY($1::text[])
      ) parts GROUP BY user_id`,
    [list],
  );
  for (const row of trades) {
    const r = result.get(row.user_id)!;
    r.completed_trades = Number(row.n);
    r.volume = formatXmr(BigInt(row.volume));
  }
  const { rows: feedback } = await db.query<{ subject_id: string; rating: 'positive' | 'neutral' | 'negative'; n: bigint }>(
    `SELECT subject_id, rating, COUNT(*) AS n FROM transactions.feedback WHERE subject_id = ANY($1::text[]) GROUP BY subject_id, rating`,
    [list],
  );
  for (const row of feedback) result.get(row.subject_id)!.feedback[row.rating] = Number(row.n);
  return result;
}
