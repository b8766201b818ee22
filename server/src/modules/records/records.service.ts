/**
 * Service records and multi-party rating (C4.5). Hours come from the order or task and are certified by whoever
 * confirms them: the organiser (staff running the loop, or the task's creator) or the served resident through
 * their rating (民政部: 谁记录谁负责). A rolling-year satisfaction under 70 % or a negative-list item flags the
 * member to their unit's secretary for a talk; the best rated are listed for honours; a member can print a
 * certificate of their confirmed hours. No forced check-ins, no time-online counting, no photo required: a
 * confirmation proves the work (a task's optional check-in/out only suggests the hours).
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { maskName } from '../../platform/pii.js';
import { transact, type OnCommit } from '../../platform/notify.js';
import { page } from '../../platform/schema.js';
import { territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { findCallerForce } from '../forces/force-of.js';
import { getOrder, systemTransition } from '../orders/orders.service.js';
import { findOrder } from '../orders/orders.repository.js';
import { notifyUsers, unitOrgUsers } from '../orders/staff-notify.js';
import * as repo from './records.repository.js';
import type { FlagT, MemberSummaryT, RateBodyT, RecordListQueryT, ServiceRecordT } from './records.schema.js';

type Q = Kysely<DB> | Transaction<DB>;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const round2 = (n: number) => Math.round(n * 100) / 100;

/** Staff accounts are offices ('西陵社区工作人员'); a resident who confirmed by rating is a person: masked. */
const confirmerName = (as: string | null, name: string | null) => (as === 'resident' ? maskName(name) : name);

function presentRecord(r: repo.RecordRow): ServiceRecordT {
  const evidence = Array.isArray(r.evidence) ? (r.evidence as unknown[]).filter((x): x is string => typeof x === 'string') : [];
  return {
    id: r.id, forceId: r.force_id, memberName: maskName(r.member_name), source: r.source, orderId: r.order_id, claimId: r.claim_id, taskId: r.task_id,
    communityCode: r.community_code, communityName: r.community_name, title: r.title, size: r.size, servedOn: r.served_on,
    hours: r.hours, hourCap: r.hour_cap, evidence: evidence.map((id) => ({ id, url: `/api/v1/files/${id}` })), note: r.note, status: r.status,
    confirmedAs: r.confirmed_as, confirmedByName: confirmerName(r.confirmed_as, r.confirmed_by_name), confirmedAt: iso(r.confirmed_at),
    ratings: (r.ratings ?? []).map((g) => ({ raterKind: g.raterKind, score: g.score, comment: g.comment, at: iso(g.at)! })),
    createdAt: iso(r.created_at)!,
  };
}

const isStaffFor = (auth: AuthContext, path: string) => auth.permissions.has('service:write') && territoryPathInScope(auth, path);
const isOrganiser = (auth: AuthContext, r: repo.RecordRow) => isStaffFor(auth, r.community_path) || (r.task_created_by !== null && r.task_created_by === auth.userId);

async function loadRecord(db: Q, auth: AuthContext, id: number): Promise<repo.RecordRow> {
  const r = await repo.findRecord(db, id);
  const visible = r && ((auth.permissions.has('service:read') && territoryPathInScope(auth, r.community_path)) || r.member_user_id === auth.userId
    || r.task_created_by === auth.userId || r.order_resident_user_id === auth.userId);
  if (!r || !visible) throw notFound('服务记录', 'service record');
  return r;
}

export async function getRecord(db: Kysely<DB>, auth: AuthContext, id: number): Promise<ServiceRecordT> {
  return presentRecord(await loadRecord(db, auth, id));
}

/** Records of the communities in scope, newest first. */
export async function listRecords(db: Kysely<DB>, auth: AuthContext, query: RecordListQueryT, limit: number, after: unknown[] | null) {
  const rows = await repo.listRecords(db, { where: territoryScope(auth, 'c.path'), status: query.status, source: query.source, forceId: query.forceId,
    q: query.q?.trim() || undefined, before: after ? Number(after[0]) : null }, limit);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentRecord), nextCursor: result.nextCursor };
}

/** How many records of the communities in scope have this status (the home's "服务记录待确认"). */
export async function countRecords(db: Kysely<DB>, auth: AuthContext, status: string): Promise<number> {
  return repo.countRecords(db, { where: territoryScope(auth, 'c.path'), status, before: null });
}

/** How many of the calling member's own records have this status (the member's "服务记录待确认"). */
export async function countMyRecords(db: Kysely<DB>, auth: AuthContext, status: string): Promise<number> {
  const force = await findCallerForce(db, auth);
  return force ? repo.countRecords(db, { where: sql<SqlBool>`r.force_id = ${force.id}`, status, before: null }) : 0;
}

/** The calling member's own records. */
export async function listMyRecords(db: Kysely<DB>, auth: AuthContext, query: RecordListQueryT, limit: number, after: unknown[] | null) {
  const force = await findCallerForce(db, auth);
  if (!force) return { items: [], nextCursor: null };
  const rows = await repo.listRecords(db, { where: sql<SqlBool>`r.force_id = ${force.id}`, status: query.status, source: query.source,
    before: after ? Number(after[0]) : null }, limit);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentRecord), nextCursor: result.nextCursor };
}

function assertPending(r: repo.RecordRow): void {
  if (r.status === 'confirmed') throw new AppError('ALREADY_DONE', '该服务记录已确认', { en: 'already confirmed' });
  if (r.status !== 'pending') throw new AppError('INVALID_TRANSITION', '该服务记录已驳回，不能再确认或驳回', { en: 'the record was rejected' });
}

/** The organiser confirms a record, optionally correcting the hours (never above the record's cap). */
export async function confirmRecord(db: Kysely<DB>, auth: AuthContext, id: number, body: { hours?: number | undefined; note?: string | undefined }, meta: RequestMeta): Promise<ServiceRecordT> {
  await transact(db, async (trx, onCommit) => {
    const r = await loadRecord(trx, auth, id);
    if (!isOrganiser(auth, r)) throw forbidden('只有活动组织者（社区工作人员或任务发布人）可以确认服务时长', 'only the organiser may confirm');
    assertPending(r);
    let hours: number | undefined;
    if (body.hours !== undefined) {
      if (!Number.isFinite(body.hours) || body.hours <= 0 || body.hours > r.hour_cap) {
        throw invalid('hours', `服务时长须大于 0 且不超过本次上限 ${r.hour_cap} 小时`, `hours must be > 0 and ≤ ${r.hour_cap}`);
      }
      hours = round2(body.hours);
    }
    if (!(await repo.confirmRecord(trx, id, auth.userId, 'organiser', hours))) throw new AppError('ALREADY_DONE', '该服务记录已处理', { en: 'already handled' });
    await recordAudit(trx, auth, meta, { action: 'service_record.confirm', targetType: 'service_record', targetId: id,
      summary: { hours: hours ?? r.hours, corrected: hours !== undefined && hours !== r.hours, note: body.note ?? null } });
    if (r.member_user_id) {
      await notifyUsers(trx, onCommit, [r.member_user_id], { kind: 'system', title: `服务时长已确认：${r.title}`, body: `${hours ?? r.hours} 小时`,
        link: '/m', refType: 'service_record', refId: id });
    }
  });
  return getRecord(db, auth, id);
}

/** The organiser rejects a pending record, with a reason the member sees. */
export async function rejectRecord(db: Kysely<DB>, auth: AuthContext, id: number, reason: string, meta: RequestMeta): Promise<ServiceRecordT> {
  const text = reason.trim();
  if ([...text].length < 2) throw invalid('reason', '请填写驳回原因', 'a reason is required');
  await transact(db, async (trx, onCommit) => {
    const r = await loadRecord(trx, auth, id);
    if (!isOrganiser(auth, r)) throw forbidden('只有活动组织者可以驳回服务记录', 'only the organiser may reject');
    assertPending(r);
    if (!(await repo.rejectRecord(trx, id, text))) throw new AppError('ALREADY_DONE', '该服务记录已处理', { en: 'already handled' });
    await recordAudit(trx, auth, meta, { action: 'service_record.reject', targetType: 'service_record', targetId: id, summary: { reason: text } });
    if (r.member_user_id) {
      await notifyUsers(trx, onCommit, [r.member_user_id], { kind: 'system', title: `服务记录被驳回：${r.title}`, body: text, link: '/m', refType: 'service_record', refId: id });
    }
  });
  return getRecord(db, auth, id);
}

async function isFlagged(db: Q, forceId: number): Promise<repo.FlagRow | null> {
  return (await repo.flaggedMembers(db, sql<SqlBool>`true`, forceId))[0] ?? null;
}

/** When a member has just become flagged, their unit party organisation's users are told (报回单位). */
async function notifyIfNewlyFlagged(trx: Q, onCommit: OnCommit, forceId: number, wasFlagged: boolean): Promise<boolean> {
  const flag = await isFlagged(trx, forceId);
  if (!flag || wasFlagged) return Boolean(flag);
  const unit = await repo.unitOrgOf(trx, forceId);
  if (unit) {
    await notifyUsers(trx, onCommit, await unitOrgUsers(trx, unit), { kind: 'flag', title: `党员服务预警，请安排谈话：${maskName(flag.name)}`,
      body: flagReasons(flag).join('；'), link: '/service/unit-flags', refType: 'force_person', refId: forceId });
  }
  return true;
}

function flagReasons(f: repo.FlagRow): string[] {
  const reasons: string[] = [];
  if (f.ratings !== null && f.good !== null && f.ratings >= 3 && f.good < 0.7 * f.ratings) {
    reasons.push(`近一年满意率 ${Math.round((f.good / f.ratings) * 100)}%（${f.ratings} 次评价），低于 70%`);
  }
  if (f.negative_items) reasons.push(`负面清单：${f.negative_reasons ?? ''}`);
  return reasons;
}

/**
 * Rates a record. The served resident rates their order's record (rater 'resident'; this also confirms the record
 * and closes the order); staff running the loop rate as the community or as the branch (the functional branch's
 * secretary is the community's first secretary). One rating per party: a second is 409 ALREADY_DONE.
 */
async function rate(trx: Transaction<DB>, onCommit: OnCommit, auth: AuthContext, r: repo.RecordRow, body: RateBodyT, meta: RequestMeta): Promise<void> {
  let kind: 'resident' | 'community' | 'branch';
  if (body.as) {
    if (!isStaffFor(auth, r.community_path)) throw forbidden('只有社区工作人员可以代表社区或支部评价', 'only staff rate as community or branch');
    kind = body.as as 'community' | 'branch';
  } else if (r.source === 'order' && r.order_resident_user_id === auth.userId) {
    kind = 'resident';
  } else if (isStaffFor(auth, r.community_path)) {
    kind = 'community';
  } else {
    throw forbidden('您不能评价这条服务记录', 'you may not rate this record');
  }
  if (r.force_id === (await findCallerForce(trx, auth))?.id) throw forbidden('不能评价自己的服务', 'you may not rate your own service');
  if (await repo.ratingExists(trx, r.id, kind)) throw new AppError('ALREADY_DONE', '您已评价过这次服务', { en: 'already rated' });
  const wasFlagged = Boolean(await isFlagged(trx, r.force_id));
  const comment = body.comment?.trim() || null;
  try {
    await repo.insertRating(trx, { recordId: r.id, forceId: r.force_id, kind, raterId: auth.userId, score: body.score, comment });
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new AppError('ALREADY_DONE', '您已评价过这次服务', { en: 'already rated' });
    throw err;
  }
  if (kind === 'resident') {
    if (r.status === 'pending') await repo.confirmRecord(trx, r.id, auth.userId, 'resident');
    if (r.order_id) await systemTransition(trx, r.order_id, 'done', 'close', {}, {}, `居民评价 ${body.score} 星`);
  }
  await recordAudit(trx, auth, meta, { action: 'service_rating.create', targetType: 'service_record', targetId: r.id,
    summary: { raterKind: kind, score: body.score, forceId: r.force_id, orderId: r.order_id } });
  if (r.member_user_id) {
    await notifyUsers(trx, onCommit, [r.member_user_id], { kind: 'rating', title: `您的服务收到评价：${r.title}`, body: `${'★'.repeat(body.score)}${comment ? ` ${comment}` : ''}`,
      link: '/m', refType: 'service_record', refId: r.id });
  }
  await notifyIfNewlyFlagged(trx, onCommit, r.force_id, wasFlagged);
}

export async function rateRecord(db: Kysely<DB>, auth: AuthContext, id: number, body: RateBodyT, meta: RequestMeta): Promise<ServiceRecordT> {
  await transact(db, async (trx, onCommit) => rate(trx, onCommit, auth, await loadRecord(trx, auth, id), body, meta));
  return getRecord(db, auth, id);
}

/** Rates the record of an order (评单); the order must be done. Answers the order with its timeline. */
export async function rateOrder(db: Kysely<DB>, auth: AuthContext, orderId: number, body: RateBodyT, meta: RequestMeta) {
  await getOrder(db, auth, orderId); // 404 unless the caller may see the order
  await transact(db, async (trx, onCommit) => {
    const order = await findOrder(trx, orderId);
    const r = await repo.findRecordOfOrder(trx, orderId);
    if (!order || !r) throw new AppError('INVALID_TRANSITION', '服务完成后才能评价', { en: 'the service is not done yet' });
    await rate(trx, onCommit, auth, r, body, meta);
  });
  return getOrder(db, auth, orderId);
}

function presentFlag(f: repo.FlagRow): FlagT {
  return {
    forceId: f.force_id, name: maskName(f.name), communityCode: f.community_code, communityName: f.community_name, unitOrgCode: f.unit_org_code,
    unitName: f.unit_name, ratings: f.ratings ?? 0, satisfaction: f.ratings ? round2(f.good! / f.ratings) : null, negativeItems: f.negative_items ?? 0,
    reasons: flagReasons(f), flaggedSince: iso(f.since)!,
  };
}

/** Unit secretary: the unit's flagged members (谈话提醒); staff: the flagged members in scope. */
export async function listFlags(db: Kysely<DB>, auth: AuthContext) {
  const unit = auth.permissions.has('service:unit') && auth.orgPath
    ? sql<SqlBool>`exists (select 1 from party_org uo2 where uo2.code = reg.unit_org_code and uo2.path <@ cast(${auth.orgPath} as ltree))`
    : sql<SqlBool>`false`;
  const staff = auth.permissions.has('service:read') ? territoryScope(auth, 'c.path') : sql<SqlBool>`false`;
  const rows = await repo.flaggedMembers(db, sql<SqlBool>`(${unit} or ${staff})`);
  return { items: rows.map(presentFlag) };
}

async function loadForce(db: Q, forceId: number): Promise<repo.ForceBrief> {
  const f = await repo.findForceBrief(db, forceId);
  if (!f) throw notFound('党员', 'member');
  return f;
}

/** Records the talk a flagged member had with their unit's secretary (or with community staff); it clears the flag. */
export async function recordTalk(db: Kysely<DB>, auth: AuthContext, forceId: number, body: { talkedOn: string; note: string }, meta: RequestMeta) {
  const f = await loadForce(db, forceId);
  const unit = await repo.unitOrgOf(db, forceId);
  // the same reach as the flags list: the secretary's own organisation and the organisations under it
  const asUnit = auth.permissions.has('service:unit') && unit !== null && auth.orgPath !== null && await repo.orgWithin(db, unit, auth.orgPath);
  if (!asUnit && !isStaffFor(auth, f.community_path)) throw notFound('党员', 'member');
  const note = body.note.trim();
  if ([...note].length < 2) throw invalid('note', '请填写谈话内容', 'note is required');
  const id = await db.transaction().execute(async (trx) => {
    const talkId = await repo.insertTalk(trx, { forceId, orgCode: asUnit ? unit : auth.orgCode, talkedOn: body.talkedOn, note, by: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'member_talk.create', targetType: 'force_person', targetId: forceId, summary: { talkId, talkedOn: body.talkedOn } });
    return talkId;
  });
  return { id, forceId, talkedOn: body.talkedOn };
}

/** Staff add a negative-list item (负面清单) to a member in scope; the unit is told if the member becomes flagged. */
export async function addNegativeItem(db: Kysely<DB>, auth: AuthContext, forceId: number, body: { reason: string; expiresOn?: string | undefined }, meta: RequestMeta) {
  const f = await loadForce(db, forceId);
  if (!territoryPathInScope(auth, f.community_path)) throw notFound('党员', 'member');
  const reason = body.reason.trim();
  if ([...reason].length < 2) throw invalid('reason', '请填写负面清单事项', 'reason is required');
  return transact(db, async (trx, onCommit) => {
    const wasFlagged = Boolean(await isFlagged(trx, forceId));
    const id = await repo.insertNegativeItem(trx, { forceId, reason, expiresOn: body.expiresOn ?? null, by: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'member_negative_item.create', targetType: 'force_person', targetId: forceId, summary: { id, reason, expiresOn: body.expiresOn ?? null } });
    const flagged = await notifyIfNewlyFlagged(trx, onCommit, forceId, wasFlagged);
    return { id, forceId, flagged };
  });
}

/** The best rated members of a year in a scope, for honours (表彰推荐). */
export async function listHonours(db: Kysely<DB>, auth: AuthContext, query: { scopeCode?: string | undefined; year?: number | undefined; minRatings?: number | undefined }) {
  const year = query.year ?? Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
  let where = territoryScope(auth, 'f.community_path');
  if (query.scopeCode) {
    const node = await db.selectFrom('territory_node').select(['code', 'path']).where('code', '=', query.scopeCode).executeTakeFirst();
    if (!node || !territoryPathInScope(auth, node.path)) throw notFound('区域节点', 'territory node', 'scopeCode');
    where = sql<SqlBool>`f.community_path <@ cast(${node.path} as ltree)`;
  }
  const rows = await repo.honours(db, where, year, query.minRatings ?? 3);
  return {
    year,
    items: rows.map((h) => ({ forceId: h.force_id, name: maskName(h.name), communityCode: h.community_code, communityName: h.community_name,
      ratings: h.ratings, satisfaction: round2(h.good / h.ratings), averageScore: round2(h.average), confirmedHours: round2(h.hours), services: h.services })),
  };
}

const emptySummary: MemberSummaryT = {
  registered: false, forceId: null, name: null, communityCode: null, communityName: null, branchCode: null, branchName: null, unitName: null,
  hours: { year: 0, total: 0, pending: 0 }, services: 0, ratings: 0, satisfaction: null, averageScore: null, posts: [], openClaims: 0, openOrders: 0, flagged: false,
};

async function summaryOf(db: Kysely<DB>, forceId: number, self: boolean): Promise<MemberSummaryT> {
  const [s, posts, flag] = await Promise.all([repo.memberSummary(db, forceId), repo.postsHeld(db, forceId), isFlagged(db, forceId)]);
  if (!s) throw notFound('党员', 'member');
  return {
    registered: true, forceId: s.id, name: self ? s.name : maskName(s.name), communityCode: s.community_code, communityName: s.community_name,
    branchCode: s.branch_code, branchName: s.branch_name, unitName: s.unit_name,
    hours: { year: round2(s.year_hours), total: round2(s.total_hours), pending: round2(s.pending_hours) },
    services: s.services, ratings: s.ratings, satisfaction: s.ratings ? round2(s.good / s.ratings) : null,
    averageScore: s.average === null ? null : round2(s.average),
    posts: posts.map((p) => ({ id: p.id, title: p.title, kindName: p.kind_name })), openClaims: s.open_claims, openOrders: s.open_orders, flagged: Boolean(flag),
  };
}

/** The calling member's summary (member H5 home); `registered: false` before they have registered. */
export async function mySummary(db: Kysely<DB>, auth: AuthContext): Promise<MemberSummaryT> {
  const force = await findCallerForce(db, auth);
  if (!force) return emptySummary;
  return summaryOf(db, force.id, true);
}

/** A member's summary for staff (name masked). */
export async function memberSummaryFor(db: Kysely<DB>, auth: AuthContext, forceId: number): Promise<MemberSummaryT> {
  const f = await loadForce(db, forceId);
  if (!auth.permissions.has('service:read') || !territoryPathInScope(auth, f.community_path)) throw notFound('党员', 'member');
  return summaryOf(db, forceId, false);
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const confirmedAsName: Record<string, string> = { organiser: '组织者确认', resident: '服务对象确认' };

/** The printable certificate (服务证明) of a member's confirmed hours: HTML with A4 print CSS. */
async function certificate(db: Kysely<DB>, forceId: number, self: boolean, range: { from?: string | undefined; to?: string | undefined }): Promise<string> {
  const f = await loadForce(db, forceId);
  const records = await repo.confirmedRecords(db, forceId, range.from ?? null, range.to ?? null);
  const total = round2(records.reduce((a, r) => a + r.hours, 0));
  const first = range.from ?? records[0]?.served_on ?? null;
  const last = range.to ?? records[records.length - 1]?.served_on ?? null;
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
  const digest = createHash('sha256').update(`${forceId}|${records.map((r) => `${r.id}:${r.hours}`).join(',')}|${first}|${last}`).digest('hex');
  const verification = `LL${today.replace(/-/g, '')}${String(forceId).padStart(6, '0')}${digest.slice(0, 8).toUpperCase()}`;
  const name = escapeHtml((self ? f.name : maskName(f.name)) ?? '');
  const period = first && last ? `${first} 至 ${last}` : '暂无已确认的服务';
  const rows = records.map((r, i) => `<tr><td>${i + 1}</td><td>${r.served_on}</td><td>${escapeHtml(r.title)}</td><td class="num">${r.hours}</td>
      <td>${escapeHtml(confirmerName(r.confirmed_as, r.confirmed_by_name) ?? '')}${r.confirmed_as ? `（${confirmedAsName[r.confirmed_as] ?? r.confirmed_as}）` : ''}</td></tr>`).join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>服务证明 ${verification}</title>
<style>
  @page { size: A4; margin: 20mm 18mm; }
  body { font-family: "Noto Serif CJK SC", "Songti SC", "SimSun", serif; color: #111; max-width: 174mm; margin: 0 auto; padding: 12mm 0; }
  h1 { text-align: center; letter-spacing: 0.6em; font-size: 28px; margin: 0 0 8mm; color: #b71c1c; }
  p { line-height: 1.9; font-size: 15px; text-indent: 2em; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; margin: 6mm 0; }
  th, td { border: 1px solid #444; padding: 4px 6px; text-align: left; }
  th { background: #f3f3f3; }
  td.num, th.num { text-align: right; }
  tfoot td { font-weight: bold; }
  .sign { margin-top: 14mm; text-align: right; line-height: 2; font-size: 15px; }
  .verify { margin-top: 10mm; font-size: 12px; color: #555; border-top: 1px dashed #999; padding-top: 3mm; }
  .toolbar { text-align: right; margin-bottom: 6mm; }
  @media print { .toolbar { display: none; } body { padding: 0; } }
</style></head>
<body>
<div class="toolbar"><button onclick="window.print()">打印 / 另存为 PDF</button></div>
<h1>服务证明</h1>
<p>兹证明 <strong data-testid="cert-name">${name}</strong> 同志于 ${escapeHtml(period)} 在${escapeHtml(f.community_name)}参加志愿服务，
经服务组织者或服务对象确认，累计服务时长 <strong data-testid="cert-total">${total}</strong> 小时，共 ${records.length} 次。明细如下：</p>
<table>
<thead><tr><th>序号</th><th>日期</th><th>服务内容</th><th class="num">时长（小时）</th><th>确认人</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="5">暂无已确认的服务记录</td></tr>'}
</tbody>
<tfoot><tr><td colspan="3">合计</td><td class="num">${total}</td><td></td></tr></tfoot>
</table>
<p>特此证明。</p>
<div class="sign">${escapeHtml(f.community_name)}（盖章）<br>${today}</div>
<div class="verify">验证编号：<span data-testid="cert-no">${verification}</span>　本证明由邻里平台依据已确认的服务记录生成，时长以记录为准。</div>
</body></html>`;
}

export async function myCertificate(db: Kysely<DB>, auth: AuthContext, range: { from?: string | undefined; to?: string | undefined }): Promise<string> {
  const force = await findCallerForce(db, auth);
  if (!force) throw new AppError('FORBIDDEN', '您尚未在居住社区报到，暂无服务证明', { en: 'register at your home community first' });
  return certificate(db, force.id, true, range);
}

export async function certificateFor(db: Kysely<DB>, auth: AuthContext, forceId: number, range: { from?: string | undefined; to?: string | undefined }): Promise<string> {
  const f = await loadForce(db, forceId);
  if (!auth.permissions.has('service:read') || !territoryPathInScope(auth, f.community_path)) throw notFound('党员', 'member');
  return certificate(db, forceId, false, range);
}
