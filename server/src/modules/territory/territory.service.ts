/**
 * Rules of the territory tree (C1): who sees which node, how codes are allocated, what a valid boundary is,
 * where a node may be moved. Reads filter by the caller's scope; writes run in one transaction with their audit.
 */
import type { Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { assertTerritoryInScope, territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { recordAudit } from '../../platform/audit.js';
import { checkPointGeoJson, checkPolygonGeoJson, fromGcj02, toGcj02 } from '../../platform/geo.js';
import { namePinyin } from '../../platform/pinyin.js';
import { page } from '../../platform/schema.js';
import * as repo from './territory.repository.js';
import {
  kindLabel, type CreateNodeBodyT, type LocateResultT, type NodeDetailT, type NodeSummaryT, type TerritoryKind, type UpdateNodeBodyT,
} from './territory.schema.js';

/** How a child's code extends its parent's: national codes for streets/communities, own codes below. */
const codeRules: Record<Exclude<TerritoryKind, 'district'>, { infix: string; digits: number }> = {
  street: { infix: '', digits: 3 },
  community: { infix: '', digits: 3 },
  grid: { infix: '', digits: 3 },
  micro_grid: { infix: '', digits: 3 },
  compound: { infix: 'C', digits: 3 },
  building: { infix: 'B', digits: 3 },
  unit: { infix: 'U', digits: 2 },
  room: { infix: 'R', digits: 4 },
};

function presentSummary(row: repo.SummaryRow): NodeSummaryT {
  return { code: row.code, name: row.name, kind: row.kind as TerritoryKind, parentCode: row.parent_code, statCode: row.stat_code, childCount: row.child_count };
}

async function loadInScope(db: Kysely<DB>, auth: AuthContext, code: string, geometry = true): Promise<repo.NodeRow> {
  const row = await repo.findNode(db, code, geometry);
  assertTerritoryInScope(auth, row?.path);
  return row!;
}

/** One node with its boundary (GeoJSON) and breadcrumbs. */
export async function getNode(db: Kysely<DB>, auth: AuthContext, code: string): Promise<NodeDetailT> {
  const row = await loadInScope(db, auth, code);
  const ancestors = await repo.findAncestors(db, row.path);
  return {
    code: row.code, name: row.name, kind: row.kind as TerritoryKind, parentCode: row.parent_code, path: row.path,
    statCode: row.stat_code, namePinyin: row.name_pinyin, nameInitials: row.name_initials,
    boundary: row.boundary as NodeDetailT['boundary'], location: row.location as NodeDetailT['location'],
    gridCode: row.grid_code, microGridCode: row.micro_grid_code, childCount: row.child_count,
    ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, kind: a.kind as TerritoryKind })),
  };
}

export async function listChildren(db: Kysely<DB>, auth: AuthContext, code: string, limit: number, after: unknown[] | null) {
  await loadInScope(db, auth, code, false);
  const rows = await repo.listChildren(db, code, limit, after ? [Number(after[0]), String(after[1])] : null);
  // 'node' scope sees the node itself but not below it.
  const visible = auth.scope.kind === 'node' ? [] : rows;
  const result = page(visible, limit, (r) => [r.sort_order, r.code]);
  return { items: result.items.map(presentSummary), nextCursor: result.nextCursor };
}

/** The tops of the caller's scope: every district for 'all', the scope's own nodes otherwise. */
export async function listRoots(db: Kysely<DB>, auth: AuthContext): Promise<{ items: NodeSummaryT[] }> {
  if (auth.scope.kind === 'self') return { items: [] };
  const rows = auth.scope.kind === 'all' ? await repo.listRootDistricts(db) : await repo.listByCodes(db, auth.scope.codes);
  return { items: rows.map(presentSummary) };
}

export async function searchNodes(db: Kysely<DB>, auth: AuthContext, q: string, kind: string | undefined, limit: number) {
  const rows = await repo.searchNodes(db, q.trim(), kind, territoryScope(auth, 'n.path'), limit);
  return { items: rows.map(presentSummary) };
}

/** The street, community, grid and micro-grid whose boundaries contain a point (spatial index). */
export async function locate(db: Kysely<DB>, auth: AuthContext | null, lng: number, lat: number, crs: 'wgs84' | 'gcj02' = 'wgs84'): Promise<LocateResultT> {
  const [x, y] = crs === 'gcj02' ? fromGcj02(lng, lat) : [lng, lat];
  const rows = await repo.locatePoint(db, x, y);
  // A caller learns the levels inside their scope and the ancestors of their scope roots, nothing beside it.
  const visible = (path: string) => !auth || territoryPathInScope(auth, path) || auth.scope.paths.some((p) => p.startsWith(`${path}.`));
  const pick = (kind: string) => {
    const r = rows.find((row) => row.kind === kind);
    return r && visible(r.path) ? { code: r.code, name: r.name } : null;
  };
  return { district: pick('district'), street: pick('street'), community: pick('community'), grid: pick('grid'), microGrid: pick('micro_grid') };
}

export async function mapOf(db: Kysely<DB>, auth: AuthContext, code: string, crs: 'wgs84' | 'gcj02' = 'wgs84') {
  await loadInScope(db, auth, code, false);
  const rows = await repo.mapFeatures(db, code);
  const visible = auth.scope.kind === 'node' ? rows.filter((r) => r.role === 'self') : rows;
  const collection = {
    type: 'FeatureCollection' as const,
    features: visible.map((r) => ({
      type: 'Feature' as const,
      geometry: r.geometry as { type: string; coordinates: unknown } | null,
      properties: { code: r.code, name: r.name, kind: r.kind, role: r.role },
    })),
  };
  return crs === 'gcj02' ? toGcj02(collection) : collection;
}

async function checkBoundary(db: Kysely<DB>, boundary: { type: string; coordinates: unknown }, parentCode: string, kind: string, selfCode: string | null) {
  checkPolygonGeoJson('boundary', boundary);
  const problem = await repo.geometryProblem(db, boundary);
  if (problem) {
    const reason = problem.startsWith('Self-intersection') ? `多边形自相交（${problem}）` : `多边形无效（${problem}）`;
    throw invalid('boundary', reason, `invalid polygon: ${problem}`);
  }
  if (['street', 'community', 'grid', 'micro_grid', 'compound', 'building'].includes(kind)) {
    const placement = await repo.placementProblems(db, parentCode, kind, boundary, selfCode);
    if (placement.outside) throw invalid('boundary', '边界超出上级区域范围', 'boundary lies outside the parent');
    if (placement.overlaps && ['street', 'community', 'grid', 'micro_grid'].includes(kind)) {
      throw invalid('boundary', `边界与同级的「${placement.overlaps}」重叠`, `boundary overlaps ${placement.overlaps}`);
    }
  }
}

async function allocateCode(db: Kysely<DB>, parentCode: string, kind: Exclude<TerritoryKind, 'district'>): Promise<string> {
  const rule = codeRules[kind];
  const prefix = parentCode + rule.infix;
  const max = await repo.maxChildCode(db, parentCode, kind, prefix, rule.digits);
  const last = max && max.startsWith(prefix) ? Number(max.slice(prefix.length)) : 0;
  const next = (Number.isFinite(last) ? last : 0) + 1;
  if (String(next).length > rule.digits) throw new AppError('CONFLICT', `${kindLabel[kind]}编码已用完`, { en: 'codes exhausted' });
  return prefix + String(next).padStart(rule.digits, '0');
}

/** Adds a node under a parent in the caller's scope, allocating or checking its code. */
export async function createNode(db: Kysely<DB>, auth: AuthContext, body: CreateNodeBodyT, meta: RequestMeta): Promise<NodeDetailT> {
  if (body.kind === 'district') throw invalid('kind', '区级节点由区划代码初始化，不能在此新增', 'districts come from division codes');
  const kind = body.kind as Exclude<TerritoryKind, 'district'>;
  const parent = await repo.findNode(db, body.parentCode, false);
  if (!parent || !territoryPathInScope(auth, parent.path)) throw notFound('上级节点', 'parent node', 'parentCode');
  if (!(await repo.kindAllowed(db, parent.kind, kind))) {
    throw invalid('kind', `${kindLabel[parent.kind as TerritoryKind]}下不能建立${kindLabel[kind]}`, `a ${kind} cannot be placed under a ${parent.kind}`);
  }
  const rule = codeRules[kind];
  let code = body.code?.trim().toUpperCase();
  if (code) {
    const pattern = new RegExp(`^${parent.code}${rule.infix}[0-9]{${rule.digits}}$`);
    if (!pattern.test(code)) {
      throw invalid('code', `编码应为上级编码 ${parent.code} 加 ${rule.infix}${rule.digits} 位数字`, `code must be ${parent.code}${rule.infix} + ${rule.digits} digits`);
    }
    if (await repo.findNode(db, code, false)) throw new AppError('CONFLICT', `code: 编码 ${code} 已存在`, { field: 'code', en: `code ${code} already exists` });
  } else {
    code = await allocateCode(db, parent.code, kind);
  }
  if (body.boundary) await checkBoundary(db, body.boundary, parent.code, kind, null);
  if (body.location) checkPointGeoJson('location', body.location);
  const pinyin = namePinyin(body.name);
  const statCode = kind === 'street' || kind === 'community' ? code.padEnd(12, '0') : null;
  await db.transaction().execute(async (trx) => {
    await repo.insertNode(trx, {
      code: code!, parentCode: parent.code, kind, name: body.name.trim(), path: `${parent.path}.${code}`,
      namePinyin: pinyin.full, nameInitials: pinyin.initials, statCode, boundary: body.boundary ?? null,
      location: body.location ?? null, sortOrder: 0,
    });
    await recordAudit(trx, auth, meta, { action: 'territory.create', targetType: 'territory_node', targetId: code,
      summary: { parentCode: parent.code, kind, name: body.name, boundary: body.boundary ? 'set' : null } });
  });
  return getNode(db, auth, code);
}

/** Renames, redraws or moves a node; a move carries its whole subtree and may not go under itself. */
export async function updateNode(db: Kysely<DB>, auth: AuthContext, code: string, body: UpdateNodeBodyT, meta: RequestMeta): Promise<NodeDetailT> {
  const node = await loadInScope(db, auth, code, false);
  const changes: Record<string, unknown> = {};
  let newParent: repo.NodeRow | undefined;
  if (body.parentCode !== undefined && body.parentCode !== node.parent_code) {
    if (node.kind === 'district') throw invalid('parentCode', '区级节点没有上级', 'a district has no parent');
    newParent = await repo.findNode(db, body.parentCode, false);
    if (!newParent || !territoryPathInScope(auth, newParent.path)) throw notFound('新的上级节点', 'parent node', 'parentCode');
    if (newParent.path === node.path || newParent.path.startsWith(`${node.path}.`)) {
      throw invalid('parentCode', '不能把节点移动到它自身或它的下级节点之下', 'cannot move a node under itself or its descendant');
    }
    if (!(await repo.kindAllowed(db, newParent.kind, node.kind))) {
      throw invalid('parentCode', `${kindLabel[newParent.kind as TerritoryKind]}下不能放置${kindLabel[node.kind as TerritoryKind]}`, 'kind not allowed under that parent');
    }
    changes.parentCode = [node.parent_code, newParent.code];
  }
  if (body.boundary) await checkBoundary(db, body.boundary, newParent?.code ?? node.parent_code ?? '', node.kind, node.code);
  if (body.location) checkPointGeoJson('location', body.location);
  const name = body.name?.trim();
  if (name !== undefined && name !== node.name) changes.name = [node.name, name];
  if (body.boundary !== undefined) changes.boundary = body.boundary === null ? 'cleared' : 'redrawn';
  if (body.location !== undefined) changes.location = body.location === null ? 'cleared' : 'moved';
  if (Object.keys(changes).length === 0) return getNode(db, auth, code);
  const pinyin = name !== undefined ? namePinyin(name) : undefined;
  await db.transaction().execute(async (trx) => {
    await repo.updateNodeFields(trx, code, {
      ...(name !== undefined ? { name, namePinyin: pinyin!.full, nameInitials: pinyin!.initials } : {}),
      ...(body.boundary !== undefined ? { boundary: body.boundary } : {}),
      ...(body.location !== undefined ? { location: body.location } : {}),
    });
    if (newParent) changes.movedNodes = await repo.moveSubtree(trx, code, node.path, newParent.code, newParent.path);
    await recordAudit(trx, auth, meta, { action: newParent ? 'territory.move' : 'territory.update', targetType: 'territory_node', targetId: code, summary: changes });
  });
  return getNode(db, auth, code);
}

/** Removes a leaf node that nothing refers to. */
export async function deleteNode(db: Kysely<DB>, auth: AuthContext, code: string, meta: RequestMeta): Promise<void> {
  const node = await loadInScope(db, auth, code, false);
  if (node.kind === 'district') throw new AppError('CONFLICT', '区级节点不能删除', { en: 'districts cannot be deleted' });
  if (node.child_count > 0) throw new AppError('CONFLICT', `该节点下还有 ${node.child_count} 个下级节点，不能删除`, { en: 'node has children' });
  await db.transaction().execute(async (trx) => {
    await repo.deleteNode(trx, code);
    await recordAudit(trx, auth, meta, { action: 'territory.delete', targetType: 'territory_node', targetId: code, summary: { name: node.name, kind: node.kind } });
  });
}

