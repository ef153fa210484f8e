import { describe, expect, it } from 'vitest';
import { checkUsername } from './username.js';

describe('checkUsername', () => {
  it('accepts 3–32 letters, digits, _ . -', () => {
    for (const name of ['abc', 'Alice_01', 'a.b-c', 'x'.repeat(32)]) expect(checkUsername(name)).toEqual({ ok: true });
  });

  it('refuses wrong lengths, other characters and lookalike staff names', () => {
    for (const name of ['ab', 'x'.repeat(33), 'with space', 'émile', 'a/b', 'ab\n', '']) {
      expect(checkUsername(name).ok).toBe(false);
    }
    const reserved = checkUsername('Admin');
    expect(reserved).toEqual({ ok: false, reason: expect.stringMatching(/reserved/) });
    expect(checkUsername('admin', { allowReserved: true })).toEqual({ ok: true });
  });
});
