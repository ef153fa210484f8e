import { describe, expect, it } from 'vitest';
import { ipThrottleKey } from './ip-key.js';

describe('ipThrottleKey', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(ipThrottleKey('203.0.113.7')).toBe('203.0.113.7');
    expect(ipThrottleKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('groups IPv6 by /64 whatever the notation', () => {
    const a = ipThrottleKey('2001:db8:85a3:0042:1000:8a2e:0370:7334');
    expect(a).toBe('2001:db8:85a3:42::/64');
    expect(ipThrottleKey('2001:0db8:85a3:42::1')).toBe(a);
    expect(ipThrottleKey('2001:db8:85a3:43::1')).not.toBe(a);
    expect(ipThrottleKey('::1')).toBe('0:0:0:0::/64');
  });
});
