import type { ThrottleTarget } from './throttle.js';
import { ipThrottleKey } from './ip-key.js';

/** Failed logins count against the typed username (existing or not) and the client address. */
export function loginTargets(username: string, ip: string | null): ThrottleTarget[] {
  const targets: ThrottleTarget[] = [{ scope: 'login:account', key: username.toLowerCase() }];
  if (ip) targets.push({ scope: 'login:ip', key: ipThrottleKey(ip) });
  return targets;
}

/** Wrong 2FA codes count against the account and, for public requests, the client address. */
export function twoFactorTargets(userId: string, ip: string | null): ThrottleTarget[] {
  const targets: ThrottleTarget[] = [{ scope: '2fa:account', key: userId }];
  if (ip) targets.push({ scope: '2fa:ip', key: ipThrottleKey(ip) });
  return targets;
}
