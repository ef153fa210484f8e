import type { FastifyReply, FastifyRequest } from 'fastify';
import { appError } from '../shared/errors.js';
import type { EventBus, EventFilter } from './event-bus.js';
import { eventJson, type StoredEvent } from './event-store.js';

/** A client that stops reading is dropped (it reconnects with Last-Event-ID and catches up). */
const MAX_BUFFERED_BYTES = 1_000_000;
const MAX_REMEMBERED_IDS = 2000;

export interface StreamRegistry {
  open: Set<{ userId: string; close: () => void }>;
}

export function createStreamRegistry(): StreamRegistry {
  return { open: new Set() };
}

export function closeAllStreams(registry: StreamRegistry): void {
  for (const stream of [...registry.open]) stream.close();
}

/** The id a reconnecting EventSource sends (header), or one given in the query. */
export function lastEventId(request: FastifyRequest, fromQuery?: string): bigint | undefined {
  const header = request.headers['last-event-id'];
  const given = typeof header === 'string' && header ? header : fromQuery;
  return given && /^\d{1,19}$/.test(given) ? BigInt(given) : undefined;
}

/**
 * Turns the response into a Server-Sent Events stream: subscribes first (so nothing is missed),
 * replays what the client missed, then forwards live events, with a heartbeat comment so proxies
 * keep the connection open. Each event carries its log id, so a reconnect resumes exactly.
 */
export async function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  options: {
    bus: EventBus;
    registry: StreamRegistry;
    userId: string;
    filter: EventFilter;
    maxPerUser: number;
    heartbeatMs: number;
    replay: () => Promise<StoredEvent[]>;
  },
): Promise<void> {
  const expiresAt = tokenExpiry(request);
  const mine = [...options.registry.open].filter((s) => s.userId === options.userId).length;
  if (mine >= options.maxPerUser) {
    throw appError(429, 'too_many_streams', `At most ${options.maxPerUser} event streams may be open at once; close one first.`);
  }
  const res = reply.raw;
  reply.hijack();
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': String(request.id),
  });

  const sent = new Set<bigint>();
  let replaying = true;
  const pending: StoredEvent[] = [];
  let closed = false;

  const write = (text: string) => {
    if (closed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) close();
  };
  const send = (event: StoredEvent) => {
    if (sent.has(event.id)) return;
    sent.add(event.id);
    if (sent.size > MAX_REMEMBERED_IDS) sent.delete(sent.values().next().value!);
    write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(eventJson(event))}\n\n`);
  };

  const unsubscribe = options.bus.subscribe(options.filter, (event) => (replaying ? pending.push(event) : send(event)));
  const heartbeat = setInterval(() => write(`: ping ${Date.now()}\n\n`), options.heartbeatMs);
  heartbeat.unref();
  // A stream lives no longer than the access token that opened it: the client reconnects with a
  // fresh one, so a revoked session stops receiving within one token lifetime.
  const expiry = expiresAt ? setTimeout(() => close(), Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1)) : undefined;
  expiry?.unref();
  const entry = { userId: options.userId, close: () => close() };
  options.registry.open.add(entry);

  function close() {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(expiry);
    options.registry.open.delete(entry);
    res.end();
  }
  res.on('close', close);
  res.on('error', close);

  write('retry: 3000\n\n');
  try {
    for (const event of await options.replay()) send(event);
  } catch (error) {
    request.log.warn({ err: error }, 'event replay failed');
  }
  replaying = false;
  for (const event of pending.splice(0)) send(event);
  // Tells the client the subscription is live (tests and the web app wait for it).
  write(`event: ready\ndata: ${JSON.stringify({ stream: 'tradeId' in options.filter ? 'trade' : 'user' })}\n\n`);
}

/** The `exp` of the (already verified) access token the request carried, in ms. */
export function tokenExpiry(request: Pick<FastifyRequest, 'headers' | 'query'>): number | undefined {
  const header = request.headers.authorization;
  const query = request.query as { access_token?: unknown } | undefined;
  const token =
    typeof header === 'string' && header.startsWith('Bearer ')
      ? header.slice(7)
      : typeof query?.access_token === 'string'
        ? query.access_token
        : undefined;
  const payload = token?.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
