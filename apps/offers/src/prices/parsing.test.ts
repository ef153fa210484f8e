import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { priceFromExternal } from './decimal-input.js';
import { extractPrices, parseJsonMapping } from './json-mapping.js';
import { parseStaticPrices } from './static-prices-config.js';

describe('external prices', () => {
  it('turns JSON numbers and strings into exact 8-decimal prices', () => {
    expect(priceFromExternal(160)).toBe(16_000_000_000n);
    expect(priceFromExternal(160.12)).toBe(16_012_000_000n);
    expect(priceFromExternal('150.123456789')).toBe(15_012_345_679n); // half up at the 9th decimal
    expect(priceFromExternal('0.00000001')).toBe(1n);
    for (const bad of [0, -1, Number.NaN, Infinity, 1e12, '', 'abc', '1e3', '-5', null, {}, [160], true]) {
      expect(priceFromExternal(bad), inspect(bad)).toBeUndefined();
    }
  });
});

describe('PRICES', () => {
  it('parses CURRENCY=PRICE pairs', () => {
    expect(parseStaticPrices('USD=160, EUR=150.5')).toEqual(
      new Map([
        ['USD', 16_000_000_000n],
        ['EUR', 15_050_000_000n],
      ]),
    );
    expect(parseStaticPrices('')).toEqual(new Map());
  });

  it('names the bad entry', () => {
    expect(() => parseStaticPrices('USD=160,EURO=1')).toThrow(/"EURO" is not an uppercase ISO 4217/);
    expect(() => parseStaticPrices('usd=160')).toThrow(/"usd"/);
    expect(() => parseStaticPrices('USD=cheap')).toThrow(/price of USD \("cheap"\)/);
    expect(() => parseStaticPrices('USD')).toThrow(/"USD" is not CURRENCY=PRICE/);
    expect(() => parseStaticPrices('USD=1,USD=2')).toThrow(/USD is listed twice/);
  });
});

describe('ticker JSON mapping', () => {
  const coingecko = { monero: { usd: 161.42, eur: 149.9, btc: 0.0025, xyz: 5 } };

  it('reads an object of currency → price at a path (currency keys in any case, unknown keys skipped)', () => {
    expect(extractPrices(coingecko, parseJsonMapping('monero'))).toEqual(
      new Map([
        ['USD', 16_142_000_000n],
        ['EUR', 14_990_000_000n],
      ]),
    );
    expect(extractPrices({ USD: '160' }, parseJsonMapping('.'))).toEqual(new Map([['USD', 16_000_000_000n]]));
    expect(extractPrices(coingecko, parseJsonMapping('nothing.here'))).toEqual(new Map());
  });

  it('reads explicit paths per currency, skipping missing ones', () => {
    const doc = { data: { rates: [{ usd: '170.5' }], eur: 'n/a' } };
    const mapping = parseJsonMapping('USD=data.rates.0.usd,EUR=data.eur,GBP=data.gbp');
    expect(extractPrices(doc, mapping)).toEqual(new Map([['USD', 17_050_000_000n]]));
  });

  it('refuses a bad mapping', () => {
    expect(() => parseJsonMapping('USD=')).toThrow(/CURRENCY=json.path/);
    expect(() => parseJsonMapping('usd=monero.usd')).toThrow(/"usd"/);
  });
});
