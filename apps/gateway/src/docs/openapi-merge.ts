import { z } from 'zod';
import type { ServiceUrls } from '@pupero/config';
import { gatewayErrorSchema } from '../errors.js';
import { isPublicPath, UPSTREAM_LABELS, type UpstreamName } from '../routing/routes.js';

type Doc = {
  openapi?: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string }[];
};

const GATEWAY_ERROR = 'GatewayError';
const gatewayRef = { $ref: `#/components/schemas/${GATEWAY_ERROR}` };

/** What the gateway itself may answer on any proxied operation (each service documents its own answers). */
const GATEWAY_RESPONSES: Record<string, string> = {
  '429': 'Too many requests or connections from your address (rate_limited, too_many_connections)',
  '502': 'The service is unavailable (service_unavailable)',
  '504': 'The service did not answer in time (upstream_timeout)',
};

function gatewayErrorComponent(): unknown {
  const json = z.toJSONSchema(gatewayErrorSchema, { target: 'openapi-3.0', io: 'output' }) as { definitions?: Record<string, unknown> };
  return json.definitions?.[GATEWAY_ERROR] ?? json;
}

/** The operation with the gateway's own error answers added where the service declares none. */
function withGatewayResponses(operation: { responses?: Record<string, unknown> }): { responses: Record<string, unknown> } {
  const responses = { ...(operation.responses ?? {}) };
  for (const [status, description] of Object.entries(GATEWAY_RESPONSES)) {
    responses[status] ??= { description, content: { 'application/json': { schema: gatewayRef } } };
  }
  return { ...operation, responses };
}

/**
 * One OpenAPI 3 document for the whole public API: each service's document, kept to the paths
 * the gateway routes, tagged by service. A service that does not answer is listed in
 * `x-unavailable-services` rather than failing the whole document.
 */
export async function mergedOpenApi(urls: ServiceUrls, version: string): Promise<Record<string, unknown>> {
  const upstreams = Object.keys(UPSTREAM_LABELS) as UpstreamName[];
  const docs = await Promise.all(
    upstreams.map(async (name) => {
      try {
        const response = await fetch(`${urls[name]}/openapi.json`, { signal: AbortSignal.timeout(3000) });
        if (!response.ok) throw new Error(String(response.status));
        return { name, doc: (await response.json()) as Doc };
      } catch {
        return { name, doc: undefined };
      }
    }),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = { [GATEWAY_ERROR]: gatewayErrorComponent() };
  const unavailable: string[] = [];
  for (const { name, doc } of docs) {
    if (!doc) {
      unavailable.push(UPSTREAM_LABELS[name]);
      continue;
    }
    for (const [path, operations] of Object.entries(doc.paths ?? {})) {
      if (!isPublicPath(path)) continue;
      const tagged: Record<string, unknown> = {};
      for (const [method, op] of Object.entries(operations)) {
        const operation = op as { tags?: string[]; responses?: Record<string, unknown> };
        tagged[method] = { ...withGatewayResponses(operation), tags: operation.tags?.length ? operation.tags : [UPSTREAM_LABELS[name]] };
      }
      paths[path] = { ...(paths[path] ?? {}), ...tagged };
    }
    Object.assign(schemas, doc.components?.schemas ?? {});
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Pupero public API',
      version,
      description:
        'Peer-to-peer Monero trading. Amounts are decimal strings of XMR; errors are {error: {code, message, details?}}, code one of the enum of the error schema of each response.',
    },
    servers: [{ url: '/' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
    ...(unavailable.length ? { 'x-unavailable-services': unavailable } : {}),
  };
}
