import type { Logger } from 'pino';
import type { Db } from '@pupero/db';
import { eventsAfter, latestEventId, type StoredEvent } from './event-store.js';

export type EventFilter = { userId: string } | { tradeId: string };
export type Listener = (event: StoredEvent) => void;

/** Re-read this many ids below the highest seen: a transaction may commit after a later id did. */
const LOOKBACK = 200n;
const POLL_BATCH = 500;

/**
 * Delivers committed events to the streams open in this process. Two inputs, deduplicated by id:
 * - deliver(): called right after a command commits here (no delay);
 * - a poller reading the event log, which brings events written by other replicas (PostgreSQL
 *   with several replicas, or PGlite shared over its socket) within EVENTS_POLL_MS.
 */
export class EventBus {
  private readonly listeners = new Set<{ filter: EventFilter; listener: Listener }>();
  private readonly seen = new Set<bigint>();
  /** The poller reads ids above this; it trails the highest id read by LOOKBACK. */
  private cursor = 0n;
  private highestSeen = 0n;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
  ) {}

  subscribe(filter: EventFilter, listener: Listener): () => void {
    const entry = { filter, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  deliver(events: StoredEvent[]): void {
    for (const event of events) {
      if (this.seen.has(event.id)) continue;
      this.seen.add(event.id);
      if (event.id > this.highestSeen) this.highestSeen = event.id;
      for (const { filter, listener } of this.listeners) {
        if (matches(filter, event)) {
          try {
            listener(event);
          } catch (error) {
            this.logger.warn({ err: error }, 'event listener failed');
          }
        }
      }
    }
    this.prune();
  }

  async start(pollMs: number): Promise<void> {
    const latest = await latestEventId(this.db);
    this.cursor = latest > LOOKBACK ? latest - LOOKBACK : 0n;
    // Events from before this start are history (replayed on request), not news.
    for (const event of await eventsAfter(this.db, this.cursor, POLL_BATCH)) this.seen.add(event.id);
    this.highestSeen = latest;
    if (pollMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.polling) return;
      this.polling = this.poll()
        .catch((error) => this.logger.warn({ err: error }, 'event poll failed'))
        .finally(() => (this.polling = undefined));
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.polling;
    this.listeners.clear();
  }

  /** One read of the event log (exposed for tests). */
  async poll(): Promise<void> {
    for (;;) {
      const events = await eventsAfter(this.db, this.cursor, POLL_BATCH);
      const fresh = events.filter((e) => !this.seen.has(e.id));
      this.deliver(fresh);
      const highest = events.at(-1)?.id ?? this.cursor;
      const next = highest > LOOKBACK ? highest - LOOKBACK : 0n;
      if (next > this.cursor) this.cursor = next;
      if (events.length < POLL_BATCH) return;
    }
  }

  /** Keeps the dedupe set small: ids the poller will not read again are forgotten. */
  private prune(): void {
    if (this.seen.size < 5000) return;
    const keepAbove = this.cursor > this.highestSeen - 2000n ? this.cursor : this.highestSeen - 2000n;
    for (const id of this.seen) if (id <= keepAbove) this.seen.delete(id);
  }
}

function matches(filter: EventFilter, event: StoredEvent): boolean {
  if ('tradeId' in filter) return event.tradeId === filter.tradeId;
  return event.userIds.includes(filter.userId);
}
