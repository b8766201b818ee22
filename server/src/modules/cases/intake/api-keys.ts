/**
 * API keys of machine intake (Open311 clients, camera detectors). Only a key's SHA-256 is stored: the key itself is
 * shown once, when it is issued. A key is of one kind and bounded to a jurisdiction (a territory node): what it
 * files must lie inside it. Its public id is the first 12 hex digits of the hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { AuthContext, RequestMeta } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { recordAudit } from '../../../platform/audit.js';
import { AppError, invalid, notFound } from '../../../platform/errors.js';
import { territoryPathInScope } from '../../../platform/scope.js';
import * as repo from './intake.repository.js';
import type { ApiKeyItemT, IssuedApiKeyT, IssueApiKeyBodyT } from './intake.schema.js';

export type ApiKeyKind = 'open311' | 'camera';

export interface ApiKeyHolder {
  name: string;
  kind: ApiKeyKind;
  jurisdictionCode: string;
  jurisdictionPath: string;
}

const KIND_NAMES: Record<ApiKeyKind, string> = { open311: 'Open311', camera: '视频智能识别' };
const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
const ID_LENGTH = 12;

/**
 * The holder of `key` for intake of `kind`, or 403 (missing, unknown, revoked, or a key of the other kind: the
 * answer does not tell which, so keys cannot be probed).
 */
export async function requireApiKey(db: Kysely<DB> | Transaction<DB>, key: string | null | undefined, kind: ApiKeyKind): Promise<ApiKeyHolder> {
  const field = kind === 'open311' ? 'api_key' : 'X-Api-Key';
  if (!key || !key.trim()) {
    throw new AppError('FORBIDDEN', `${field}: 缺少接入密钥`, { field, en: `${field}: an API key is required` });
  }
  const row = await repo.liveKey(db, sha256(key.trim()));
  if (!row || row.kind !== kind) {
    throw new AppError('FORBIDDEN', `${field}: 接入密钥无效或已停用（需要${KIND_NAMES[kind]}密钥）`,
      { field, en: `${field}: invalid or revoked ${kind} API key` });
  }
  return { name: row.name, kind: row.kind, jurisdictionCode: row.jurisdiction_code, jurisdictionPath: row.path };
}

function presentKey(k: repo.ApiKeyRow): ApiKeyItemT {
  return { id: k.key_hash.slice(0, ID_LENGTH), kind: k.kind, kindName: KIND_NAMES[k.kind], name: k.name,
    jurisdictionCode: k.jurisdiction_code, jurisdictionName: k.jurisdiction_name,
    createdAt: new Date(k.created_at).toISOString(), revokedAt: k.revoked_at ? new Date(k.revoked_at).toISOString() : null };
}

/** The keys whose jurisdiction lies in the caller's scope. */
export async function listApiKeys(db: Kysely<DB>, auth: AuthContext): Promise<ApiKeyItemT[]> {
  return (await repo.listKeys(db, auth)).map(presentKey);
}

/** Issues a key for a jurisdiction in the caller's scope; the key is in this answer only. */
export async function issueApiKey(db: Kysely<DB>, auth: AuthContext, body: IssueApiKeyBodyT, meta: RequestMeta): Promise<IssuedApiKeyT> {
  const name = body.name.trim();
  if ([...name].length < 2) throw invalid('name', '请填写用途或对接方名称（至少 2 个字）', 'at least 2 characters');
  const area = await repo.findNode(db, body.jurisdictionCode);
  if (!area || !territoryPathInScope(auth, area.path)) throw notFound('辖区', 'jurisdiction', 'jurisdictionCode');
  if (!['district', 'street', 'community', 'grid', 'micro_grid'].includes(area.kind)) {
    throw invalid('jurisdictionCode', '辖区须是区、街道、社区或网格', 'a district, street, community or grid');
  }
  const key = `${body.kind === 'open311' ? 'o311' : 'cam'}_${randomBytes(24).toString('base64url')}`;
  const hash = sha256(key);
  await db.transaction().execute(async (trx) => {
    await repo.insertKey(trx, { hash, kind: body.kind, name, jurisdictionCode: area.code });
    await recordAudit(trx, auth, meta, { action: 'case.api_key.issue', targetType: 'case_api_key', targetId: hash.slice(0, ID_LENGTH),
      summary: { kind: body.kind, name, jurisdictionCode: area.code } });
  });
  const [row] = await repo.findKey(db, auth, hash.slice(0, ID_LENGTH));
  return { ...presentKey(row!), key };
}

/** Revokes a key (by its id) in the caller's scope; from then on it is refused with 403. */
export async function revokeApiKey(db: Kysely<DB>, auth: AuthContext, id: string, meta: RequestMeta): Promise<ApiKeyItemT> {
  const found = /^[0-9a-f]{12}$/.test(id) ? await repo.findKey(db, auth, id) : [];
  if (found.length !== 1) throw notFound('接入密钥', 'API key', 'id');
  const key = found[0]!;
  await db.transaction().execute(async (trx) => {
    await repo.revokeKey(trx, key.key_hash);
    await recordAudit(trx, auth, meta, { action: 'case.api_key.revoke', targetType: 'case_api_key', targetId: id, summary: { name: key.name, kind: key.kind } });
  });
  return presentKey((await repo.findKey(db, auth, id))[0]!);
}
