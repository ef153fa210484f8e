import { describe, expect, it } from 'vitest';
import { AppError } from '@pupero/http';
import { RequestDeadline } from './deadline.js';

const never = () => new Promise<never>(() => undefined);

describe('RequestDeadline', () => {
  it('passes a call that finishes in time through', async () => {
    const d = new RequestDeadline(1000);
    expect(await d.step('wallet', Promise.resolve(42))).toBe(42);
    expect(() => d.commit('wallet')).not.toThrow();
  });

  it('answers 503 dependency_unavailable naming the dependency when a call outlives the budget', async () => {
    const d = new RequestDeadline(30);
    const t0 = Date.now();
    const err = (await d.step('daemon', never()).catch((e: unknown) => e)) as AppError;
    expect(Date.now() - t0).toBeLessThan(500);
    expect(err).toBeInstanceOf(AppError);
    expect(err.toBody()).toMatchObject({ error: { code: 'dependency_unavailable', details: { dependency: 'daemon' } } });
    expect([err.statusCode, err.headers?.['retry-after']]).toEqual([503, '2']);
  });

  it('shares one budget between the calls of a request, and commit() refuses once it is spent', async () => {
    let now = 0;
    const d = new RequestDeadline(100, () => now);
    await d.step('wallet', Promise.resolve());
    now = 100;
    await expect(d.step('wallet', Promise.resolve())).rejects.toMatchObject({ statusCode: 503 });
    expect(() => d.commit('wallet')).toThrow(/wallet is unavailable/);
  });

  it('does not turn a late failure of an abandoned call into an unhandled rejection', async () => {
    const d = new RequestDeadline(10);
    const late = new Promise((_, reject) => setTimeout(() => reject(new Error('late')), 30));
    await expect(d.step('wallet', late)).rejects.toMatchObject({ statusCode: 503 });
    await new Promise((r) => setTimeout(r, 50));
  });
});

describe('RequestDeadline.unlimited', () => {
  it('never expires', async () => {
    const d = RequestDeadline.unlimited();
    expect(await d.step('wallet', new Promise((r) => setTimeout(() => r('late'), 20)))).toBe('late');
    expect(() => d.commit('wallet')).not.toThrow();
  });
});
