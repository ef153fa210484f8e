import type { Queryable } from '@pupero/db';

export type AdminAction = 'retry' | 'fail';

/** An operator's retry or fail of a withdrawal, as the audit list shows it. */
export interface AdminActionRecord {
  id: string;
  withdrawalId: string;
  action: AdminAction;
  actorId: string;
  reason: string;
  statusBefore: string;
  outcome: string;
  createdAt: Date;
}

interface AdminActionRecordRow {
  id: bigint | string;
  withdrawal_id: string;
  action: AdminAction;
  actor_id: string;
  reason: string;
  status_before: string;
  outcome: string;
  created_at: Date | string;
}

const adminActionRecordFromRow = (r: AdminActionRecordRow): AdminActionRecord => ({
  id: String(r.id),
  withdrawalId: r.withdrawal_id,
  action: r.action,
  actorId: r.actor_id,
  reason: r.reason,
  statusBefore: r.status_before,
  outcome: r.outcome,
  createdAt: new Date(r.created_at),
});

export async function insertAdminAction(q: Queryable, a: Omit<AdminActionRecord, 'id' | 'createdAt'>): Promise<void> {
  await q.query(
    `INSERT INTO wallet.withdrawal_admin_actions (withdrawal_id, action, actor_id, reason, status_before, outcome)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [a.withdrawalId, a.action, a.actorId, a.reason, a.statusBefore, a.outcome],
  );
}

/** Newest first, of one withdrawal or of all. */
export async function listAdminActions(q: Queryable, limit: number, withdrawalId?: string): Promise<AdminActionRecord[]> {
  const { rows } = await q.query<AdminActionRecordRow>(
    `SELECT id, withdrawal_id, action, actor_id, reason, status_before, outcome, created_at FROM wallet.withdrawal_admin_actions
     WHERE ($1::text IS NULL OR withdrawal_id = $1) ORDER BY id DESC LIMIT $2`,
    [withdrawalId ?? null, limit],
  );
  return rows.map(adminActionRecordFromRow);
}
