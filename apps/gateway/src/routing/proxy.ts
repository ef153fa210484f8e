import proxy from '@fastify/http-proxy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '@pupero/http';
import { SERVICE_TOKEN_HEADER, serviceUnavailable } from '@pupero/http';
import { PUBLIC_ROUTES, UPSTREAM_LABELS, type UpstreamName } from './routes.js';
import type { UpstreamPool } from './upstream-pool.js';

/** Headers a client must never be able to hand to a service. */
const STRIPPED = [SERVICE_TOKEN_HEADER, 'x-forwarded-for', 'x-real-ip', 'forwarded'];

const answered = new WeakSet<FastifyReply>();
/** The replica each proxied request went to (to take it out of its pool when it fails). */
const chosen = new WeakMap<FastifyRequest, string>();

export async function registerProxies(app: App, pools: Record<UpstreamName, UpstreamPool>): Promise<void> {
  for (const { prefix, upstream } of PUBLIC_ROUTES) {
    await app.register(proxy, {
      // Picked per request from the service's replicas (upstream-pool.ts).
      upstream: '',
      prefix,
      rewritePrefix: prefix,
      http: { requestOptions: { timeout: 30_000 } },
      replyOptions: {
        getUpstream: (request: FastifyRequest) => {
          const url = pools[upstream].next();
          chosen.set(request, url);
          return url;
        },
        rewriteRequestHeaders: (request: FastifyRequest, headers: Record<string, unknown>) => {
          const out: Record<string, unknown> = { ...headers };
          for (const name of STRIPPED) delete out[name];
          out['x-request-id'] = request.id;
          out['x-forwarded-for'] = request.ip;
          return out as typeof headers;
        },
        onError: (reply: FastifyReply, { error }: { error: Error }) => {
          // reply-from can report one failed upstream call twice (request and body stream both
          // fail) before the first answer has left, so answer once.
          if (answered.has(reply)) return;
          answered.add(reply);
          const url = chosen.get(reply.request);
          if (url) pools[upstream].reportFailure(url);
          reply.log.warn({ upstream, err: error.message }, 'upstream unavailable');
          const err = serviceUnavailable(UPSTREAM_LABELS[upstream]);
          reply.code(err.statusCode).header('content-type', 'application/json').send(err.toBody());
        },
      },
    } as Parameters<typeof proxy>[1]);
  }
}
