import fc from 'fast-check';

/** The part of JSON Schema (as the services' zod schemas emit it in OpenAPI) that generation needs. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
}

/** Any JSON value, small: what a careless or hostile client sends instead. */
export const anyJson = fc.jsonValue({ maxDepth: 2 });

/**
 * Values that mostly satisfy `schema` (so requests get past validation into the handlers and the
 * stores) and sometimes do not (a wrong type, a missing or unknown field, a hostile string).
 */
export function validIsh(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: conforming(schema, depth) }, { weight: 1, arbitrary: hostile });
}

const hostile = fc.oneof(
  anyJson,
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e308',
    'NaN',
    '99999999999999999999.999999999999',
    '\u0000',
    "'; DROP TABLE x; --",
    '../../etc/passwd',
    '%00',
    '\ud800',
  ),
  fc.string({ maxLength: 300 }),
  fc.integer(),
  fc.double(),
);

function conforming(schema: JsonSchema | undefined, depth: number): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives?.length) return fc.oneof(...alternatives.map((s) => validIsh(s, depth + 1)));
  if (schema.allOf?.length) return validIsh(Object.assign({}, ...schema.allOf) as JsonSchema, depth + 1);
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const record = fc.record(Object.fromEntries(Object.entries(props).map(([k, s]) => [k, validIsh(s, depth + 1)])), {
        requiredKeys: (schema.required ?? []).filter((k) => k in props),
      });
      // Now and then an unknown field, or a required one left out (strict schemas must refuse both).
      return fc.oneof({ weight: 5, arbitrary: record }, { weight: 1, arbitrary: record.map((r) => ({ ...r, unexpected: 1 })) });
    }
    case 'array':
      return fc.array(validIsh(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
      return stringFor(schema);
    default:
      return anyJson;
  }
}

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time')
    return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000));
    } catch {
      /* a pattern fast-check cannot generate from: plain strings */
    }
  }
  return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) });
}
