import { Readable } from 'node:stream';
import proxy from '@fastify/http-proxy';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '@pupero/http';
import { SERVICE_TOKEN_HEADER, serviceUnavailable } from '@pupero/http';
import { appError } from '../errors.js';
import { PUBLIC_ROUTES, UPSTREAM_LABELS, type UpstreamName } from './routes.js';
import type { UpstreamPool } from './upstream-pool.js';

/** Headers a client must never be able to hand to a service. */
const STRIPPED = [SERVICE_TOKEN_HEADER, 'x-forwarded-for', 'x-real-ip', 'forwarded'];

const answered = new WeakSet<FastifyReply>();
/** The replica each proxied request went to (to take it out of its pool when it fails). */
const chosen = new WeakMap<FastifyRequest, string>();

/** A request body read whole at the gateway, handed on as a stream so it is forwarded byte for byte. */
class BufferedBody extends Readable {
  constructor(readonly bytes: Buffer) {
    super();
    this.push(bytes);
    this.push(null);
  }
  override _read(): void {}
}

/**
 * Reads every proxied body whole, up to the body limit, before anything goes upstream: an
 * oversized one (declared or, for chunked bodies, counted while reading) is answered 413
 * payload_too_large by the gateway and the service never sees the request.
 */
function bufferBodies(scope: FastifyInstance): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, new BufferedBody(body as Buffer)));
}

/** The service did not answer within the gateway's upstream timeout (it may still finish the request). */
export const upstreamTimeout = (service: string, timeoutMs: number) =>
  appError(
    504,
    'upstream_timeout',
    `The ${service} service did not answer within ${timeoutMs / 1000} s; check the result before repeating a request that changes something.`,
    { service, timeout_ms: timeoutMs },
    { 'retry-after': '2' },
  );

export async function registerProxies(app: App, pools: Record<UpstreamName, UpstreamPool>, timeoutMs = 30_000): Promise<void> {
  await app.register(async (scope) => {
    bufferBodies(scope);
    for (const { prefix, upstream } of PUBLIC_ROUTES) await registerProxy(scope, prefix, pools[upstream], upstream, timeoutMs);
  });
}

async function registerProxy(
  scope: FastifyInstance,
  prefix: string,
  pool: UpstreamPool,
  upstream: UpstreamName,
  timeoutMs: number,
): Promise<void> {
  await scope.register(proxy, {
    // Picked per request from the service's replicas (upstream-pool.ts).
    upstream: '',
    prefix,
    rewritePrefix: prefix,
    // Bodies are read by bufferBodies, not streamed through as they arrive.
    proxyPayloads: false,
    // An idle upstream socket is dropped by the gateway after 2 s, well before the service's own
    // keep-alive timeout (5 s): otherwise a request sent on a socket the service is just closing
    // fails with "Connection Reset" (502), seen under a 500-connection flood.
    http: { requestOptions: { timeout: timeoutMs }, agentOptions: { timeout: 2000 } },
    replyOptions: {
      // reply-from by default repeats a GET that got 503 + Retry-After (up to 10 times): a service
      // answering "dependency down, retry in 2 s" then held the client until the upstream timeout.
      // The 503 goes to the client at once; the client decides when to retry.
      retryDelay: () => null,
      getUpstream: (request: FastifyRequest) => {
        const url = pool.next();
        chosen.set(request, url);
        return url;
      },
      rewriteRequestHeaders: (request: FastifyRequest, headers: Record<string, unknown>) => {
        const out: Record<string, unknown> = { ...headers };
        for (const name of STRIPPED) delete out[name];
        out['x-request-id'] = request.id;
        out['x-forwarded-for'] = request.ip;
        if (request.body instanceof BufferedBody) {
          // The size is known now: send it plainly rather than re-chunked.
          delete out['transfer-encoding'];
          out['content-length'] = String(request.body.bytes.length);
        }
        return out;
      },
      onError: (reply: FastifyReply, { error }: { error: Error }) => {
        // reply-from can report one failed upstream call twice (request and body stream both
        // fail) before the first answer has left, so answer once.
        if (answered.has(reply)) return;
        answered.add(reply);
        // Slow is not down: the replica stays in its pool, and the answer says it timed out.
        if ((error as { statusCode?: number }).statusCode === 504) {
          reply.log.warn({ upstream, timeout_ms: timeoutMs }, 'upstream timed out');
          const err = upstreamTimeout(UPSTREAM_LABELS[upstream], timeoutMs);
          reply.code(err.statusCode).headers(err.headers!).header('content-type', 'application/json').send(err.toBody());
          return;
        }
        const url = chosen.get(reply.request);
        if (url) pool.reportFailure(url);
        reply.log.warn({ upstream, err: error.message }, 'upstream unavailable');
        const err = serviceUnavailable(UPSTREAM_LABELS[upstream]);
        reply.code(err.statusCode).header('content-type', 'application/json').send(err.toBody());
      },
    },
  } as Parameters<typeof proxy>[1]);
}
