import { z } from 'zod';

const errorSchemas = new WeakSet<object>();

/**
 * The error model {error: {code, message, details?}} for the OpenAPI document, with `code` an
 * enum of the codes a service can send (its list in errors.ts). `id` names the component
 * ("OffersError"): one per service, so the gateway's merged document keeps each list apart.
 */
export function errorResponseSchema<const C extends string>(id: string, codes: readonly [C, ...C[]]) {
  const schema = z
    .object({
      error: z.object({
        code: z.enum(codes).describe('What went wrong, for programs: one of a closed list (new codes are added to the list)'),
        message: z.string().describe('What went wrong and what to do, for people'),
        details: z.unknown().optional(),
      }),
    })
    .meta({ id, description: 'Error: {error: {code, message, details?}}' });
  errorSchemas.add(schema);
  return schema;
}

export type ErrorResponseSchema = ReturnType<typeof errorResponseSchema>;

/**
 * Error bodies are written without checking them against their schema: a code missing from the
 * documented list must not turn a 4xx into a 500. Codes are checked where they are written
 * instead (each service's error helpers accept only its list).
 */
export function isErrorResponseSchema(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && errorSchemas.has(schema);
}
