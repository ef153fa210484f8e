import type { Queryable } from '@pupero/db';
import type { FeedbackRow, Rating } from './feedback-view.js';

const SELECT = `SELECT f.trade_id, f.author_id, f.author_username, f.subject_id,
         CASE WHEN f.subject_id = t.buyer_id THEN t.buyer_username ELSE t.seller_username END AS subject_username,
         f.rating, f.comment, f.created_at
    FROM transactions.feedback f JOIN transactions.trades t ON t.id = f.trade_id`;

/** Inserts the author's feedback once; undefined when they already left it. */
export async function insertFeedback(
  tx: Queryable,
  input: { tradeId: string; author: { id: string; username: string }; subjectId: string; rating: Rating; comment: string | null },
): Promise<FeedbackRow | undefined> {
  const { rows } = await tx.query<{ trade_id: string }>(
    `INSERT INTO transactions.feedback (trade_id, author_id, author_username, subject_id, rating, comment)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (trade_id, author_id) DO NOTHING RETURNING trade_id`,
    [input.tradeId, input.author.id, input.author.username, input.subjectId, input.rating, input.comment],
  );
  if (!rows[0]) return undefined;
  const { rows: stored } = await tx.query<FeedbackRow>(`${SELECT} WHERE f.trade_id = $1 AND f.author_id = $2`, [
    input.tradeId,
    input.author.id,
  ]);
  return stored[0];
}

export async function tradeFeedback(db: Queryable, tradeId: string): Promise<FeedbackRow[]> {
  const { rows } = await db.query<FeedbackRow>(`${SELECT} WHERE f.trade_id = $1 ORDER BY f.created_at`, [tradeId]);
  return rows;
}

function arrayLiteral(ids: string[]): string {
  return `{${ids.map((id) => `"${id.replace(/["\\]/g, '')}"`).join(',')}}`;
}

export interface TradeTotalsRow {
  user_id: string;
  n: bigint;
  volume: string;
}

export interface FeedbackCountRow {
  subject_id: string;
  rating: Rating;
  n: bigint;
}

/** Completed trades per user (as buyer or seller) and the XMR that reached buyers in them. */
export async function completedTradeTotals(db: Queryable, userIds: string[]): Promise<TradeTotalsRow[]> {
  const { rows } = await db.query<TradeTotalsRow>(
    `SELECT user_id, COUNT(*) AS n, COALESCE(SUM(received), 0)::text AS volume FROM (
        SELECT buyer_id AS user_id, buyer_received AS received FROM transactions.trades WHERE status = 'completed' AND buyer_id = ANY($1::text[])
        UNION ALL
        SELECT seller_id, buyer_received FROM transactions.trades WHERE status = 'completed' AND seller_id = ANY($1::text[])
      ) parts GROUP BY user_id`,
    [arrayLiteral(userIds)],
  );
  return rows;
}

/** Feedback received per user and rating. */
export async function feedbackCounts(db: Queryable, userIds: string[]): Promise<FeedbackCountRow[]> {
  const { rows } = await db.query<FeedbackCountRow>(
    `SELECT subject_id, rating, COUNT(*) AS n FROM transactions.feedback WHERE subject_id = ANY($1::text[]) GROUP BY subject_id, rating`,
    [arrayLiteral(userIds)],
  );
  return rows;
}
