import { describe, expect, it } from 'vitest';
import { checkAddress } from './address';

const standard = `4${'A'.repeat(94)}`;

describe('checkAddress', () => {
  it('accepts a 95-character base58 address of the right network', () => {
    expect(checkAddress(` ${standard} `, 'regtest')).toEqual({ ok: true, address: standard });
    expect(checkAddress(`8${'b'.repeat(94)}`, 'mainnet')).toMatchObject({ ok: true });
  });
  it('refuses typos, integrated addresses and other networks', () => {
    expect(checkAddress('', 'regtest')).toMatchObject({ ok: false });
    expect(checkAddress(`4${'0'.repeat(94)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/no 0/) });
    expect(checkAddress(`4${'A'.repeat(105)}`)).toMatchObject({ ok: false, message: expect.stringMatching(/Integrated/) });
    expect(checkAddress(standard.slice(0, 90))).toMatchObject({ ok: false, message: expect.stringMatching(/95 characters/) });
    expect(checkAddress(standard, 'testnet')).toMatchObject({ ok: false, message: 'This does not look like a testnet address.' });
  });
});
