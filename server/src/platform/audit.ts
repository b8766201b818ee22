/**
 * Every write leaves an audit record in the same transaction: who, when, what, which target, what changed.
 * The table is append-only and hash-chained by the database itself (see the platform migration).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
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

export interface ChainReport { records: number; ok: boolean; firstBadSeq: number | null; reason: string | null }

/** Recomputes every digest and link of the chain in order; reports the first break. */
export async function verifyAuditChain(db: Kysely<DB>, batch = 5000): Promise<ChainReport> {
  let prevHash = '0'.repeat(64);
  let expectSeq = 1;
  let records = 0;
  for (;;) {
    const rows = await sql<{ seq: number; prev_hash: string; hash: string; digest: string }>`
      select a.seq, a.prev_hash, a.hash, audit_log_digest(a) as digest
      from audit_log a where a.seq >= ${expectSeq} order by a.seq limit ${batch}`.execute(db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) {
      if (r.seq !== expectSeq) return { records, ok: false, firstBadSeq: expectSeq, reason: `record ${expectSeq} is missing` };
      if (r.prev_hash !== prevHash) return { records, ok: false, firstBadSeq: r.seq, reason: 'link to the previous record is broken' };
      if (r.digest !== r.hash) return { records, ok: false, firstBadSeq: r.seq, reason: 'record content does not match its hash' };
      prevHash = r.hash;
      expectSeq += 1;
      records += 1;
    }
  }
  return { records, ok: true, firstBadSeq: null, reason: null };
}
