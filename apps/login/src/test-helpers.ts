import { execFileSync } from 'node:child_process';
import type { TestStack } from '@pupero/stack/testing';

/** The current TOTP code from Debian's oathtool (independent of our implementation). */
export function oathtool(secret: string, offsetSeconds = 0): string {
  const args = ['--totp', '-b'];
  if (offsetSeconds) args.push('-N', `@${Math.floor(Date.now() / 1000) + offsetSeconds}`);
  return execFileSync('oathtool', [...args, secret], { encoding: 'utf8' }).trim();
}

/**
 * Waits until the next TOTP step starts, so a test that needs two fresh codes gets a new one
 * (each step's code is accepted once).
 */
export async function nextTotpStep(): Promise<void> {
  const ms = 30_000 - (Date.now() % 30_000) + 50;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export function jwtParts(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  const [h, p] = token.split('.');
  if (h === undefined || p === undefined) throw new Error(`not a JWT: ${token.slice(0, 20)}…`);
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), payload: JSON.parse(Buffer.from(p, 'base64url').toString()) };
}

let counter = 0;
/** A fresh valid username (3–32 characters). */
export function uniqueName(prefix = 'u'): string {
  return `${prefix}_${process.pid % 100000}_${++counter}_${Math.random().toString(36).slice(2, 6)}`.slice(0, 32);
}

export const strongPassword = () => `pw-${Math.random().toString(36).slice(2)}-Strong!`;

/** Calls the login service directly (not through the gateway), e.g. internal routes or a chosen client address. */
export async function direct(stack: TestStack, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.common.urls.login}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

export async function registerAndLogin(stack: TestStack, username = uniqueName(), password = strongPassword()) {
  const reg = await stack.request('POST', '/auth/register', { username, password });
  if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await stack.request('POST', '/auth/login', { username, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    id: reg.body.user.id as string,
    username,
    password,
    token: login.body.access_token as string,
    refreshToken: login.body.refresh_token as string,
  };
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const [low, high] = [sorted[sorted.length % 2 ? mid : mid - 1], sorted[mid]];
  if (low === undefined || high === undefined) throw new Error('the median of nothing');
  return (low + high) / 2;
};
