/**
 * Excel/CSV imports (issue 3, item 3). A job streams the uploaded file row by row, validates each row (GB 11643,
 * mobile, dictionaries, dates, address → a room in the importer's scope, duplicates within the file) and writes
 * valid rows in batches with set-based upserts — all inside ONE transaction, so a crash or an all_or_nothing
 * failure leaves nothing behind. Errors stream into an .xlsx report. Jobs run in the background of this process.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db, Engine } from '../../platform/db/index.js';
import type { DB } from '../../platform/db/tables.js';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { territoryPathInScope } from '../../platform/scope.js';
import { namePinyin, personNamePinyin } from '../../platform/pinyin.js';
import { page } from '../../platform/schema.js';
import { idNumberBirthDate, idNumberCheckDigit, idNumberGender, isValidIdNumber } from '../../platform/idcard.js';
import { CompoundIndex, normaliseAddressText, parseAddress, roomCodeOf, type CompoundRef } from './address.js';
import { COLUMNS, HOUSEHOLD_ROLES, MEMBER_TYPES, RELATIONS, type ColumnSpec } from './imports.columns.js';
import { buildTemplate, ErrorReportWriter, readRows } from './imports.files.js';
import { hasControl } from '../../platform/input.js';
import * as repo from './imports.repository.js';
import type { ImportJobOut, ImportKind, ImportMode } from './imports.schema.js';

/** Optional per-phase timings (LINLI_IMPORT_PROFILE=1): milliseconds by phase name, printed when a job ends. */
export const profile = new Map<string, number>();
const profiling = !!process.env.LINLI_IMPORT_PROFILE;
async function timed<T>(phase: string, fn: () => Promise<T> | T): Promise<T> {
  if (!profiling) return fn();
  const t = performance.now();
  try { return await fn(); } finally { profile.set(phase, (profile.get(phase) ?? 0) + performance.now() - t); }
}
function tick(phase: string, since: number): number {
  const now = performance.now();
  if (profiling) profile.set(phase, (profile.get(phase) ?? 0) + now - since);
  return now;
}

/** Rows per write batch and per progress update. */
export const BATCH_SIZE = 10000;
/** Rooms (with their first household) remembered by a job; the cache is emptied when it grows past this. */
const ROOM_CACHE_LIMIT = 1_000_000;

interface Progress { status: 'queued' | 'running'; total: number; processed: number; imported: number; updated: number; rejected: number; message: string | null }

/**
 * Jobs running in this process: live progress (the write transaction is not visible to others until commit) and
 * the job's fixed fields, so that polling a running job needs no query — on PGlite the import transaction holds the
 * only connection until it ends, and a query would wait for the whole import.
 */
const running = new Map<string, { progress: Progress; done: Promise<void>; row: repo.JobRow }>();

/** Resolves when every background job of this process has finished (shutdown, tests). */
export async function waitForImports(): Promise<void> {
  while (running.size) await Promise.allSettled([...running.values()].map((j) => j.done));
}

export async function recoverInterruptedJobs(db: Db): Promise<void> {
  if (running.size === 0) await repo.failInterruptedJobs(db);
}

function present(row: repo.JobRow): ImportJobOut {
  const live = running.get(row.id)?.progress;
  const p = live && (row.status === 'queued' || row.status === 'running') ? live : row;
  return {
    id: row.id, kind: row.kind, mode: row.mode, status: live && p === live ? live.status : row.status, fileName: row.file_name,
    total: p.total, processed: p.processed, imported: p.imported, updated: p.updated, rejected: p.rejected, message: p.message,
    errorReportUrl: row.has_report ? `/api/v1/imports/${row.id}/error-report` : null,
    createdAt: new Date(row.created_at).toISOString(), finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}

/** One import job of the caller; a job running in this process is served from memory (live progress, no query). */
export async function getJob(db: Db, auth: AuthContext, id: string): Promise<ImportJobOut> {
  const live = running.get(id);
  if (live && live.row.created_by === auth.userId) return present({ ...live.row, status: live.progress.status });
  const row = await repo.findJob(db, id, auth.userId);
  if (!row) throw notFound('导入任务', 'import job');
  return present(row);
}

/** The caller's import jobs, newest first. */
export async function listJobs(db: Db, auth: AuthContext, limit: number, cursor: unknown[] | null, withErrors = false) {
  const rows = await repo.listJobs(db, auth.userId, limit, cursor as [string, string] | null, withErrors);
  const { items, nextCursor } = page(rows, limit, (r) => [new Date(r.created_at).toISOString(), r.id]);
  return { items: items.map(present), nextCursor };
}

/** How many of the caller's own imports of the last 30 days have errors to look at (the home's "导入有错误"). */
export async function countJobsWithErrors(db: Db, auth: AuthContext): Promise<number> {
  return repo.countJobsWithErrors(db, auth.userId);
}

/** The .xlsx error report of one of the caller's jobs. */
export async function errorReport(db: Db, auth: AuthContext, id: string): Promise<{ body: Buffer; fileName: string }> {
  const row = await repo.errorReportOf(db, id, auth.userId);
  if (!row || !row.report) throw notFound('错误报告', 'error report');
  return { body: Buffer.from(row.report), fileName: `${row.file_name.replace(/\.[^.]+$/, '')}-错误报告.xlsx` };
}

/** The template of an import kind. */
export async function template(db: Db, kind: ImportKind, format: 'xlsx' | 'csv'): Promise<Buffer> {
  const tags = await repo.loadTags(db);
  return buildTemplate(kind, format, tags.map((t) => t.name));
}

export interface StartInput { kind: ImportKind; mode: ImportMode; fileName: string; filePath: string; fileSize: number }

/** Records a queued job and starts it in the background; the uploaded temp file is removed when it ends. */
export async function startImport(db: Db, engine: Engine, auth: AuthContext, meta: RequestMeta, input: StartInput): Promise<{ id: string }> {
  const { id, created_at } = await repo.insertJob(db, { kind: input.kind, mode: input.mode, fileName: input.fileName, fileSize: input.fileSize, createdBy: auth.userId });
  const row: repo.JobRow = { id, kind: input.kind, mode: input.mode, status: 'queued', file_name: input.fileName, total: 0, processed: 0, imported: 0,
    updated: 0, rejected: 0, message: null, has_report: false, created_by: auth.userId, created_at, finished_at: null };
  const progress: Progress = { status: 'queued', total: 0, processed: 0, imported: 0, updated: 0, rejected: 0, message: null };
  const done = (async () => {
    try {
      await runImport(db, engine, auth, meta, id, input, progress);
    } catch (err) {
      const message = err instanceof AppError ? err.message : '导入失败，未写入任何数据';
      if (!(err instanceof AppError)) console.error(`import ${id} failed`, err);
      await repo.updateJob(db, id, { status: 'failed', message, finished: true, processed: progress.processed, total: progress.total }).catch(() => undefined);
    } finally {
      running.delete(id);
      await rm(input.filePath, { force: true }).catch(() => undefined);
    }
  })();
  running.set(id, { progress, done, row });
  return { id };
}

// ─── validation ─────────────────────────────────────────────────────────────

interface RowError { column: string; reason: string }

/** A validated row, ready to write. */
interface Valid {
  line: number;
  name: string; idNumber: string; mobile: string | null; roomCode: string;
  relation: string | null; movedIn: string | null; tags: string[];
  memberType: string | null; workUnit: string | null; joinedOn: string | null; org: string | null;
  registryNo: string | null; householdHead: boolean;
  // rooms kind
  community?: string; compoundName?: string; building?: number; unit?: number; room?: number;
}

const MOBILE = /^1[3-9][0-9]{9}$/;

/** 'YYYY-MM-DD', 'YYYY/M/D', 'YYYY.M.D', 'YYYYMMDD' or 'YYYY年M月D日' → 'YYYY-MM-DD'; null when not a real date. */
export function parseDate(text: string): string | null {
  if (/^[1-9][0-9]{4}(\.0+)?$/.test(text)) { // an Excel date serial that lost its date format
    const date = new Date(Date.UTC(1899, 11, 30) + Number(text) * 86400000);
    return date.toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** Why an ID number is not valid, or null. */
export function idNumberProblem(id: string): string | null {
  if (!/^[0-9]{17}[0-9X]$/.test(id)) return '格式不正确（应为 18 位）';
  if (idNumberCheckDigit(id.slice(0, 17)) !== id[17]) return '校验位错误';
  if (!isValidIdNumber(id, new Date().toISOString().slice(0, 10))) return '出生日期无效';
  return null;
}

interface Context {
  kind: ImportKind;
  auth: AuthContext;
  inScope: CompoundIndex;
  everywhere: CompoundIndex;
  tags: Map<string, string>;
  orgs: Map<string, string>;
  communities: Map<string, { path: string; inScope: boolean }>;
}

const clean = (s: string | undefined) => (s ?? '').replace(/[\u00a0\u3000]/g, ' ').trim();

function validateRow(ctx: Context, get: (key: string) => string, errors: RowError[]): Omit<Valid, 'line'> | null {
  const cols = COLUMNS[ctx.kind];
  const header = (key: string) => cols.find((c) => c.key === key)!.header;
  const fail = (key: string, reason: string) => { errors.push({ column: header(key), reason }); };
  for (const c of cols) if (c.required && !get(c.key)) fail(c.key, '缺少必填项');
  for (const c of cols) if (hasControl(get(c.key))) fail(c.key, '包含不允许的控制字符');

  if (ctx.kind === 'rooms') {
    const community = get('community');
    const b = Number(normaliseAddressText(get('building')).replace(/(号楼|幢|栋|号|楼|座)$/, ''));
    const u = Number(normaliseAddressText(get('unit')).replace(/单元$/, ''));
    const r = Number(normaliseAddressText(get('room')).replace(/(室|号)$/, ''));
    if (community) {
      const found = ctx.communities.get(community);
      if (!/^[0-9]{12}$/.test(community) || !found) fail('community', '未找到该社区');
      else if (!found.inScope) fail('community', '不在您的数据范围内');
    }
    if (get('building') && !(Number.isInteger(b) && b >= 1 && b <= 999)) fail('building', '应为 1–999 的整数');
    if (get('unit') && !(Number.isInteger(u) && u >= 1 && u <= 99)) fail('unit', '应为 1–99 的整数');
    if (get('room') && !(Number.isInteger(r) && r >= 101 && r <= 9999 && r % 100 >= 1)) fail('room', '应为 楼层×100+序号（如 501）');
    if (get('compound').length > 50) fail('compound', '长度太长');
    if (errors.length) return null;
    return { name: '', idNumber: '', mobile: null, roomCode: '', relation: null, movedIn: null, tags: [], memberType: null, workUnit: null,
      joinedOn: null, org: null, registryNo: null, householdHead: false, community, compoundName: get('compound'), building: b, unit: u, room: r };
  }

  const name = get('name');
  if (name && (name.length > 30 || /[0-9<>]/.test(name))) fail('name', '格式不正确');
  const idNumber = get('idNumber').toUpperCase();
  if (idNumber) { const problem = idNumberProblem(idNumber); if (problem) fail('idNumber', problem); }
  const mobileText = cols.some((c) => c.key === 'mobile') ? get('mobile').replace(/^\+?86-?/, '').replace(/[\s-]/g, '') : '';
  if (mobileText && !MOBILE.test(mobileText)) fail('mobile', '格式不正确');

  // address → room in scope
  let roomCode = '';
  const addressText = get('address');
  if (addressText) {
    const parsed = parseAddress(addressText);
    const compoundText = cols.some((c) => c.key === 'compound') ? get('compound') : '';
    if (!parsed) fail('address', '无法识别（示例：3幢2单元501室、3-2-501）');
    else {
      const query = compoundText || parsed.compound;
      if (!query) fail(cols.some((c) => c.key === 'compound') ? 'compound' : 'address', '缺少小区名称');
      else {
        const own = ctx.inScope.resolve(query);
        if (own && own !== 'ambiguous') {
          roomCode = roomCodeOf(own.code, parsed) ?? '';
          if (!roomCode) fail('address', '未找到对应房屋');
        } else if (own === 'ambiguous') fail(compoundText ? 'compound' : 'address', '小区名称不唯一，请填写小区编码');
        else if (ctx.everywhere.resolve(query)) fail('address', '不在您的数据范围内');
        else fail(compoundText ? 'compound' : 'address', compoundText ? '未找到该小区' : '未找到对应房屋');
      }
    }
  }

  let relation: string | null = null;
  let movedIn: string | null = null;
  let tags: string[] = [];
  let memberType: string | null = null;
  let joinedOn: string | null = null;
  let org: string | null = null;
  let registryNo: string | null = null;
  let householdHead = false;
  if (ctx.kind === 'residents' || ctx.kind === 'party_members') {
    const rel = get('relation');
    if (rel) { relation = RELATIONS[rel] ?? null; if (!relation) fail('relation', `取值不在字典中（${Object.keys(RELATIONS).join('/')}）`); }
  }
  switch (ctx.kind) {
    case 'residents': {
      const moved = get('movedIn');
      if (moved) { movedIn = parseDate(moved); if (!movedIn) fail('movedIn', '日期格式不正确（YYYY-MM-DD）'); }
      const tagText = get('tags');
      if (tagText) {
        for (const t of tagText.split(/[、,，;；]/).map((s) => s.trim()).filter(Boolean)) {
          const code = ctx.tags.get(t);
          if (code) { if (!tags.includes(code)) tags.push(code); } else fail('tags', `“${t}”不在关注标签字典中`);
        }
      }
      break;
    }
    case 'party_members': {
      const type = get('memberType');
      if (type) { memberType = MEMBER_TYPES[type] ?? null; if (!memberType) fail('memberType', `取值不在字典中（${Object.keys(MEMBER_TYPES).join('/')}）`); }
      const joined = get('joinedOn');
      if (joined) { joinedOn = parseDate(joined); if (!joinedOn) fail('joinedOn', '日期格式不正确（YYYY-MM-DD）'); }
      const orgText = get('org');
      if (orgText) { org = ctx.orgs.get(orgText) ?? null; if (!org) fail('org', '未找到该党组织或不在您的数据范围内'); }
      break;
    }
    case 'owners':
      relation = 'owner';
      break;
    case 'registry': {
      relation = 'registered';
      registryNo = get('registryNo');
      if (registryNo && !/^[0-9A-Za-z-]{1,30}$/.test(registryNo)) fail('registryNo', '格式不正确');
      const role = get('householdRole');
      if (role && !(HOUSEHOLD_ROLES as readonly string[]).includes(role)) fail('householdRole', `取值不在字典中（${HOUSEHOLD_ROLES.join('/')}）`);
      householdHead = role === '户主';
      break;
    }
  }
  if (errors.length) return null;
  return { name, idNumber, mobile: mobileText || null, roomCode, relation, movedIn, tags, memberType, workUnit: get('workUnit') || null,
    joinedOn, org, registryNo, householdHead };
}

/** The key that makes two rows of one file duplicates. */
function duplicateKey(kind: ImportKind, v: Omit<Valid, 'line'>): string {
  switch (kind) {
    case 'rooms': return `${v.community}|${v.compoundName}|${v.building}|${v.unit}|${v.room}`;
    case 'residents': case 'party_members': return v.idNumber;
    default: return `${v.idNumber}|${v.roomCode}`;
  }
}

// ─── the job ────────────────────────────────────────────────────────────────

async function runImport(db: Db, engine: Engine, auth: AuthContext, meta: RequestMeta, id: string, input: StartInput, progress: Progress): Promise<void> {
  const { kind, mode } = input;
  progress.status = 'running';
  await repo.updateJob(db, id, { status: 'running', started: true });

  const compounds = await repo.loadCompounds(db, auth);
  const toRef = (c: repo.CompoundRow): CompoundRef => ({ code: c.code, name: c.name, communityCode: c.community_code, communityName: c.community_name });
  const ctx: Context = {
    kind, auth,
    inScope: new CompoundIndex(compounds.filter((c) => c.in_scope).map(toRef)),
    everywhere: new CompoundIndex(compounds.filter((c) => !c.in_scope).map(toRef)),
    tags: new Map((await repo.loadTags(db)).map((t) => [t.name, t.code])),
    orgs: new Map(kind === 'party_members' ? (await repo.loadOrgsInScope(db, auth)).flatMap((o) => [[o.code, o.code], [o.name, o.code]] as [string, string][]) : []),
    communities: new Map(kind === 'rooms' ? (await repo.loadCommunities(db, auth)).map((c) => [c.code, { path: c.path, inScope: c.in_scope }]) : []),
  };

  const rows = readRows(input.filePath, input.fileName);
  const first = await rows.next();
  if (first.done) throw new AppError('VALIDATION', 'file: 文件为空', { field: 'file' });
  const headers = first.value.values.map((h) => clean(h).replace(/^\*|\*$/g, '').replace(/[（(].*[)）]$/, ''));
  const columns = COLUMNS[kind];
  const missing = columns.filter((c) => c.required && !headers.includes(c.header));
  if (missing.length) throw new AppError('VALIDATION', `file: 缺少列：${missing.map((c) => c.header).join('、')}`, { field: 'file' });
  const index = new Map<string, number>(columns.map((c: ColumnSpec) => [c.key, headers.indexOf(c.header)]));

  const reportPath = join(tmpdir(), `linli-import-report-${randomUUID()}.xlsx`);
  const report = new ErrorReportWriter(reportPath, first.value.values);
  const seen = new Map<string, number>();
  let total = 0;
  let imported = 0;
  let updated = 0;
  const rooms = kind === 'rooms' ? new RoomTree(ctx) : null;

  const started = Date.now();
  try {
    await db.transaction().execute(async (trx) => {
      if (engine === 'postgres') {
        // Only the commit waits for the WAL flush; the trigram GIN index collects new entries in its pending list and
        // merges them in bulk (a larger list for this transaction only). Neither changes what is written.
        await sql`set local synchronous_commit = off`.execute(trx);
        await sql`set local gin_pending_list_limit = '32MB'`.execute(trx);
        await sql`set local jit = off`.execute(trx); // short set-based statements: compiling them costs more than it saves
      }
      const addressHeader = columns.find((c) => c.key === 'address')?.header ?? '地址';
      const duplicateColumn = kind === 'rooms' ? '房号' : '身份证号';
      /** Stage 2, one batch at a time in file order: room existence, duplicates within the file, then the writes. */
      const settle = async (batch: { v: Valid; values: string[] }[]) => {
        let missing: Set<string> | null = null;
        if (kind !== 'rooms') {
          // the address must name an existing room (rooms already seen by this job are cached with their household)
          const unknown = [...new Set(batch.map((b) => b.v.roomCode))].filter((c) => !roomCache.has(c));
          if (unknown.length) {
            if (roomCache.size > ROOM_CACHE_LIMIT) roomCache.clear();
            const found = await timed('sql.roomInfo', () => repo.roomInfo(trx, unknown));
            for (const r of found) roomCache.set(r.code, r.household);
            for (const c of unknown) if (!roomCache.has(c)) (missing ??= new Set()).add(c);
          }
        }
        const valid: Valid[] = [];
        for (const b of batch) {
          if (missing?.has(b.v.roomCode)) continue;
          const key = duplicateKey(kind, b.v);
          const earlier = seen.get(key);
          if (earlier !== undefined) report.add(b.v.line, duplicateColumn, `与第 ${earlier} 行重复`, b.values);
          else { seen.set(key, b.v.line); valid.push(b.v); }
        }
        if (missing) for (const b of batch) if (missing.has(b.v.roomCode)) report.add(b.v.line, addressHeader, '未找到对应房屋', b.values);
        if (mode === 'all_or_nothing' && report.count > 0) return; // nothing will be written: stop writing, keep validating
        const counts = rooms ? await rooms.write(trx, valid) : await timed('write', () => writePeople(trx, kind, valid, writeCache));
        imported += counts.imported;
        updated += counts.updated;
      };
      // Pipelining: while one batch is written (the database works), the next one is parsed and validated (Node works).
      // At most one batch is in flight on the transaction's connection; its failure surfaces at the next await.
      let writing: Promise<void> = Promise.resolve();
      const roomCache = new Map<string, number | null>();
      const writeCache: WriteCache = { households: roomCache, headed: new Set() };
      let batch: { v: Valid; values: string[] }[] = [];
      const flush = async () => {
        const full = batch;
        batch = [];
        await timed('wait.write', () => writing);
        // PGlite runs statements on this thread and answers without real I/O: give timers and requests (progress
        // polls) a turn between batches
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!full.length) return;
        writing = settle(full);
        writing.catch(() => undefined);
      };

      let t = performance.now();
      try {
        for await (const row of rows) {
          t = tick('parse', t);
          total += 1;
          const values = row.values.map(clean);
          const get = (key: string) => { const i = index.get(key); return i === undefined || i < 0 ? '' : values[i] ?? ''; };
          const errors: RowError[] = [];
          const v = validateRow(ctx, get, errors);
          t = tick('validate', t);
          if (v) batch.push({ v: { ...v, line: row.line }, values: row.values });
          for (const e of errors) report.add(row.line, e.column, e.reason, row.values);
          if (batch.length >= BATCH_SIZE) await flush();
          // let the event loop take the database's answers now and then, or the write stage would wait for a whole
          // buffered chunk of the file to be validated before it can send its next statement
          if (total % 256 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
          if (total % BATCH_SIZE === 0) {
            Object.assign(progress, { total, processed: total, rejected: countRejectedLines(report), imported, updated });
            // PGlite has one connection, held by this transaction: progress is served from memory there.
            if (engine === 'postgres') await timed('sql.progress', () => repo.updateJob(db, id, { total, processed: total, rejected: progress.rejected }));
          }
          t = performance.now();
        }
      } catch (err) {
        await writing.catch(() => undefined); // the statement in flight ends before the transaction rolls back
        throw err;
      }
      await flush();
      await writing;
      if (profiling) console.log('import profile (ms):', Object.fromEntries([...profile].map(([k, v]) => [k, Math.round(v)])));
      const rejected = countRejectedLines(report);
      Object.assign(progress, { total, processed: total, rejected, imported, updated });
      await report.finish();
      const failed = mode === 'all_or_nothing' && rejected > 0;
      const counts = failed ? { total, imported: 0, updated: 0, rejected } : { total, imported, updated, rejected };
      const message = failed
        ? `${rejected} 行有错误，按“全部或不导入”未写入任何数据，请下载错误报告修改后重新导入`
        : `导入完成：新增 ${imported}，更新 ${updated}，错误 ${rejected}（${((Date.now() - started) / 1000).toFixed(1)} 秒）`;
      if (failed) throw new Rollback(counts, message);
      await recordAudit(trx, auth, meta, { action: 'import.run', targetType: 'import_job', targetId: id,
        summary: { kind, mode, fileName: input.fileName, ...counts } });
      await repo.updateJob(trx, id, { status: 'succeeded', ...counts, processed: total, message, finished: true,
        error_report: rejected ? await readFile(reportPath) : null });
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    // all_or_nothing with bad rows: the transaction rolled back; record the outcome and the report
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, auth, meta, { action: 'import.run', targetType: 'import_job', targetId: id,
        summary: { kind, mode, fileName: input.fileName, ...err.counts } });
      await repo.updateJob(trx, id, { status: 'failed', ...err.counts, processed: err.counts.total, message: err.message, finished: true,
        error_report: await readFile(reportPath) });
    });
  } finally {
    await rm(reportPath, { force: true }).catch(() => undefined);
  }
}

class Rollback extends Error {
  constructor(readonly counts: { total: number; imported: number; updated: number; rejected: number }, message: string) { super(message); }
}

/** Rejected = distinct rows with at least one error (a row may have several). */
function countRejectedLines(report: ErrorReportWriter): number {
  return report.rows;
}

/** What a job remembers between batches: each room's first household, households it gave a head. */
interface WriteCache {
  /** room → its first household (null: none yet); every key is a room known to exist */
  households: Map<string, number | null>;
  headed: Set<number>;
}

/** Writes one batch of people rows (residents, party members, owners, registry). */
async function writePeople(trx: Transaction<DB>, kind: ImportKind, rows: Valid[], cache: WriteCache): Promise<{ imported: number; updated: number }> {
  if (!rows.length) return { imported: 0, updated: 0 };
  // one person row per ID number within the batch (owners/registry may list a person in two rooms); in ID order,
  // so that the unique index is walked in order
  const persons = new Map<string, Valid>();
  for (const r of rows) persons.set(r.idNumber, r);
  const list = [...persons.values()].sort((a, b) => (a.idNumber < b.idNumber ? -1 : a.idNumber > b.idNumber ? 1 : 0));
  const py = list.map((r) => personNamePinyin(r.name)); // cached in platform/pinyin.ts
  const upserted = await timed('sql.upsertPersons', () => repo.upsertPersons(trx, {
    name: list.map((r) => r.name), pinyin: py.map((p) => p.full), initials: py.map((p) => p.initials),
    gender: list.map((r) => idNumberGender(r.idNumber)), birth: list.map((r) => idNumberBirthDate(r.idNumber)),
    idNumber: list.map((r) => r.idNumber), mobile: list.map((r) => r.mobile),
  }));
  const personId = new Map(upserted.map((p) => [p.id_number, p]));
  let imported = 0;
  let updated = 0;
  const counted = new Set<string>();
  for (const r of rows) {
    const p = personId.get(r.idNumber)!;
    if (p.inserted && !counted.has(r.idNumber)) imported += 1; else updated += 1;
    counted.add(r.idNumber);
  }

  const withRelation = rows.filter((r) => r.relation);
  if (withRelation.length) {
    let household: (number | null)[];
    const heads: { household: number; person: number }[] = [];
    if (kind === 'registry') {
      const map = await repo.registryHouseholds(trx, withRelation.map((r) => r.roomCode), withRelation.map((r) => r.registryNo!));
      household = withRelation.map((r) => map.get(`${r.roomCode}|${r.registryNo}`) ?? null);
      withRelation.forEach((r, i) => { if (r.householdHead && household[i]) heads.push({ household: household[i]!, person: personId.get(r.idNumber)!.id }); });
    } else {
      // rooms without a household (per the job's room cache) get one; the first row's relation decides its kind
      const without = withRelation.filter((r) => !cache.households.get(r.roomCode));
      if (without.length) {
        const map = await timed('sql.householdsOfRooms', () => repo.householdsOfRooms(trx, without.map((r) => r.roomCode), without.map((r) => (r.relation === 'tenant' ? 'rented' : 'resident'))));
        for (const [room, hid] of map) cache.households.set(room, hid);
      }
      household = withRelation.map((r) => cache.households.get(r.roomCode) ?? null);
      withRelation.forEach((r, i) => { if (r.relation === 'owner' && household[i]) heads.push({ household: household[i]!, person: personId.get(r.idNumber)!.id }); });
    }
    // one residence per (person, room, relation) within the batch; people created by this batch have none yet, so
    // theirs are plain inserts, the others' are matched against their current records
    const seen = new Set<string>();
    const fresh = { person: [] as number[], room: [] as string[], household: [] as (number | null)[], relation: [] as string[], movedIn: [] as (string | null)[] };
    const known = { person: [] as number[], room: [] as string[], household: [] as (number | null)[], relation: [] as string[], movedIn: [] as (string | null)[] };
    withRelation.forEach((r, i) => {
      const p = personId.get(r.idNumber)!;
      const key = `${p.id}|${r.roomCode}|${r.relation}`;
      if (seen.has(key)) return;
      seen.add(key);
      const res = p.inserted ? fresh : known;
      res.person.push(p.id); res.room.push(r.roomCode); res.household.push(household[i] ?? null); res.relation.push(r.relation!); res.movedIn.push(r.movedIn);
    });
    if (fresh.person.length) await timed('sql.insertResidences', () => repo.insertResidences(trx, fresh));
    if (known.person.length) await timed('sql.upsertResidences', () => repo.upsertResidences(trx, known));
    const force = kind === 'registry';
    const firstHead = new Map<number, number>();
    for (const h of heads) if (!firstHead.has(h.household) && (force || !cache.headed.has(h.household))) firstHead.set(h.household, h.person);
    await timed('sql.setHouseholdHeads', () => repo.setHouseholdHeads(trx, [...firstHead.keys()], [...firstHead.values()], force));
    // a head set (or already there) is never replaced outside registry imports: later batches skip these households
    if (!force) for (const h of firstHead.keys()) cache.headed.add(h);
  }

  if (kind === 'residents') {
    const tagPersons: number[] = [];
    const tagCodes: string[] = [];
    for (const r of rows) for (const t of r.tags) { tagPersons.push(personId.get(r.idNumber)!.id); tagCodes.push(t); }
    await timed('sql.addPersonTags', () => repo.addPersonTags(trx, tagPersons, tagCodes));
  }
  if (kind === 'party_members') {
    await repo.upsertPartyMembers(trx, {
      person: rows.map((r) => personId.get(r.idNumber)!.id), type: rows.map((r) => r.memberType!), org: rows.map((r) => r.org),
      workUnit: rows.map((r) => r.workUnit), joinedOn: rows.map((r) => r.joinedOn),
    });
  }
  return { imported, updated };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** rooms kind: compounds found by name under the community (or created), then buildings, units, rooms. */
class RoomTree {
  private readonly compounds = new Map<string, Map<string, { code: string; path: string }>>();
  constructor(private readonly ctx: Context) {}

  private async compoundOf(trx: Transaction<DB>, community: string, name: string): Promise<{ code: string; path: string }> {
    let byName = this.compounds.get(community);
    if (!byName) {
      byName = new Map((await repo.compoundsOfCommunity(trx, community)).map((c) => [c.name, { code: c.code, path: c.path }]));
      this.compounds.set(community, byName);
    }
    const found = byName.get(name);
    if (found) return found;
    const next = Math.max(0, ...[...byName.values()].map((c) => Number(c.code.slice(-3)))) + 1;
    if (next > 999) throw new AppError('VALIDATION', '小区名称: 该社区的小区编号已用完', { field: 'file' });
    const code = `${community}C${pad(next, 3)}`;
    const path = `${this.ctx.communities.get(community)!.path}.${code}`;
    const py = namePinyin(name);
    await repo.insertCompound(trx, { code, parent: community, name, pinyin: py.full, initials: py.initials, path, sort: next });
    const created = { code, path };
    byName.set(name, created);
    return created;
  }

  async write(trx: Transaction<DB>, rows: Valid[]): Promise<{ imported: number; updated: number }> {
    const levels = { building: new Map<string, [string, string, string, number, string]>(), unit: new Map<string, [string, string, string, number, string]>(), room: new Map<string, [string, string, string, number, string]>() };
    const roomCodes: string[] = [];
    for (const r of rows) {
      const c = await this.compoundOf(trx, r.community!, r.compoundName!);
      const b = `${c.code}B${pad(r.building!, 3)}`;
      const u = `${b}U${pad(r.unit!, 2)}`;
      const room = `${u}R${pad(r.room!, 4)}`;
      const bp = `${c.path}.${b}`;
      const up = `${bp}.${u}`;
      levels.building.set(b, [c.code, `${r.building}幢`, bp, r.building!, '{}']);
      levels.unit.set(u, [b, `${r.unit}单元`, up, r.unit!, '{}']);
      levels.room.set(room, [u, `${r.room}室`, `${up}.${room}`, r.room!, JSON.stringify({ floor: Math.floor(r.room! / 100) })]);
      roomCodes.push(room);
    }
    let created = new Set<string>();
    for (const kind of ['building', 'unit', 'room'] as const) {
      const entries = [...levels[kind].entries()];
      created = await repo.insertPhysicalNodes(trx, {
        kind, code: entries.map((e) => e[0]), parent: entries.map((e) => e[1][0]), name: entries.map((e) => e[1][1]),
        path: entries.map((e) => e[1][2]), sort: entries.map((e) => e[1][3]), attrs: entries.map((e) => e[1][4]),
      });
    }
    const imported = roomCodes.filter((c) => created.has(c)).length;
    return { imported, updated: roomCodes.length - imported };
  }
}
