import type { LoginContext } from './context.js';
import { deleteEventsOlderThan } from './audit/audit-store.js';
import { sweepSessions } from './sessions/sessions-store.js';

export const MAINTENANCE_INTERVAL_MS = 3_600_000;

/** Hourly: rotate the signing key when due, forget ended sessions, idle throttle counters and old events. */
export async function runMaintenance(ctx: LoginContext): Promise<void> {
  await ctx.keys.init();
  const sessions = await sweepSessions(ctx.db);
  const counters = await ctx.throttle.sweep();
  const events = ctx.config.AUDIT_RETENTION_DAYS > 0 ? await deleteEventsOlderThan(ctx.db, ctx.config.AUDIT_RETENTION_DAYS) : 0;
  ctx.logger.debug({ sessions, counters, events }, 'login maintenance done');
}
