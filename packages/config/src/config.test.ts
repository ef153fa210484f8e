import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { commonConfigSchema, ConfigError, env, loadConfig, resolveCommonConfig } from './index.js';

describe('config', () => {
  it('applies defaults', () => {
    const c = loadConfig(commonConfigSchema, {});
    expect(c.GATEWAY_PORT).toBe(8000);
    expect(c.DATA_DIR).toBe('./data');
    const resolved = resolveCommonConfig(c, 'x'.repeat(32));
    expect(resolved.urls.offers).toBe('http://127.0.0.1:8002');
  });

  it('names every bad variable and what it got', () => {
    try {
      loadConfig(commonConfigSchema, { GATEWAY_PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
      expect.fail('should throw');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/GATEWAY_PORT: .*got "eighty"/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
      expect(message).toMatch(/LOG_LEVEL/);
    }
  });

  it('parses booleans strictly', () => {
    const schema = z.object({ FLAG: env.bool(false) });
    expect(loadConfig(schema, { FLAG: 'true' }).FLAG).toBe(true);
    expect(loadConfig(schema, {}).FLAG).toBe(false);
    expect(() => loadConfig(schema, { FLAG: 'maybe' })).toThrow(/FLAG: must be true or false/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig(commonConfigSchema, { DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
