import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { CommonConfig } from '@pupero/config';

/** How long and how much a client may take; every Pupero listener uses them (HTTP_* settings). */
export type HttpLimits = CommonConfig['http'];

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  idleTimeoutMs: 120_000,
  maxUrlBytes: 8192,
};

/** A complete HTTP/1.1 response in the error shape, for places where no Fastify reply exists. */
export function rawErrorResponse(status: number, code: string, message: string): string {
  const body = JSON.stringify({ error: { code, message } });
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/** What Node's parser reports before a request reaches Fastify, mapped to the error model. */
function clientErrorAnswer(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request_timeout', 'The request was not received in time; send it again, faster.'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'The request headers (with the request line) are too large.'];
    default:
      return [400, 'bad_request', 'The request is not valid HTTP.'];
  }
}

/**
 * Fastify's clientErrorHandler: parser errors and timeouts answered in the error shape (Fastify's
 * own body is {error,message,statusCode}), unless a response is already on its way.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const [status, code, message] = clientErrorAnswer(error.code);
    this.log.debug({ err: { code: error.code, message: error.message }, status }, 'client error');
    socket.write(rawErrorResponse(status, code, message));
  }
  socket.destroy();
}

/** Fastify options that apply the limits to the Node server it creates. */
export function serverLimitOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    clientErrorHandler,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      // Node checks both timeouts only this often (30 s by default): a slow client would get
      // up to 30 s more than the setting says.
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
  };
}

/** 414 for request targets over the limit, before routing does anything with them. */
export function installUrlLimit(app: FastifyInstance, maxUrlBytes: number): void {
  app.addHook('onRequest', async (request, reply) => {
    if (Buffer.byteLength(request.raw.url ?? '') > maxUrlBytes) {
      return reply
        .status(414)
        .send({ error: { code: 'uri_too_long', message: `The request URL is too long (at most ${maxUrlBytes} bytes).` } });
    }
  });
}

const overCap = new WeakSet<IncomingMessage['socket']>();

/**
 * At most `max` open connections per client socket address. A connection over the cap is answered
 * 429 too_many_connections (with Connection: close) to its first request and closed; one that
 * sends nothing is closed after a second instead of holding a slot for the headers timeout.
 */
export function installConnectionCap(app: FastifyInstance, server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
    if (count > max) {
      overCap.add(socket);
      setTimeout(() => socket.destroy(), 1000).unref();
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!overCap.has(request.raw.socket)) return;
    reply.header('connection', 'close').header('retry-after', '1');
    return reply.status(429).send({
      error: {
        code: 'too_many_connections',
        message: `Too many open connections from your address (at most ${max}); reuse one or retry shortly.`,
      },
    });
  });
}
