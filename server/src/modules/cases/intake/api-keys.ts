/**
 * API keys of machine intake (Open311 clients, camera detectors). Only a key's SHA-256 is stored; a key is of one
 * kind and bounded to a jurisdiction (a territory node): what it files must lie inside it.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../../platform/db/tables.js';
import { AppError } from '../../../platform/errors.js';

export type ApiKeyKind = 'open311' | 'camera';

export interface ApiKeyHolder {
  name: string;
  kind: ApiKeyKind;
  jurisdictionCode: string;
  jurisdictionPath: string;
}

const KIND_NAMES: Record<ApiKeyKind, string> = { open311: 'Open311', camera: '视频智能识别' };

/**
 * The holder of `key` for intake of `kind`, or 403 (missing, unknown, revoked, or a key of the other kind: the
 * answer does not tell which, so keys cannot be probed).
 */
export async function requireApiKey(db: Kysely<DB> | Transaction<DB>, key: string | null | undefined, kind: ApiKeyKind): Promise<ApiKeyHolder> {
  const field = kind === 'open311' ? 'api_key' : 'X-Api-Key';
  if (!key || !key.trim()) {
    throw new AppError('FORBIDDEN', `${field}: 缺少接入密钥`, { field, en: `${field}: an API key is required` });
  }
  const hash = createHash('sha256').update(key.trim()).digest('hex');
  const { rows } = await sql<{ name: string; kind: ApiKeyKind; jurisdiction_code: string; path: string }>`
    select k.name, k.kind, k.jurisdiction_code, t.path::text as path
    from case_api_key k join territory_node t on t.code = k.jurisdiction_code
    where k.key_hash = ${hash} and k.revoked_at is null`.execute(db);
  const row = rows[0];
  if (!row || row.kind !== kind) {
    throw new AppError('FORBIDDEN', `${field}: 接入密钥无效或已停用（需要${KIND_NAMES[kind]}密钥）`,
      { field, en: `${field}: invalid or revoked ${kind} API key` });
  }
  return { name: row.name, kind: row.kind, jurisdictionCode: row.jurisdiction_code, jurisdictionPath: row.path };
}
