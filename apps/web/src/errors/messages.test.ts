import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/error';
import { errorMessage, splitErrors, validationIssues } from './messages';

describe('error messages', () => {
  it('maps known codes to plain words', () => {
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'Invalid username or password.'))).toBe('Wrong username or password.');
    expect(errorMessage(new ApiError(409, 'own_offer', 'x'))).toBe('You cannot trade with your own offer.');
    expect(errorMessage(new ApiError(0, 'network_error', ''))).toMatch(/Cannot reach Pupero/);
  });

  it('says a dependency outage is brief', () => {
    expect(
      errorMessage(
        new ApiError(503, 'dependency_unavailable', 'The database is unavailable right now; try again shortly.', {
          dependency: 'database',
        }),
      ),
    ).toMatch(/briefly unavailable.*try again/);
  });

  it("falls back to the server's sentence for unknown codes, then to the status", () => {
    expect(errorMessage(new ApiError(409, 'brand_new_code', 'The server says why.'))).toBe('The server says why.');
    expect(errorMessage(new ApiError(503, 'brand_new_code', ''))).toMatch(/our side/);
  });

  it('adds the wait time to rate limits and the available amount to insufficient funds', () => {
    expect(errorMessage(new ApiError(429, 'rate_limited', 'x', undefined, 30))).toBe('Too many attempts. Please wait 30 s and try again.');
    expect(errorMessage(new ApiError(409, 'insufficient_funds', 'x', { available: '0.5' }))).toBe(
      'Not enough available balance for this. Available: 0.5 XMR.',
    );
  });

  it('reads details.issues of a validation error', () => {
    const error = new ApiError(400, 'validation_failed', 'body.min_amount: too small', {
      issues: [
        { path: 'body.min_amount', message: 'must be greater than zero' },
        { path: 'body', message: 'Unrecognized key: colour' },
      ],
    });
    expect(validationIssues(error)).toEqual([
      { field: 'min_amount', message: 'must be greater than zero' },
      { field: '', message: 'Unrecognized key: colour' },
    ]);
    expect(splitErrors(error, ['min_amount', 'max_amount'])).toEqual({
      fields: { min_amount: 'Must be greater than zero' },
      form: 'Unrecognized key: colour',
    });
    expect(errorMessage(new ApiError(400, 'validation_failed', 'x', { issues: [{ path: 'body.amount', message: 'bad' }] }))).toBe(
      'Amount: bad',
    );
  });

  it('puts field-specific codes on their field, others at form level', () => {
    expect(splitErrors(new ApiError(409, 'username_taken', 'x'), ['username', 'password'])).toEqual({
      fields: { username: 'That username is already taken. Try another one.' },
      form: undefined,
    });
    expect(splitErrors(new ApiError(400, 'offer_not_active', 'x'), ['amount'])).toEqual({
      fields: {},
      form: 'This offer is not active any more.',
    });
    // Where the server explains more (which network an address is from), its sentence is kept.
    expect(
      splitErrors(new ApiError(400, 'invalid_address', 'This is a testnet-network address, but Pupero runs on mainnet.'), ['address'])
        .fields,
    ).toEqual({
      address: 'This is a testnet-network address, but Pupero runs on mainnet.',
    });
    expect(splitErrors(new ApiError(401, 'two_factor_required', 'x'), ['code'], { totp_code: 'code' }).fields).toEqual({
      code: 'Enter the 6-digit code from your authenticator app.',
    });
    expect(splitErrors(undefined, ['a'])).toEqual({ fields: {} });
    // details.fields names the field for errors that are not schema validation.
    expect(splitErrors(new ApiError(400, 'price_required', 'x', { fields: ['price'] }), ['price', 'min_amount']).fields).toEqual({
      price: 'A fixed-price offer needs a price.',
    });
  });
});
