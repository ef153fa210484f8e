/**
 * Measures what the README reports: raw argon2id hash/verify, and register / login /
 * unknown-user / wrong-password latencies through the gateway (medians of N, interleaved).
 * Run: npx tsx apps/login/scripts/measure-timing.ts [N=20]
 */
import { hashPassword, verifyPassword } from '../src/accounts/password-hashing.js';
import { startTestStack } from '@pupero/stack/testing';
import { median, strongPassword, uniqueName } from '../src/test-helpers.js';

const n = Number(process.argv[2] ?? 20);
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};
const fmt = (values: number[]) =>
  `median ${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;

const hashes: number[] = [];
const verifies: number[] = [];
let stored = '';
for (let i = 0; i < n; i++) {
  hashes.push(await time(async () => (stored = await hashPassword('correct horse battery staple'))));
  verifies.push(await time(() => verifyPassword(stored, 'correct horse battery staple')));
}
console.log(`argon2id hash   ${fmt(hashes)}`);
console.log(`argon2id verify ${fmt(verifies)}`);

const stack = await startTestStack({
  services: ['login'],
  env: {
    LOGIN_THROTTLE_ACCOUNT_MAX_FAILURES: '1000',
    LOGIN_THROTTLE_ACCOUNT_DELAY_AFTER_FAILURES: '1000',
    LOGIN_THROTTLE_IP_MAX_FAILURES: '1000000',
  },
});
try {
  const username = uniqueName('timing');
  const password = strongPassword();
  await stack.request('POST', '/auth/register', { username, password });
  const samples = { register: [] as number[], login: [] as number[], unknownUser: [] as number[], wrongPassword: [] as number[] };
  for (let i = 0; i < n; i++) {
    samples.register.push(
      await time(() => stack.request('POST', '/auth/register', { username: uniqueName('timing'), password: strongPassword() })),
    );
    samples.login.push(await time(() => stack.request('POST', '/auth/login', { username, password })));
    samples.unknownUser.push(
      await time(() => stack.request('POST', '/auth/login', { username: uniqueName('nobody'), password: 'wrong-password-1' })),
    );
    samples.wrongPassword.push(await time(() => stack.request('POST', '/auth/login', { username, password: 'wrong-password-1' })));
  }
  for (const [name, values] of Object.entries(samples)) console.log(`${name.padEnd(14)} ${fmt(values)}`);
  const diff = median(samples.unknownUser) - median(samples.wrongPassword);
  const paired = median(samples.unknownUser.map((u, i) => u - (samples.wrongPassword[i] ?? Number.NaN)));
  console.log(`unknown-user minus wrong-password: medians ${diff.toFixed(2)} ms, median of paired differences ${paired.toFixed(2)} ms`);
} finally {
  await stack.close();
}
