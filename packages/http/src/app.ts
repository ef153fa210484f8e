import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyBaseLogger,
  type RawServerDefault,
  type RawRequestDefaultExpression,
  type RawReplyDefaultExpression,
} from 'fastify';
import swagger from '@fastify/swagger';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { FastifySchema, FastifySerializerCompiler } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { installErrorHandler, payloadTooLarge } from './error-handler.js';
import { isErrorResponseSchema, type ErrorResponseSchema } from './error-schema.js';
import { installMetrics } from './metrics.js';
import { DEFAULT_HTTP_LIMITS, installConnectionCap, installUrlLimit, serverLimitOptions, type HttpLimits } from './server-limits.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type ReadinessCheck = () => Promise<void>;

export interface HttpAppOptions {
  /** Service name: shows in logs, metrics and the OpenAPI title. */
  name: string;
  logger: Logger;
  bodyLimit?: number;
  /** Timeouts and the URL limit (HTTP_* settings); defaults: DEFAULT_HTTP_LIMITS. */
  limits?: HttpLimits;
  /** Open connections allowed per client socket address (0 or unset: no cap). The gateway sets it. */
  maxConnectionsPerAddress?: number;
  openapi?: { title: string; description?: string; version?: string };
  readiness?: Record<string, ReadinessCheck>;
  /** Trust X-Forwarded-For from a proxy in front (the gateway): as Fastify's trustProxy. */
  trustProxy?: boolean | number | string;
  /** Answers unmatched routes instead of the JSON 404 (the web server's single-page fallback). */
  notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown;
  /** Serve this document at /openapi.json instead of the app's own (the gateway's merged one). */
  openapiDocument?: () => Promise<unknown>;
  /**
   * The service's error schema (errorResponseSchema): every route that validates input gets it as
   * its 400 response (validation_failed, invalid_json) and every route with a body as its 413, unless
   * the route declares them itself, so the document lists what the error handler answers.
   */
  errorSchema?: ErrorResponseSchema;
}

export interface AppExtras {
  metrics: Registry;
  readiness: Record<string, ReadinessCheck>;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
let draining = false;
/**
 * The process is about to stop: /readyz answers 503 from now on, so a load balancer (the
 * gateway's replica pool, a Kubernetes Service) stops sending new requests before the listener closes.
 */
export function startDraining(): void {
  draining = true;
}

const OPS_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);

/**
 * A Fastify app with Pupero's conventions: zod schemas for validation/serialisation and OpenAPI,
 * the error model, request ids, JSON logs, metrics, /healthz, /readyz and /openapi.json.
 * Internal routes (/internal/...) and ops routes are kept out of the public OpenAPI document.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<{ app: App; extras: AppExtras }> {
  const bodyLimit = options.bodyLimit ?? 65_536;
  const limits = options.limits ?? DEFAULT_HTTP_LIMITS;
  const app = Fastify({
    ...serverLimitOptions(limits),
    loggerInstance: options.logger as unknown as FastifyBaseLogger,
    bodyLimit,
    trustProxy: (options.trustProxy ?? 'loopback') as boolean | string,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
    },
  }).withTypeProvider<ZodTypeProvider>();

  // JSON only: anything else is 415 rather than a confusing validation error.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializeResponses);
  installErrorHandler(app, options.notFound);
  // Cheap refusals first: a connection over the cap, then an over-long URL.
  installConnectionCap(app, app.server, options.maxConnectionsPerAddress ?? 0);
  installUrlLimit(app, limits.maxUrlBytes);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/internal') || OPS_ROUTES.has(route.url)) {
      route.schema = { ...(route.schema ?? {}), hide: true };
    }
    if (options.errorSchema && route.schema) route.schema = withInputErrors(route.schema, options.errorSchema);
  });
  // A declared size over the limit is refused before routing or reading a byte, on every route
  // (unknown ones included); bodies without Content-Length are counted as they are read.
  app.addHook('onRequest', async (request, reply) => {
    if (Number(request.headers['content-length']) > bodyLimit) {
      return reply.status(413).send(payloadTooLarge(bodyLimit));
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: options.openapi?.title ?? `Pupero ${options.name}`,
        description: options.openapi?.description,
        version: options.openapi?.version ?? '0.1.0',
      },
      components: {
        securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
    },
    transform: jsonSchemaTransform,
    // Schemas with a meta id (Offer, OffersError, ...) are referenced as components: emit them.
    transformObject: (document) => {
      const transformed = jsonSchemaTransformObject(document);
      return withoutUnusedComponents(transformed as OpenApiLike) as typeof transformed;
    },
  });

  const readiness = { ...(options.readiness ?? {}) };
  const metrics = installMetrics(app, options.name);

  app.get('/healthz', async () => ({ status: 'ok', service: options.name }));
  app.get('/readyz', async (_request, reply) => {
    const checks: Record<string, string> = {};
    let ok = true;
    if (draining) {
      ok = false;
      checks.shutdown = 'failing: shutting down (draining)';
    }
    await Promise.all(
      Object.entries(readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 3000);
          checks[name] = 'ok';
        } catch (error) {
          ok = false;
          checks[name] = `failing: ${(error as Error).message}`;
        }
      }),
    );
    reply.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', service: options.name, checks };
  });
  const document = options.openapiDocument ?? (async () => app.swagger());
  app.get('/openapi.json', async () => document());

  return { app, extras: { metrics, readiness } };
}

/**
 * Every schema with an id is emitted twice (input and output) and in every service's document (one
 * registry per process): keep the components this document references.
 */
type OpenApiLike = { components?: { schemas?: Record<string, unknown> } };
function withoutUnusedComponents(document: OpenApiLike): OpenApiLike {
  const schemas = document.components?.schemas;
  if (!schemas) return document;
  const used = new Set<string>();
  const visit = (value: unknown) => {
    for (const [, name] of JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
      if (name === undefined || used.has(name)) continue;
      used.add(name);
      visit(schemas[name]);
    }
  };
  visit({ ...document, components: { ...document.components, schemas: {} } });
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...document.components, schemas: kept } };
}

/** The 400 (and 413 with a body) the error handler answers for a route that validates input. */
function withInputErrors(schema: FastifySchema, errorSchema: ErrorResponseSchema): FastifySchema {
  const validates = ['body', 'querystring', 'params', 'headers'].some((part) => part in schema);
  if (!validates) return schema;
  const response = { ...((schema.response as Record<number, unknown> | undefined) ?? {}) };
  response[400] ??= errorSchema;
  if (schema.body) response[413] ??= errorSchema;
  return { ...schema, response };
}

/** zod-checked responses, except error bodies (see isErrorResponseSchema). */
const serializeResponses: FastifySerializerCompiler<unknown> = (route) =>
  isErrorResponseSchema(route.schema)
    ? (data: unknown) => JSON.stringify(data)
    : serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
