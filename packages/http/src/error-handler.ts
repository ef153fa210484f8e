import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { isDatabaseUnavailableError } from '@pupero/db';
import { AppError, dependencyUnavailable } from './errors.js';

/** The answer to a body over the size limit, on every route (API.md). */
export function payloadTooLarge(limitBytes: number | undefined) {
  return {
    error: {
      code: 'payload_too_large',
      message: `The request body is too large${limitBytes ? ` (at most ${limitBytes} bytes)` : ''}.`,
      ...(limitBytes ? { details: { limit_bytes: limitBytes } } : {}),
    },
  };
}

interface Issue {
  path: string;
  message: string;
}

function validationIssues(error: FastifyError): Issue[] {
  return (error.validation ?? []).map((v) => {
    const pointer = String(v.instancePath ?? '')
      .split('/')
      .filter(Boolean)
      .join('.');
    const params = v.params as { keys?: string[] } | undefined;
    const keys = Array.isArray(params?.keys) && !v.message?.includes(params.keys[0] ?? '') ? `: ${params.keys.join(', ')}` : '';
    return { path: [error.validationContext, pointer].filter(Boolean).join('.'), message: `${v.message}${keys}` };
  });
}

/** Maps every error to the public error model; internals never leak (500s say only "internal_error"). */
export function installErrorHandler(app: FastifyInstance, notFound?: (request: FastifyRequest, reply: FastifyReply) => unknown): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.statusCode).send(error.toBody());
    }
    if (error.validation) {
      const issues = validationIssues(error);
      const first = issues[0];
      return reply.status(400).send({
        error: {
          code: 'validation_failed',
          message: first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'The request is not valid.',
          details: { issues },
        },
      });
    }
    // A database that is down (stopped, restarting, unreachable) is not a bug of this service.
    if (isDatabaseUnavailableError(error)) {
      request.log.warn({ err: { message: error.message, code: error.code } }, 'database unavailable');
      const err = dependencyUnavailable('database');
      return reply.status(err.statusCode).headers(err.headers!).send(err.toBody());
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error }, 'response did not match its schema');
      return reply.status(500).send({ error: { code: 'internal_error', message: `Internal error (request ${request.id}).` } });
    }
    switch (error.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.status(413).send(payloadTooLarge(request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.status(415).send({ error: { code: 'unsupported_media_type', message: 'Send the body as application/json.' } });
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return reply.status(400).send({ error: { code: 'invalid_json', message: 'The JSON body is empty.' } });
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.status(400).send({ error: { code: 'invalid_json', message: 'The body is not valid JSON.' } });
    }
    if (error.statusCode === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: 'Too many requests; slow down and retry later.' } });
    }
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return reply.status(400).send({ error: { code: 'invalid_json', message: 'The body is not valid JSON.' } });
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Other framework refusals keep their status but get a code from the closed list.
      const code = error.statusCode === 404 ? 'not_found' : 'bad_request';
      return reply.status(error.statusCode).send({ error: { code, message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: `Internal error (request ${request.id}).` } });
  });

  app.setNotFoundHandler((request, reply) => {
    if (notFound) return notFound(request, reply);
    return reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}.` } });
  });
}
