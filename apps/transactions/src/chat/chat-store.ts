import { randomUUID } from 'node:crypto';
import { iso, one, type Queryable } from '@pupero/db';
import { z } from 'zod';
import { userRefSchema } from '../shared/schemas.js';

export const MESSAGE_MAX_CHARS = 2000;

export const messageSchema = z.object({
  id: z.string(),
  author: userRefSchema,
  author_role: z.enum(['buyer', 'seller', 'moderator']),
  body: z.string().describe('plain text, exactly as written (never HTML)'),
  created_at: z.string(),
});
export type MessageView = z.infer<typeof messageSchema>;

interface MessageRow {
  id: string;
  seq: bigint;
  trade_id: string;
  author_id: string;
  author_username: string;
  body: string;
  created_at: Date;
}

export function messageView(row: MessageRow, trade: { buyer_id: string; seller_id: string }): MessageView & { seq: bigint } {
  return {
    id: row.id,
    seq: row.seq,
    author: { id: row.author_id, username: row.author_username },
    author_role: row.author_id === trade.buyer_id ? 'buyer' : row.author_id === trade.seller_id ? 'seller' : 'moderator',
    body: row.body,
    created_at: iso(row.created_at),
  };
}

export async function insertMessage(
  tx: Queryable,
  input: { tradeId: string; author: { id: string; username: string }; body: string },
): Promise<MessageRow> {
  return one<MessageRow>(
    tx,
    `INSERT INTO transactions.messages (id, trade_id, author_id, author_username, body) VALUES ($1, $2, $3, $4, $5)
     RETURNING id, seq, trade_id, author_id, author_username, body, created_at`,
    [randomUUID(), input.tradeId, input.author.id, input.author.username, input.body],
  );
}

/** A trade's messages in the order they were written, after a cursor (seq). */
export async function listMessages(db: Queryable, tradeId: string, options: { afterSeq?: bigint; limit: number }): Promise<MessageRow[]> {
  const { rows } = await db.query<MessageRow>(
    `SELECT id, seq, trade_id, author_id, author_username, body, created_at FROM transactions.messages
      WHERE trade_id = $1 AND ($2::bigint IS NULL OR seq > $2::bigint) ORDER BY seq LIMIT $3`,
    [tradeId, options.afterSeq ?? null, options.limit],
  );
  return rows;
}
