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
