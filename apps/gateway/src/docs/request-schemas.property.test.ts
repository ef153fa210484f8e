import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack, type TestUser } from '@pupero/stack/testing';
import { validIsh, type JsonSchema } from './json-schema-arbitrary.js';

/**
 * Every request schema of every public route (read from the gateway's merged /openapi.json, so a
 * new route is covered without touching this file) gets generated bodies, queries, path params and
 * headers, mostly valid and sometimes not, through the real gateway: never a 5xx, and a 4xx stores
 * nothing (the row count of every table of every service schema is unchanged).
 * Seeded; PROPERTY_RUNS cases per route (default 6) within PROPERTY_BUDGET_MS (then one per route).
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 6);
const SEED = 13;
const LIVE_STREAMS = new Set(['/events']);
const BUDGET_MS = Number(process.env.PROPERTY_BUDGET_MS ?? 60_000);

/** Tables that record refusals on purpose (an audit of failed logins, throttles): a 4xx may add rows there. */
const RECORDS_REFUSALS = new Set(['login.security_events', 'login.login_attempts', 'login.throttle']);
/** Monero is off in this stack (MONERO_MODE=disabled): wallet routes answer this 503, by design. */
const CHAIN_OFF = 'wallet_unavailable';

interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
}

/** Inlines "#/components/schemas/X" references (depth-limited: recursive schemas become {}). */
function resolveRefs(value: unknown, schemas: Record<string, unknown>, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRefs(v, schemas, depth));
  if (!value || typeof value !== 'object') return value;
  const ref = (value as { $ref?: string }).$ref;
  if (ref) return depth > 8 ? {} : resolveRefs(schemas[ref.split('/').pop()!], schemas, depth + 1);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, schemas, depth)]));
}

const ascii = (v: unknown) => encodeURIComponent(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

describe('every public request schema, generated input through the gateway', () => {
  let stack: TestStack;
  let admin: TestUser;
  let routes: { method: string; path: string; op: Operation }[];
  let countSql: string;

  beforeAll(async () => {
    stack = await startTestStack();
    admin = await stack.grantRole(await stack.newUser('prop'), 'admin');
    // The merged document skips a service that is slow to answer (a busy machine): ask again.
    let doc: {
      paths: Record<string, Record<string, Operation>>;
      components?: { schemas?: Record<string, JsonSchema> };
      'x-unavailable-services'?: string[];
    };
    for (let attempt = 0; ; attempt++) {
      doc = (await stack.request('GET', '/openapi.json')).body;
      if (!doc['x-unavailable-services'] || attempt >= 10) break;
    }
    doc = resolveRefs(doc, doc.components?.schemas ?? {}) as typeof doc;
    routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        // Live streams answer 200 and stay open: their parameters are checked by their own tests.
        // GET /events does not declare its text/event-stream response, so it is named here too.
        .filter(([, op]) => !Object.values(op.responses ?? {}).some((r) => r.content && 'text/event-stream' in r.content))
        .filter(([method]) => !(method === 'get' && LIVE_STREAMS.has(path)))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
    const { rows } = await stack.db.query<{ t: string }>(
      `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables
        WHERE table_schema IN ('login', 'offers', 'transactions', 'wallet') AND table_type = 'BASE TABLE' ORDER BY 1`,
    );
    countSql = rows.map(({ t }) => `SELECT '${t}' AS t, count(*)::text AS n FROM ${t}`).join(' UNION ALL ');
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
  });

  async function counts(): Promise<Record<string, string>> {
    const { rows } = await stack.db.query<{ t: string; n: string }>(countSql);
    return Object.fromEntries(rows.filter((r) => !RECORDS_REFUSALS.has(r.t)).map((r) => [r.t, String(r.n)]));
  }

  it('covers the whole public API', () => {
    expect(routes.length).toBeGreaterThan(40);
  });

  it('answers generated input without a 5xx, and stores nothing on a 4xx', async () => {
    const failures: string[] = [];
    const statuses: Record<string, number> = {};
    const started = Date.now();
    for (const { method, path, op } of routes) {
      // A time budget keeps a busy machine's run bounded: past it, one case per remaining route.
      const numRuns = Date.now() - started > BUDGET_MS ? 1 : RUNS;
      const params = op.parameters ?? [];
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const input = fc.record({
        path: fc.record(Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, validIsh(p.schema)]))),
        query: fc.record(Object.fromEntries(params.filter((p) => p.in === 'query').map((p) => [p.name, validIsh(p.schema)])), {
          requiredKeys: [],
        }),
        headers: fc.record(Object.fromEntries(params.filter((p) => p.in === 'header').map((p) => [p.name, validIsh(p.schema)])), {
          requiredKeys: [],
        }),
        body: bodySchema ? validIsh(bodySchema) : fc.constant(undefined),
        auth: fc.constantFrom('admin', 'admin', 'admin', 'none', 'garbage'),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ path: pathValues, query, headers, body, auth }) => {
          const url =
            path.replace(/\{(\w+)\}/g, (_, name: string) => ascii(pathValues[name])) +
            (Object.keys(query).length
              ? `?${Object.entries(query)
                  .map(([k, v]) => `${k}=${ascii(v)}`)
                  .join('&')}`
              : '');
          const before = await counts();
          const res = await stack.request(method, url, body, {
            token: auth === 'admin' ? admin.token : auth === 'garbage' ? 'not.a.token' : undefined,
            headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, ascii(v)])),
          });
          const key = `${res.status}`;
          statuses[key] = (statuses[key] ?? 0) + 1;
          const shown = `${method} ${url.slice(0, 120)} ${String(JSON.stringify(body)).slice(0, 200)} -> ${res.status} ${String(JSON.stringify(res.body)).slice(0, 200)}`;
          if (res.status >= 500 && !(res.status === 503 && res.body?.error?.code === CHAIN_OFF)) failures.push(`5xx: ${shown}`);
          if (res.status >= 400 && res.status < 500) {
            expect(res.body?.error?.code, shown).toEqual(expect.any(String));
            const after = await counts();
            const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (changed.length) failures.push(`stored on a 4xx (${changed.join(', ')}): ${shown}`);
          }
        }),
        { seed: SEED, numRuns, endOnFailure: true },
      );
    }
    console.info(
      JSON.stringify({ test: 'request-schemas', routes: routes.length, runs_per_route: RUNS, ms: Date.now() - started, statuses }),
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
