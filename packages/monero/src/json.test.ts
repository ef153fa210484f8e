import assert from 'node:assert/strict';
import { describe, expect, it } from 'vitest';
import { parseRpcJson, stringifyRpcJson } from './json.js';

const MAX_U64 = 18446744073709551615n;
const ABOVE_2_53 = 9007199254740993n; // 2^53 + 1: not representable as a JS number

describe('parseRpcJson', () => {
  it('turns amount fields into exact bigints, also above 2^53', () => {
    const text = `{"id":"1","jsonrpc":"2.0","result":{"balance":${MAX_U64},"unlocked_balance":${ABOVE_2_53},
      "per_subaddress":[{"address_index":3,"balance":${ABOVE_2_53},"unlocked_balance":0,"label":"u-1"}],
      "blocks_to_unlock":9}}`;
    const r = parseRpcJson(text) as { id: string; result: Record<string, unknown> };
    expect(r.result.balance).toBe(MAX_U64);
    expect(r.result.unlocked_balance).toBe(ABOVE_2_53);
    const [sub] = r.result.per_subaddress as Array<Record<string, unknown>>;
    assert(sub);
    expect(sub.balance).toBe(ABOVE_2_53);
    expect(sub.unlocked_balance).toBe(0n);
    // Non-amount integers stay plain numbers.
    expect(sub.address_index).toBe(3);
    expect(r.result.blocks_to_unlock).toBe(9);
    expect(r.id).toBe('1');
  });

  it('small amounts are bigint too (never a number), including amounts[] and fee', () => {
    const r = parseRpcJson(
      '{"in":[{"amount":1500000000000,"amounts":[1000000000000,500000000000],"fee":30620000,"height":92,"confirmations":10}]}',
    ) as { in: Array<Record<string, unknown>> };
    const [t] = r.in;
    assert(t);
    expect(t.amount).toBe(1_500_000_000_000n);
    expect(t.amounts).toEqual([1_000_000_000_000n, 500_000_000_000n]);
    expect(t.fee).toBe(30_620_000n);
    expect(t.height).toBe(92);
    expect(t.confirmations).toBe(10);
  });

  it('an unsafe integer in a non-amount field becomes a bigint, never a rounded number', () => {
    const r = parseRpcJson(`{"cumulative_difficulty":${ABOVE_2_53},"neg":-5,"x":-${ABOVE_2_53}}`) as Record<string, unknown>;
    expect(r.cumulative_difficulty).toBe(ABOVE_2_53);
    expect(r.neg).toBe(-5);
    expect(r.x).toBe(-ABOVE_2_53);
  });

  it('leaves strings (with digits, escapes, quotes) and floats alone', () => {
    const text =
      '{"address":"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A",' +
      '"note":"say \\"12345678901234567890\\" \\\\ 7","rate":1.25,"exp":1e3,"neg":-0.5,"ok":true,"nil":null,"amount":0}';
    const r = parseRpcJson(text) as Record<string, unknown>;
    expect(r.address).toBe('44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A');
    expect(r.note).toBe('say "12345678901234567890" \\ 7');
    expect(r.rate).toBe(1.25);
    expect(r.exp).toBe(1000);
    expect(r.neg).toBe(-0.5);
    expect(r.ok).toBe(true);
    expect(r.nil).toBeNull();
    expect(r.amount).toBe(0n);
  });

  it('rejects invalid JSON', () => {
    expect(() => parseRpcJson('{"a":')).toThrow();
    expect(() => parseRpcJson('<html>401</html>')).toThrow();
  });
});

describe('stringifyRpcJson', () => {
  it('writes bigints as raw integer literals', () => {
    const text = stringifyRpcJson({ destinations: [{ address: 'A', amount: MAX_U64 }], priority: 0 });
    expect(text).toBe(`{"destinations":[{"address":"A","amount":${MAX_U64}}],"priority":0}`);
  });

  it('round-trips amounts above 2^53 exactly', () => {
    const value = { balance: ABOVE_2_53, amounts: [MAX_U64, 1n, 0n], fee: 2n ** 60n + 7n };
    const back = parseRpcJson(stringifyRpcJson(value));
    expect(back).toEqual(value);
  });

  it('keeps strings that contain NUL or marker-like text intact', () => {
    const value = { label: '\u0000abc:123', amount: 5n };
    expect(parseRpcJson(stringifyRpcJson(value))).toEqual(value);
  });
});
