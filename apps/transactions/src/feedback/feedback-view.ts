import { z } from 'zod';
import { iso } from '@pupero/db';
import { userRefSchema } from '../shared/schemas.js';

export const RATINGS = ['positive', 'neutral', 'negative'] as const;
export type Rating = (typeof RATINGS)[number];

export const feedbackItemSchema = z.object({
  trade_id: z.string(),
  author: userRefSchema,
  subject: userRefSchema,
  rating: z.enum(RATINGS),
  comment: z.string().nullable(),
  created_at: z.string(),
});
export type FeedbackItem = z.infer<typeof feedbackItemSchema>;

export interface FeedbackRow {
  trade_id: string;
  author_id: string;
  author_username: string;
  subject_id: string;
  subject_username: string;
  rating: Rating;
  comment: string | null;
  created_at: Date;
}

export function feedbackView(row: FeedbackRow): FeedbackItem {
  return {
    trade_id: row.trade_id,
    author: { id: row.author_id, username: row.author_username },
    subject: { id: row.subject_id, username: row.subject_username },
    rating: row.rating,
    comment: row.comment,
    created_at: iso(row.created_at),
  };
}
