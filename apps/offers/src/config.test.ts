import { describe, expect, it } from 'vitest';
import { ConfigError } from '@pupero/config';
import { loadOffersConfig } from './config.js';
import { parseJsonMapping } from './prices/json-mapping.js';
import { parseStaticPrices } from './prices/static-prices-config.js';

describe('Offers config', () => {
  it('parses PRICES and PRICE_HTTP_MAPPING from their text, defaults included', () => {
    const config = loadOffersConfig({ PRICES: 'USD=160,EUR=150.5', PRICE_HTTP_MAPPING: 'USD=monero.usd' });
    expect(config.PRICES).toEqual(
      new Map([
        ['USD', 16_000_000_000n],
        ['EUR', 15_050_000_000n],
      ]),
    );
    expect(config.PRICE_HTTP_MAPPING).toEqual(parseJsonMapping('USD=monero.usd'));
    const defaults = loadOffersConfig({});
    expect(defaults.PRICES.get('EUR')).toBe(15_000_000_000n);
    expect(defaults.PRICE_HTTP_MAPPING).toEqual(parseJsonMapping('monero'));
  });

  it.each([
    ['PRICES', 'USD=cheap', parseStaticPrices],
    ['PRICE_HTTP_MAPPING', 'USD=monero.usd,EUR', parseJsonMapping],
  ] as const)('refuses a %s that does not parse, with the parser’s reason', (name, value, parse) => {
    const reason = messageOf(() => parse(value));
    expect(reason).not.toBe('');
    expect(problemsOf({ [name]: value })).toEqual([`${name}: ${reason} (got "${value}")`]);
  });
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

function problemsOf(environment: Record<string, string>): string[] {
  try {
    loadOffersConfig(environment);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems;
  }
}
