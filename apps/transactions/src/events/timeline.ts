import { z } from 'zod';
import { userRefSchema } from '../shared/schemas.js';
import type { StoredEvent } from './event-store.js';

export const timelineItemSchema = z.object({
  id: z.string(),
  type: z.string(),
  status: z.string().nullable().describe('the trade status after this event'),
  actor: userRefSchema.nullable().describe('who did it; null for the automatic expiry'),
  note: z.string().nullable().describe('dispute reason or resolution note'),
  outcome: z.string().optional(),
  buyer_amount: z.string().optional(),
  message: z.unknown().optional(),
  feedback: z.unknown().optional(),
  created_at: z.string(),
});

export type TimelineItem = z.infer<typeof timelineItemSchema>;

/** A timeline entry: the event without the full trade snapshot the live streams carry. */
export function timelineItem(event: StoredEvent): TimelineItem {
  const data = event.data;
  const text = (key: string) => (typeof data[key] === 'string' ? data[key] : undefined);
  return {
    id: event.id.toString(),
    type: event.type,
    status: text('status') ?? null,
    actor: event.actor,
    note: text('note') ?? null,
    ...(text('outcome') ? { outcome: text('outcome') } : {}),
    ...(text('buyer_amount') ? { buyer_amount: text('buyer_amount') } : {}),
    ...(data.message ? { message: data.message } : {}),
    ...(data.feedback ? { feedback: data.feedback } : {}),
    created_at: event.createdAt,
  };
}
