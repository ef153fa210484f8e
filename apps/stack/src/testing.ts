import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { commonConfigSchema, loadConfig, resolveCommonConfig, type CommonConfig } from '@pupero/config';
import type { Db } from '@pupero/db';
import { createTestDb } from '@pupero/db/testing';
import { freePort } from '@pupero/ports';
import { createLogger } from '@pupero/http';
import { startStack, randomServiceToken, type RunningStack } from './stack.js';
import type { BackendService } from './registry.js';

export { spawnScript, spawnStack, waitForOk, type ProcessExit, type StackProcess } from './processes.js';

export interface TestStackOptions {
  /** Backend services to run (the gateway always runs in front). Default: all four. */
  services?: BackendService[];
  /** Extra environment for the services' own config (e.g. PLATFORM_FEE_PERCENT). */
  env?: Record<string, string>;
  /** Collect every log line (to check that nothing secret is logged). */
  captureLogs?: boolean;
  /** Reuse a database (e.g. to restart a service on the same data). */
  db?: Db;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Raw body string (sent as-is, for malformed-JSON tests). */
  raw?: string;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  token: string;
  refreshToken: string;
}

export interface TestStack {
  /** The gateway's base URL: tests talk to the public API through it. */
  url: string;
  common: CommonConfig;
  db: Db;
  running: RunningStack;
  logs: string[];
  request<T = any>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Registers and logs in a fresh user (needs the login service). */
  newUser(prefix?: string): Promise<TestUser>;
  /** Grants a role directly in the login schema, then logs in again so the token carries it. */
  grantRole(user: TestUser, role: 'admin' | 'moderator'): Promise<TestUser>;
  close(): Promise<void>;
}

export { freePort };

let userCounter = 0;

/** Runs real services (real database, real HTTP) behind a real gateway on free loopback ports. */
export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const services = options.services ?? ['login', 'offers', 'transactions', 'wallet-manager'];
  const ownDb = !options.db;
  const db = options.db ?? (await createTestDb());
  const dataDir = await mkdtemp(join(tmpdir(), 'pupero-stack-'));
  const ports = {
    GATEWAY_PORT: await freePort(),
    LOGIN_PORT: await freePort(),
    OFFERS_PORT: await freePort(),
    TRANSACTIONS_PORT: await freePort(),
    WALLET_PORT: await freePort(),
    WEB_PORT: await freePort(),
  };
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    LOG_LEVEL: options.captureLogs ? 'debug' : 'warn',
    DATA_DIR: dataDir,
    RATE_LIMIT_PER_MINUTE: '100000',
    // Parallel test requests share 127.0.0.1 too; the per-address cap has its own test (gateway http-edges).
    MAX_CONNECTIONS_PER_ADDRESS: '100000',
    // Test clients all register from 127.0.0.1; the registration limit has its own test.
    LOGIN_REGISTER_IP_MAX: '1000000',
    // No Monero chain unless a test asks for one (MONERO_MODE=managed): most tests do not need it.
    MONERO_MODE: 'disabled',
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    ...options.env,
  };
  const common = resolveCommonConfig(loadConfig(commonConfigSchema, env), randomServiceToken());
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      if (options.captureLogs) logs.push(...chunk.toString().split('\n').filter(Boolean));
      else if (/"level":(50|60)/.test(chunk.toString())) process.stderr.write(chunk);
      done();
    },
  });
  const logger = createLogger({ name: 'pupero-test', level: env.LOG_LEVEL!, destination });
  let running: RunningStack;
  try {
    running = await startStack([...services, 'gateway'], common, logger, env, db);
  } catch (error) {
    if (ownDb) await db.close();
    throw error;
  }
  const url = `http://127.0.0.1:${ports.GATEWAY_PORT}`;

  async function request<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let payload: string | undefined = opts.raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
    }
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  async function login(username: string, password: string) {
    const res = await request('POST', '/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { access_token: string; refresh_token: string; user: { id: string } };
  }

  async function newUser(prefix = 'user'): Promise<TestUser> {
    const username = `${prefix}_${process.pid}_${++userCounter}_${Math.random().toString(36).slice(2, 6)}`.slice(0, 32);
    const password = `pw-${Math.random().toString(36).slice(2)}-Strong!`;
    const reg = await request<{ user: { id: string } }>('POST', '/auth/register', { username, password });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
    const session = await login(username, password);
    return { id: reg.body.user.id, username, password, token: session.access_token, refreshToken: session.refresh_token };
  }

  async function grantRole(user: TestUser, role: 'admin' | 'moderator'): Promise<TestUser> {
    const { grantRole: grant } = await import('@pupero/login');
    await grant(db, user.username, role);
    const session = await login(user.username, user.password);
    return { ...user, token: session.access_token, refreshToken: session.refresh_token };
  }

  return {
    url,
    common,
    db,
    running,
    logs,
    request,
    newUser,
    grantRole,
    async close() {
      await running.stop();
      if (ownDb) await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
