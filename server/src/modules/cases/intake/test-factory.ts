/** Test factories for machine intake: API keys written as the platform stores them, and points inside a territory node. */
import { createHash } from 'node:crypto';
import type { TestContext } from '../../../../../test/helpers.js';

export const XILING = '330108001001';
export const XILING_GRID1 = '330108001001001';

/** Stores an API key (its SHA-256, as the platform does) and returns the key itself. */
export async function makeApiKey(t: TestContext, key: string, kind: 'open311' | 'camera', jurisdictionCode = '330108', revoked = false): Promise<string> {
  await t.database.query(`insert into case_api_key (key_hash, kind, name, jurisdiction_code, revoked_at) values ($1, $2, $3, $4, $5)
    on conflict (key_hash) do nothing`,
  [createHash('sha256').update(key).digest('hex'), kind, `测试密钥 ${key}`, jurisdictionCode, revoked ? new Date() : null]);
  return key;
}

/** A point inside the first micro-grid under `code` (a grid, community or street), with that micro-grid's code. */
export async function pointIn(t: TestContext, code: string): Promise<{ lng: number; lat: number; microGrid: string; grid: string }> {
  const [p] = await t.database.query<{ lng: number; lat: number; micro_grid: string; grid: string }>(`select ST_X(p) as lng, ST_Y(p) as lat,
      m.code as micro_grid, m.parent_code as grid
    from territory_node a join territory_node m on m.path <@ a.path and m.kind = 'micro_grid' and m.boundary is not null,
      lateral (select ST_PointOnSurface(m.boundary) as p) s
    where a.code = $1 order by m.code limit 1`, [code]);
  if (!p) throw new Error(`no micro-grid with a boundary under ${code}`);
  return { lng: Number(p.lng), lat: Number(p.lat), microGrid: p.micro_grid, grid: p.grid };
}
