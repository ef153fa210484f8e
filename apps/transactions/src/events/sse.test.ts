import { describe, expect, it } from 'vitest';
import { lastEventId, tokenExpiry } from './sse.js';

const jwt = (payload: object) => `h.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.s`;

describe('sse helpers', () => {
  it("reads the access token's expiry from the header or the query", () => {
    expect(tokenExpiry({ headers: { authorization: `Bearer ${jwt({ exp: 1700000000 })}` }, query: {} })).toBe(1_700_000_000_000);
    expect(tokenExpiry({ headers: {}, query: { access_token: jwt({ exp: 5 }) } })).toBe(5000);
    expect(tokenExpiry({ headers: {}, query: {} })).toBeUndefined();
    expect(tokenExpiry({ headers: { authorization: 'Bearer garbage' }, query: {} })).toBeUndefined();
  });

  it('takes Last-Event-ID from the header first, then the query, digits only', () => {
    const request = (header?: string) => ({ headers: header === undefined ? {} : { 'last-event-id': header } }) as never;
    expect(lastEventId(request('42'), '7')).toBe(42n);
    expect(lastEventId(request(), '7')).toBe(7n);
    expect(lastEventId(request('x1'))).toBeUndefined();
    expect(lastEventId(request())).toBeUndefined();
  });
});
