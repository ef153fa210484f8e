import { describe, expect, it } from 'vitest';
import { keysetPage } from './keyset-page.js';

describe('keysetPage', () => {
  const rows = (...seqs: number[]) => seqs.map((seq) => ({ seq: BigInt(seq), name: `row ${seq}` }));

  it('cuts the extra row and points the cursor at the last row of the page', () => {
    expect(keysetPage(rows(9, 7, 4), 2)).toEqual({ page: rows(9, 7), nextCursor: '7' });
  });

  it('has no next cursor when the store found no row beyond the page', () => {
    expect(keysetPage(rows(9, 7), 2)).toEqual({ page: rows(9, 7), nextCursor: null });
    expect(keysetPage(rows(3), 2)).toEqual({ page: rows(3), nextCursor: null });
    expect(keysetPage([], 5)).toEqual({ page: [], nextCursor: null });
  });
});
