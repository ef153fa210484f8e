import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/error';
import { looksLikeCode, secondFactorError, secondFactorFields } from './secondFactor';

describe('second factor fields', () => {
  it('sends digits as totp_code, anything else as recovery_code, nothing when empty', () => {
    expect(secondFactorFields(' 123 456 ')).toEqual({ totp_code: '123456' });
    expect(secondFactorFields('7k2m-9qxd-c4vt-h81p')).toEqual({ recovery_code: '7k2m-9qxd-c4vt-h81p' });
    expect(secondFactorFields('   ')).toEqual({});
    expect(looksLikeCode('123456')).toBe(true);
    expect(looksLikeCode('12345')).toBe(false);
    expect(looksLikeCode('7k2m9qxdc4vth81p')).toBe(true);
    expect(looksLikeCode('7k2m')).toBe(false);
  });

  it('tells a wrong or reused code from a missing one', () => {
    expect(secondFactorError(new ApiError(401, 'two_factor_required', 'x', { reason: 'invalid_code' }))).toMatch(
      /not valid.*wait for the next one/,
    );
    expect(secondFactorError(new ApiError(401, 'two_factor_required', 'x', { reason: 'missing_code' }))).toBe(
      'Enter the 6-digit code from your authenticator app.',
    );
  });
});
