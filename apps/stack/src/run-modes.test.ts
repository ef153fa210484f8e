import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createThrowawayPostgres } from '@pupero/db/testing';
import { freePort } from './testing.js';
import { spawnStack, waitForOk, type StackProcess } from './processes.js';

const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function ports() {
  return {
    GATEWAY_PORT: String(await freePort()),
    LOGIN_PORT: String(await freePort()),
    OFFERS_PORT: String(await freePort()),
    TRANSACTIONS_PORT: String(await freePort()),
    WALLET_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
  };
}

async function exercise(gateway: string) {
  const username = `mode_${randomBytes(3).toString('hex')}`;
  const password = 'correct horse battery staple';
  const reg = await fetch(`${gateway}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(reg.status).toBe(201);
  const login = await fetch(`${gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  expect(login.status).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };
  const balance = await fetch(`${gateway}/balance`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(balance.status).toBe(200);
  expect(await balance.json()).toMatchObject({ available: '0', held: '0' });
  const offers = await fetch(`${gateway}/offers`);
  expect(offers.status).toBe(200);
}

describe('run modes', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  });

  it('runs every service in one process on the embedded PGlite and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pupero-mode-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const p = await ports();
    const stack = spawnStack(['login', 'offers', 'transactions', 'wallet-manager', 'gateway'], {
      ...p,
      DATA_DIR: dataDir,
      MONERO_MODE: 'disabled',
      LOG_LEVEL: 'info',
    });
    cleanups.push(() => stack.stop('SIGKILL'));
    const gateway = `http://127.0.0.1:${p.GATEWAY_PORT}`;
    const ms = await waitForOk(`${gateway}/readyz`, 60_000, stack.output);
    expect(ms).toBeLessThan(60_000);
    await exercise(gateway);
    expect(await stack.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(stack.output()).toMatch(/stopped cleanly/);
  });

  it('runs one service per process against PostgreSQL with a shared service token', async () => {
    const database = await createThrowawayPostgres(PG_URL, 'pupero_modes');
    cleanups.push(() => database.drop());
    const p = await ports();
    const env = {
      ...p,
      DATABASE_URL: database.url,
      SERVICE_TOKEN: randomBytes(24).toString('hex'),
      MONERO_MODE: 'disabled',
      LOG_LEVEL: 'warn',
    };
    const procs: StackProcess[] = ['login', 'offers', 'transactions', 'wallet-manager', 'gateway'].map((part) => spawnStack([part], env));
    for (const proc of procs) cleanups.push(() => proc.stop('SIGKILL'));
    const gateway = `http://127.0.0.1:${p.GATEWAY_PORT}`;
    await waitForOk(`${gateway}/readyz`, 90_000, () => procs.map((x) => x.output()).join('\n'));
    await exercise(gateway);
    const codes = await Promise.all(procs.map((proc) => proc.stop('SIGTERM')));
    expect(codes).toEqual(Array(5).fill({ code: 0, signal: null }));
  });

  it('refuses to split services without PostgreSQL, naming the variable', async () => {
    const proc = spawnStack(['offers'], { SERVICE_TOKEN: 'x'.repeat(32) });
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toMatch(/DATABASE_URL: one service per process needs a PostgreSQL server/);
  });

  it('refuses a bad variable at start-up with a message naming it', async () => {
    const proc = spawnStack(['all'], { GATEWAY_PORT: 'eighty' });
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toMatch(/GATEWAY_PORT: .*got "eighty"/);
  });
});
