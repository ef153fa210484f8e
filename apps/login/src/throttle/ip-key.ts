import { isIPv4, isIPv6 } from 'node:net';

/**
 * The key an address is throttled under. IPv4 (also IPv4-mapped IPv6) as is; IPv6 by its /64,
 * because one client usually owns a whole /64 and could otherwise rotate addresses freely.
 */
export function ipThrottleKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return mapped[1];
  if (isIPv4(ip)) return ip;
  if (isIPv6(ip)) return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
  return ip.slice(0, 64);
}

function expandIPv6(ip: string): string[] {
  const address = (ip.split('%')[0] ?? ip).toLowerCase();
  const [head, tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.replace(/^0+(?=.)/, ''));
}
