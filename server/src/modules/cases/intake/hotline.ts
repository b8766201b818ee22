/**
 * 12345 hotline batches (热线工单): the hotline platform's daily export as .xlsx, one 工单 a row. A row with
 * coordinates is located by position; a row with only an address is matched to a room, building or compound in
 * the importer's scope with the archive's address matcher and located there.
 *
 * One transaction per row, not all-or-nothing: every 工单 is an independent report that must reach its grid even
 * when a neighbouring row is malformed, and a batch can be sent again safely — a 工单编号 already filed is skipped
 * as a duplicate, so fixing the bad rows and uploading the whole file again files only what was missing.
 */
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { recordAudit } from '../../../platform/audit.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { transact } from '../../../platform/notify.js';
import { territoryPathInScope } from '../../../platform/scope.js';
import { CompoundIndex, normaliseAddressText, parseAddress, roomCodeOf } from '../../imports/address.js';
import { loadCompounds } from '../../imports/imports.repository.js';
import { intakeCase } from '../cases.service.js';
import * as repo from './intake.repository.js';
import { hasControl } from '../../../platform/input.js';
import type { HotlineReportT, HotlineRowT } from './intake.schema.js';

export const MAX_HOTLINE_ROWS = 2000;
const BEIJING_MS = 8 * 3600_000;

/** The columns, in the template's order: header, key, required, note, example. */
export const HOTLINE_COLUMNS = [
  { header: '工单编号', key: 'ticketNo', required: true, note: '12345 平台的工单编号；同一编号只登记一次', example: 'HZ20261128000123' },
  { header: '来电时间', key: 'calledAt', required: false, note: '北京时间，如 2026-11-28 09:30；空则为导入时间', example: '2026-11-28 09:30' },
  { header: '问题类别', key: 'category', required: true, note: '案件小类编码或名称（见“说明”页）', example: '0103' },
  { header: '事发地址', key: 'address', required: false, note: '无经纬度时按地址匹配小区/楼幢/房间定位，如 中兴新村3幢', example: '西陵社区 3幢北侧车棚' },
  { header: '经度', key: 'lng', required: false, note: 'WGS-84，与纬度同时填写', example: '120.2101' },
  { header: '纬度', key: 'lat', required: false, note: 'WGS-84，与经度同时填写', example: '30.2085' },
  { header: '问题描述', key: 'description', required: true, note: '来电反映的问题', example: '车棚外电动车乱停，堵住消防通道' },
  { header: '来电人', key: 'caller', required: false, note: '姓名（个人信息，页面上脱敏显示）', example: '张先生' },
  { header: '联系电话', key: 'phone', required: false, note: '手机或座机', example: '13800000000' },
] as const;
type Key = (typeof HOTLINE_COLUMNS)[number]['key'];
const HEADER: Record<Key, string> = Object.fromEntries(HOTLINE_COLUMNS.map((c) => [c.key, c.header])) as Record<Key, string>;

/** The template: the header row (required columns in red) and one example row, with a 说明 sheet listing the categories. */
export async function hotlineTemplate(db: Kysely<DB>): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli';
  const sheet = workbook.addWorksheet('热线工单');
  sheet.columns = HOTLINE_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.example.length * 2 + 2) }));
  HOTLINE_COLUMNS.forEach((c, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    cell.font = { bold: true, ...(c.required ? { color: { argb: 'FFC00000' } } : {}) };
    cell.note = c.note;
    sheet.getColumn(i + 1).numFmt = '@'; // numbers stay as typed
  });
  sheet.addRow(Object.fromEntries(HOTLINE_COLUMNS.map((c) => [c.key, c.example])));
  const info = workbook.addWorksheet('说明');
  info.columns = [{ header: '列', key: 'h', width: 12 }, { header: '必填', key: 'r', width: 8 }, { header: '说明', key: 'n', width: 60 }];
  info.getRow(1).font = { bold: true };
  for (const c of HOTLINE_COLUMNS) info.addRow({ h: c.header, r: c.required ? '是' : '否', n: c.note });
  info.addRow({ n: '经纬度与事发地址至少填一项；第 2 行为示例，导入前请删除。' });
  info.addRow({});
  info.addRow({ h: '类别编码', r: '', n: '类别名称' }).font = { bold: true };
  for (const c of await repo.minorCategories(db)) info.addRow({ h: c.code, n: c.name });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel keeps wall-clock time without a zone; ExcelJS reads it as UTC: these fields are Beijing time
    return value.toISOString().slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('').trim();
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text).trim();
    return '';
  }
  return String(value).replace(/[\u00a0\u3000]/g, ' ').trim();
}

/** The first sheet's rows as text by column key, with their row numbers; 400 for a file that is no such sheet. */
export async function readHotlineSheet(bytes: Buffer): Promise<{ line: number; get: (k: Key) => string }[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw invalid('file', '无法读取该文件：请使用 .xlsx 模板', 'not a readable .xlsx file');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw invalid('file', '文件中没有工作表', 'no worksheet');
  const headers = (sheet.getRow(1).values as ExcelJS.CellValue[]).map((v) => cellText(v).replace(/^\*|\*$/g, ''));
  const index = new Map<Key, number>(HOTLINE_COLUMNS.map((c) => [c.key, headers.indexOf(c.header)]));
  const missing = HOTLINE_COLUMNS.filter((c) => c.required && index.get(c.key)! < 0).map((c) => c.header);
  if (missing.length) throw invalid('file', `缺少列：${missing.join('、')}（请使用模板）`, `missing columns: ${missing.join(', ')}`);
  const rows: { line: number; get: (k: Key) => string }[] = [];
  sheet.eachRow((row, line) => {
    if (line === 1) return;
    const values = row.values as ExcelJS.CellValue[];
    const get = (k: Key) => { const i = index.get(k)!; return i < 0 ? '' : cellText(values[i]); };
    if (HOTLINE_COLUMNS.some((c) => get(c.key) !== '')) rows.push({ line, get });
  });
  if (rows.length > MAX_HOTLINE_ROWS) throw invalid('file', `一次最多导入 ${MAX_HOTLINE_ROWS} 行，请分批`, `at most ${MAX_HOTLINE_ROWS} rows`);
  return rows;
}

/** '2026-11-28 09:30[:00]' or '2026/11/28 9:30' on Beijing time → the instant; null when it is no such text. */
function beijingTime(text: string): Date | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(utc);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23) return null;
  return new Date(utc - BEIJING_MS);
}

type Located = { placeCode: string } | { error: string };

/**
 * An address → the most precise place it names inside the importer's scope: a room ('中兴新村3幢2单元501室'), a
 * building ('中兴新村3幢') or a compound ('中兴新村东门'), as the archive's importer reads addresses.
 */
async function placeOfAddress(db: Kysely<DB>, index: CompoundIndex, text: string): Promise<Located> {
  const parsed = parseAddress(text);
  const compound = index.resolve(parsed?.compound ?? text) ?? (parsed ? index.resolve(text) : null);
  if (compound === 'ambiguous') return { error: '有同名小区，请在地址前写明社区' };
  if (!compound) return { error: '未能匹配到您管辖范围内的小区（请填写经纬度，或写明小区名称）' };
  const candidates: string[] = [];
  if (parsed) {
    const room = roomCodeOf(compound.code, parsed);
    if (room) candidates.push(room);
    candidates.push(`${compound.code}B${String(parsed.building).padStart(3, '0')}`);
  } else {
    const afterName = normaliseAddressText(text).split(compound.name).slice(1).join(compound.name);
    const building = /^[^0-9]*?(\d{1,3})(?:号楼|幢|栋|号|座)/.exec(afterName);
    if (building) candidates.push(`${compound.code}B${building[1]!.padStart(3, '0')}`);
  }
  candidates.push(compound.code);
  const existing = await repo.existingNodes(db, candidates);
  return { placeCode: candidates.find((c) => existing.has(c))! };
}

/** The intake's field names → the sheet's columns, for errors the core raises. */
const COLUMN_OF_FIELD: Record<string, Key> = { categoryCode: 'category', description: 'description', lng: 'lng', lat: 'lat', placeCode: 'address', address: 'address', externalId: 'ticketNo' };

/**
 * Files a hotline batch: each row in its own transaction (see the file comment), reported row by row — created
 * with its service number, a duplicate 工单编号 skipped, or the errors by column with a reason in Chinese.
 */
export async function importHotline(db: Kysely<DB>, auth: AuthContext, bytes: Buffer, meta: RequestMeta, now = new Date()): Promise<HotlineReportT> {
  const rows = await readHotlineSheet(bytes);
  const categories = await repo.minorCategories(db);
  const categoryOf = new Map<string, string>(categories.flatMap((c) => [[c.code, c.code], [c.name, c.code]] as [string, string][]));
  const compounds = (await loadCompounds(db, auth)).filter((c) => c.in_scope)
    .map((c) => ({ code: c.code, name: c.name, communityCode: c.community_code, communityName: c.community_name }));
  const index = new CompoundIndex(compounds);
  const filed = await repo.filedExternalIds(db, 'hotline', rows.map((r) => r.get('ticketNo')).filter((t) => t && !hasControl(t)));
  const seen = new Set<string>();
  const report: HotlineRowT[] = [];

  for (const { line, get } of rows) {
    const ticketNo = get('ticketNo') || null;
    const errors: { column: string; reason: string }[] = [];
    const fail = (k: Key, reason: string) => errors.push({ column: HEADER[k], reason });
    const out = (status: HotlineRowT['status'], extra: Partial<HotlineRowT> = {}) =>
      report.push({ row: line, ticketNo, status, serviceNo: null, caseId: null, errors, ...extra });

    for (const c of HOTLINE_COLUMNS) if (c.required && !get(c.key)) fail(c.key, '缺少必填项');
    for (const c of HOTLINE_COLUMNS) if (hasControl(get(c.key))) fail(c.key, '包含不允许的控制字符');
    if (ticketNo && ticketNo.length > 100) fail('ticketNo', '长度不能超过 100');
    if (ticketNo && (filed.has(ticketNo) || seen.has(ticketNo))) {
      out('duplicate', { errors: [{ column: HEADER.ticketNo, reason: seen.has(ticketNo) ? '与本文件前面的行重复，已跳过' : '该工单已登记过，已跳过' }] });
      continue;
    }
    const categoryCode = get('category') ? categoryOf.get(get('category')) : undefined;
    if (get('category') && !categoryCode) fail('category', `未找到类别「${get('category')}」（填小类编码或名称）`);
    let reportedAt = now;
    if (get('calledAt')) {
      const at = beijingTime(get('calledAt'));
      if (!at) fail('calledAt', '格式不正确，应为 2026-11-28 09:30');
      else if (at.getTime() > now.getTime() + 5 * 60_000) fail('calledAt', '晚于当前时间');
      else reportedAt = at;
    }
    const lngText = get('lng');
    const latText = get('lat');
    let lng: number | null = null;
    let lat: number | null = null;
    if (lngText || latText) {
      lng = Number(lngText);
      lat = Number(latText);
      if (!lngText) fail('lng', '经度与纬度须同时填写');
      else if (!Number.isFinite(lng) || lng < 73 || lng > 136) fail('lng', '应为 73–136 之间的数字（WGS-84）');
      if (!latText) fail('lat', '经度与纬度须同时填写');
      else if (!Number.isFinite(lat) || lat < 3 || lat > 54) fail('lat', '应为 3–54 之间的数字（WGS-84）');
    }
    const address = get('address');
    if (address.length > 200) fail('address', '长度不能超过 200');
    let placeCode: string | null = null;
    if (lng === null && !errors.some((e) => e.column === HEADER.lng || e.column === HEADER.lat)) {
      if (!address) fail('address', '经纬度与事发地址至少填一项');
      else {
        const located = await placeOfAddress(db, index, address);
        if ('error' in located) fail('address', located.error);
        else placeCode = located.placeCode;
      }
    }
    const phone = get('phone').replace(/[\s()（）]/g, '');
    if (phone && !/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8}|12345)$/.test(phone)) fail('phone', '格式不正确（手机或座机号码）');
    const caller = get('caller');
    if (caller.length > 40) fail('caller', '长度不能超过 40');
    if (errors.length) { out('error'); continue; }

    seen.add(ticketNo!);
    try {
      const made = await transact(db, async (trx, onCommit) => {
        const made = await intakeCase(trx, onCommit, {
          channel: 'hotline', categoryCode: categoryCode!, description: get('description'), lng, lat, placeCode, address,
          externalId: ticketNo, reporterName: caller || null, reporterPhone: phone || null, reportedAt, auditActor: auth,
        }, auth.displayName);
        if (!territoryPathInScope(auth, made.territoryPath)) throw invalid(placeCode ? 'address' : 'lng', '事发位置不在您的管辖范围内', 'outside your scope');
        return made;
      });
      out('created', { serviceNo: made.serviceNo, caseId: made.id });
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      if (e.code === 'CONFLICT') { // filed meanwhile by another upload of the same batch
        out('duplicate', { errors: [{ column: HEADER.ticketNo, reason: '该工单已登记过，已跳过' }] });
        continue;
      }
      const key = COLUMN_OF_FIELD[e.field ?? ''] ?? (placeCode ? 'address' : 'lng');
      fail(key, e.message.replace(/^[\w.]+: /, ''));
      out('error');
    }
  }

  const summary = {
    total: report.length, created: report.filter((r) => r.status === 'created').length,
    duplicates: report.filter((r) => r.status === 'duplicate').length, failed: report.filter((r) => r.status === 'error').length,
  };
  await recordAudit(db, auth, meta, { action: 'case.hotline_import', targetType: 'civic_case', summary });
  return { ...summary, rows: report };
}
