import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCodesOf } from './error-codes.js';
import { GENERATED_FILE, renderWebApiTypes } from './render.js';
import { servedOpenApiDocument } from './served-document.js';

/** A small document shaped like the services' own: error envelopes with `code` enums, inline and as components. */
const FIXTURE = {
  openapi: '3.0.3',
  info: { title: 'fixture', version: '0' },
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': {
            description: 'ok',
            content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } },
          },
          '404': { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingError' } } } },
          '409': {
            description: 'x',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['error'],
                  properties: {
                    error: {
                      type: 'object',
                      required: ['code', 'message'],
                      // zod writes a union of literals as anyOf of enums/consts
                      properties: {
                        code: { anyOf: [{ type: 'string', enum: ['thing_busy'] }, { const: 'rate_limited' }] },
                        message: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
  components: {
    schemas: {
      ThingError: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string', enum: ['thing_not_found', 'rate_limited'] }, message: { type: 'string' } },
          },
        },
      },
      // A `code` that is not an error's (a currency) is not an error code.
      Currency: { type: 'object', properties: { code: { type: 'string', enum: ['EUR'] } } },
    },
  },
};

describe('npm run gen:api', () => {
  it('collects the error codes of every error envelope, inline or referenced, once and sorted', () => {
    expect(errorCodesOf(FIXTURE)).toEqual(['rate_limited', 'thing_busy', 'thing_not_found']);
    expect(errorCodesOf({ openapi: '3.0.3', paths: {} })).toEqual([]);
  });

  it('emits the codes as a const tuple and their union beside the path types', async () => {
    const source = await renderWebApiTypes(FIXTURE);
    expect(source).toContain("export const ERROR_CODES = ['rate_limited', 'thing_busy', 'thing_not_found'] as const;");
    expect(source).toContain('export type ErrorCode = (typeof ERROR_CODES)[number];');
    expect(source).toMatch(/'\/things\/\{id\}': \{/);
  });

  it('has committed apps/web/src/api/openapi.gen.ts fresh from the gateway document', async () => {
    const fresh = await renderWebApiTypes(await servedOpenApiDocument());
    const committed = await readFile(GENERATED_FILE, 'utf8');
    // Not toBe on 5000+ lines: the diff would bury the one thing to do.
    expect(committed === fresh, 'apps/web/src/api/openapi.gen.ts is stale: run npm run gen:api').toBe(true);
  });
});
