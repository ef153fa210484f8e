import proxy from '@fastify/http-proxy';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '@pupero/http';
import { SERVICE_TOKEN_HEADER, serviceUnavailable } from '@pupero/http';
import type { ServiceUrls } from '@pupero/config';
import { PUBLIC_ROUTES, UPSTREAM_LABELS } from './routes.js';

/** Headers a client must never be able to hand to a service. */
const STRIPPED = [SERVICE_TOKEN_HEADER, 'x-forwarded-for', 'x-real-ip', 'forwarded'];

const answered = new WeakSet<FastifyReply>();

export async function registerProxies(app: App, urls: ServiceUrls): Promise<void> {
  for (const { prefix, upstream } of PUBLIC_ROUTES) {
    await app.register(proxy, {
      upstream: urls[upstream],
      prefix,
      rewritePrefix: prefix,
      http: { requestOptions: { timeout: 30_000 } },
      replyOptions: {
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
          reply.log.warn({ upstream, err: error.message }, 'upstream unavailable');
          const err = serviceUnavailable(UPSTREAM_LABELS[upstream]);
          reply.code(err.statusCode).header('content-type', 'application/json').send(err.toBody());
        },
      },
    } as Parameters<typeof proxy>[1]);
  }
}
