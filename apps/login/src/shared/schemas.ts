import { z } from 'zod';

export const noContent = z.null().describe('No content');

export const userView = z.object({
  id: z.string(),
  username: z.string(),
  roles: z.array(z.enum(['user', 'moderator', 'admin'])),
  two_factor_enabled: z.boolean(),
  created_at: z.iso.datetime(),
});

/** A TOTP or recovery code as typed by a person. */
export const codeField = z.string().min(1).max(64).describe('A 6-digit code of your authenticator app, or one of your recovery codes');
