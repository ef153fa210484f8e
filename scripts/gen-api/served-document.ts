import { startTestStack } from '@pupero/stack/testing';

/**
 * The OpenAPI document exactly as the gateway serves it: the embedded stack (PGlite, no Monero)
 * on free ports, GET /openapi.json through the gateway, then everything is stopped again.
 */
export async function servedOpenApiDocument(): Promise<Record<string, unknown>> {
  const stack = await startTestStack();
  try {
    // The merged document skips a service that is slow to answer (a busy machine): ask again.
    for (let attempt = 1; ; attempt++) {
      const response = await stack.request<Record<string, unknown>>('GET', '/openapi.json');
      if (response.status !== 200) throw new Error(`GET /openapi.json answered ${response.status}`);
      const missing = response.body['x-unavailable-services'];
      if (!missing) return response.body;
      if (attempt >= 10) throw new Error(`the document lacks services that did not answer: ${JSON.stringify(missing)}`);
    }
  } finally {
    await stack.close();
  }
}
