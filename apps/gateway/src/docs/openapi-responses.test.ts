import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '@pupero/stack/testing';
import { LOGIN_ERROR_CODES } from '@pupero/login';
import { OFFERS_ERROR_CODES } from '@pupero/offers';
import { TRANSACTIONS_ERROR_CODES } from '@pupero/transactions';
import { WALLET_ERROR_CODES } from '@pupero/wallet-manager';
import { GATEWAY_ERROR_CODES } from '../errors.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}
interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: { error?: { properties?: { code?: { enum?: string[] } } } } }> };
  'x-unavailable-services'?: string[];
}

/** The error lists each service exports, under the component name its error schema has. */
const ERROR_LISTS: Record<string, readonly string[]> = {
  LoginError: LOGIN_ERROR_CODES,
  OffersError: OFFERS_ERROR_CODES,
  TransactionsError: TRANSACTIONS_ERROR_CODES,
  WalletError: WALLET_ERROR_CODES,
  GatewayError: GATEWAY_ERROR_CODES,
};

const operations = (doc: Doc) =>
  Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
  );

describe("the merged OpenAPI document's error responses", () => {
  let stack: TestStack;
  let doc: Doc;
  beforeAll(async () => {
    stack = await startTestStack();
    // The merged document skips a service that is slow to answer (a busy machine): ask again.
    for (let attempt = 0; ; attempt++) {
      doc = (await stack.request('GET', '/openapi.json')).body;
      if (!doc['x-unavailable-services'] || attempt >= 10) break;
    }
  });
  afterAll(async () => {
    await stack?.close();
  });

  it("lists each service's error codes as the enum of its error schema", () => {
    for (const [component, codes] of Object.entries(ERROR_LISTS)) {
      expect(doc.components.schemas[component]?.properties?.error?.properties?.code?.enum, component).toEqual([...codes]);
    }
  });

  it('references only components the document has', () => {
    const refs = new Set([...JSON.stringify(doc).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]));
    expect([...refs].filter((name) => !(name in doc.components.schemas))).toEqual([]);
  });

  it('gives every 4xx/5xx response of every operation an error schema with its enum of codes', () => {
    const untyped: string[] = [];
    for (const { name, op } of operations(doc)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (Number(status) < 400) continue;
        const ref = response.content?.['application/json']?.schema?.$ref?.split('/').pop();
        if (!ref || !(ref in ERROR_LISTS)) untyped.push(`${name} ${status}`);
      }
    }
    expect(untyped).toEqual([]);
  });
});
