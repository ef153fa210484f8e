import type { Queryable } from '@pupero/db';
import { z } from 'zod';
import { formatXmr } from '@pupero/money';
import { completedTradeTotals, feedbackCounts } from './feedback-store.js';

export const reputationSchema = z.object({
  completed_trades: z.number().int(),
  volume: z.string().describe('XMR that reached buyers in completed trades the user took part in'),
  feedback: z.object({ positive: z.number().int(), neutral: z.number().int(), negative: z.number().int() }),
});
export type Reputation = z.infer<typeof reputationSchema>;

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
  for (const row of await completedTradeTotals(db, ids)) {
    const r = result.get(row.user_id)!;
    r.completed_trades = Number(row.n);
    r.volume = formatXmr(BigInt(row.volume));
  }
  for (const row of await feedbackCounts(db, ids)) result.get(row.subject_id)!.feedback[row.rating] = Number(row.n);
  return result;
}
