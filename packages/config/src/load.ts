import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable and its default.`);
    this.name = 'ConfigError';
  }
}

/** Validates environment variables against a zod object schema; the error names every bad variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const given = typeof issue.path[0] === 'string' ? cleaned[issue.path[0]] : undefined;
    const shown = given === undefined ? 'not set' : `got "${given}"`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/** Helpers for env var schemas: strings in, typed values out. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  url: () => z.url({ message: 'must be a URL like http://127.0.0.1:8001' }),
  /** One URL, or the URLs of several replicas separated by commas (the gateway balances over them). */
  urlList: () =>
    z
      .string()
      .refine(
        (v) => v.split(',').every((part) => z.url().safeParse(part.trim()).success),
        'must be a URL like http://127.0.0.1:8001, or several separated by commas',
      ),
};
