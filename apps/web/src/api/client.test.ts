import { describe, expect, it } from 'vitest';
import { ApiClient } from './client';
import { ApiError } from './error';
import { MemoryStorage, SessionStore } from '../session/store';

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** A fake gateway: access tokens "a1", "a2"...; refresh tokens "r1", "r2"... rotate on use. */
function fakeGateway() {
  const state = { access: 'a1', refresh: 'r1', refreshCalls: 0, usedRefresh: new Set<string>() };
  const fetchImpl = async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname;
    const auth = (init?.headers as Record<string, string>)?.authorization;
    if (path === '/auth/refresh') {
      state.refreshCalls++;
      const { refresh_token } = JSON.parse(init?.body as string);
      await new Promise((r) => setTimeout(r, 5));
      if (refresh_token !== state.refresh || state.usedRefresh.has(refresh_token)) {
        return json(401, { error: { code: 'invalid_refresh_token', message: 'reused' } });
      }
      state.usedRefresh.add(refresh_token);
      const n = state.refreshCalls + 1;
      state.access = `a${n}`;
      state.refresh = `r${n}`;
      return json(200, { access_token: state.access, refresh_token: state.refresh, expires_in: 900 });
    }
    if (auth !== `Bearer ${state.access}`) return json(401, { error: { code: 'invalid_token', message: 'expired' } });
    if (path === '/nothing') return new Response(null, { status: 204 });
    if (path === '/broken')
      return json(409, { error: { code: 'insufficient_funds', message: 'Not enough.', details: { available: '1' } } });
    return json(200, { ok: true, path });
  };
  return { state, fetchImpl };
}

function setup(expiresInMs = 600_000) {
  const gateway = fakeGateway();
  const store = new SessionStore(new MemoryStorage());
  store.set({ accessToken: 'stale', refreshToken: 'r1', expiresAt: Date.now() + expiresInMs, user: { id: 'u1', username: 'alice' } });
  const client = new ApiClient('http://gw.test', store, gateway.fetchImpl, undefined);
  return { ...gateway, store, client };
}

describe('ApiClient', () => {
  it('refreshes once for many concurrent requests that hit invalid_token, then retries each', async () => {
    const { client, state, store } = setup();
    const results = await Promise.all([client.get('/x'), client.get('/y'), client.get('/z')]);
    expect(results.map((r: any) => r.path)).toEqual(['/x', '/y', '/z']);
    expect(state.refreshCalls).toBe(1);
    expect(store.get()).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
  });

  it('refreshes before sending when the access token is about to expire', async () => {
    const { client, state } = setup(1_000);
    await client.get('/x');
    expect(state.refreshCalls).toBe(1);
  });

  it('ends the session when the refresh token is refused', async () => {
    const { client, state, store } = setup();
    state.refresh = 'somebody-else';
    await expect(client.get('/x')).rejects.toMatchObject({ status: 401, code: 'session_expired' });
    expect(store.get()).toBeNull();
    expect(store.lastEnd).toBe('expired');
  });

  it('turns error answers into ApiErrors with code and details; 204 gives undefined', async () => {
    const { client, state } = setup();
    state.access = 'stale';
    await expect(client.post('/broken', {})).rejects.toEqual(new ApiError(409, 'insufficient_funds', 'Not enough.', { available: '1' }));
    await expect(client.delete('/nothing')).resolves.toBeUndefined();
  });

  it('reports a network failure as network_error', async () => {
    const store = new SessionStore(new MemoryStorage());
    const client = new ApiClient('http://gw.test', store, async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(client.get('/offers', { auth: 'none' })).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('builds URLs with the query, leaving out empty values', () => {
    const { client } = setup();
    expect(client.url('/offers', { side: 'sell', currency: '', amount: undefined, limit: 20 })).toBe(
      'http://gw.test/offers?side=sell&limit=20',
    );
  });
});
