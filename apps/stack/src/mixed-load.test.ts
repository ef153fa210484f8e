import { describe, expect, it } from 'vitest';
import { KIND_WEIGHTS, median, mixedLoadPlan, percentile, pickKind, type Kind } from './mixed-load.js';

describe('mixed-load plan', () => {
  it('holds each kind as often as its weight, spread over the cycle', () => {
    const plan = mixedLoadPlan();
    const total = Object.values(KIND_WEIGHTS).reduce((a, b) => a + b, 0);
    expect(plan).toHaveLength(total);
    for (const [kind, weight] of Object.entries(KIND_WEIGHTS)) expect(plan.filter((k) => k === kind)).toHaveLength(weight);
    // No kind comes in a run of more than two (a cycle sorted by kind would have runs of 12).
    let run = 1;
    for (let i = 1; i < plan.length; i++) {
      run = plan[i] === plan[i - 1] ? run + 1 : 1;
      expect(run, `${plan[i]} at ${i}`).toBeLessThanOrEqual(2);
    }
  });

  it('finds a stride coprime with any cycle length (here 74 = 2 x 37)', () => {
    const weights = Object.fromEntries(Object.keys(KIND_WEIGHTS).map((k) => [k, 0])) as Record<Kind, number>;
    weights.offers_list = 37;
    weights.withdrawal = 37;
    const plan = mixedLoadPlan(weights);
    expect(plan).toHaveLength(74);
    expect(plan.filter((k) => k === 'withdrawal')).toHaveLength(37);
    expect(plan.slice(0, 4)).not.toEqual(['offers_list', 'offers_list', 'offers_list', 'offers_list']);
  });

  it('repeats the plan', () => {
    const plan = mixedLoadPlan();
    expect(pickKind(plan, plan.length + 3)).toBe(plan[3]);
  });
});

describe('percentile', () => {
  it('is the nearest rank of unsorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([], 0.5)).toBe(0);
    expect(median([3, 1, 2])).toBe(2);
  });
});
