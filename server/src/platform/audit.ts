/**
 * Every write leaves an audit record in the same transaction: who, when, what, which target, what changed.
 * The table is append-only (triggers; on PostgreSQL the app's role also lacks UPDATE and DELETE). Appending takes no
 * lock: the sequencer in `audit-chain.ts` seals committed records into a keyed chain afterwards.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/tables.js';
import type { AuthContext, RequestMeta } from './context.js';

export interface AuditEntry {
  action: string;
  targetType?: string;
  targetId?: string | number;
  summary?: Record<string, unknown>;
}

export async function recordAudit(
  trx: Kysely<DB> | Transaction<DB>,
  actor: Pick<AuthContext, 'userId' | 'username'> | null,
  meta: RequestMeta | null,
  entry: AuditEntry,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      actor_id: actor?.userId ?? null,
      actor_username: actor?.username ?? null,
      action: entry.action,
      target_type: entry.targetType ?? null,
      target_id: entry.targetId === undefined ? null : String(entry.targetId),
      summary: entry.summary ?? {},
      ip: meta?.ip ?? null,
      request_id: meta?.requestId ?? null,
    })
    .execute();
}

/** What changed between two versions of a record, for the audit summary (`{field: [before, after]}`). */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(value)) changes[key] = [before[key] ?? null, value];
  }
  return changes;
}
