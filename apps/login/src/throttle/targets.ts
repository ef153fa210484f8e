import type { ThrottleTarget } from './throttle.js';
import { ipThrottleKey } from './ip-key.js';

/**
 * Failed logins count against the typed username (existing or not) together with the client
 * address (that pair locks), against the address alone (a larger budget, for sprays over many
 * names) and against the username alone (that only slows down: nobody can lock an owner out).
 */
export function loginTargets(username: string, ip: string | null): ThrottleTarget[] {
  const account = username.toLowerCase();
  const targets: ThrottleTarget[] = [{ scope: 'login:account', key: account }];
  if (ip) {
    const address = ipThrottleKey(ip);
    // An address key never holds "|", so the key splits unambiguously at its last "|".
    targets.push({ scope: 'login:account-ip', key: `${account}|${address}` }, { scope: 'login:ip', key: address });
  }
  return targets;
}

/** Wrong 2FA codes count against the account and, for public requests, the client address. */
export function twoFactorTargets(userId: string, ip: string | null): ThrottleTarget[] {
  const targets: ThrottleTarget[] = [{ scope: '2fa:account', key: userId }];
  if (ip) targets.push({ scope: '2fa:ip', key: ipThrottleKey(ip) });
  return targets;
}

/** Every registration counts against the client address. */
export function registrationTargets(ip: string): ThrottleTarget[] {
  return [{ scope: 'register:ip', key: ipThrottleKey(ip) }];
}
