/**
 * The error codes an OpenAPI document says the API can send: every `enum` (or `const`) of a
 * `code` property inside an `error` object of the `{error: {code, message, details?}}` envelope,
 * wherever it sits (a response schema or a component). Sorted, without duplicates.
 */
export function errorCodesOf(document: unknown): string[] {
  const codes = new Set<string>();
  walk(document, (node) => {
    const error = propertyOf(node, 'error');
    const code = error && propertyOf(error, 'code');
    if (code) for (const value of literalsOf(code)) codes.add(value);
  });
  return [...codes].sort();
}

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(value: unknown, visit: (node: Node) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (isNode(value)) {
    visit(value);
    for (const child of Object.values(value)) walk(child, visit);
  }
}

function propertyOf(schema: Node, name: string): Node | undefined {
  const properties = schema.properties;
  const property = isNode(properties) ? properties[name] : undefined;
  return isNode(property) ? property : undefined;
}

/** String literals a schema allows: enum, const, or alternatives of those (zod writes unions as anyOf). */
function literalsOf(schema: Node): string[] {
  const found: string[] = [];
  if (Array.isArray(schema.enum)) found.push(...schema.enum.filter((v): v is string => typeof v === 'string'));
  if (typeof schema.const === 'string') found.push(schema.const);
  for (const key of ['anyOf', 'oneOf'] as const) {
    const alternatives = schema[key];
    if (Array.isArray(alternatives)) for (const alt of alternatives) if (isNode(alt)) found.push(...literalsOf(alt));
  }
  return found;
}
