/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) over the case loop: the active minor categories are
 * the services, a POSTed request becomes a case of channel `open311` through the one intake (`intakeCase`), and
 * GET requests show the cases of those categories as the public may see them — never the reporter's name, phone
 * or account, room numbers in addresses and phone or ID numbers in descriptions masked.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid } from '../../platform/errors.js';
import { inOneStatement } from '../../platform/notify.js';
import { maskIdNumber, maskMobile } from '../../platform/pii.js';
import { beijingDate } from '../../platform/workdays.js';
import { parseAddress } from '../imports/address.js';
import { intakeCase } from '../cases/cases.service.js';
import { requireApiKey } from '../cases/intake/api-keys.js';
import { checkAttributes } from '../cases/intake/attributes.js';
import * as repo from './open311.repository.js';
import type {
  AttributeT, CreatedRequestT, CreateRequestBodyT, DiscoveryT, RequestsQueryT, ServiceDefinitionT, ServiceRequestT, ServiceT,
} from './open311.schema.js';

const KIND_NAMES: Record<string, string> = { event: '事件', component: '部件' };
const BEIJING_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** The longest window GET requests covers, and its default (the spec: the most recent 90 days). */
const WINDOW_DAYS = 90;

/** W3C date-time on Beijing time with its offset, as the spec asks: 2026-11-29T20:37:38+08:00. */
export function w3c(at: Date | string): string {
  return `${new Date(new Date(at).getTime() + BEIJING_MS).toISOString().slice(0, 19)}+08:00`;
}

/** A deadline (24:00 Beijing of a working day) as people say it: 12月1日 24:00. */
function deadlineText(at: Date): string {
  const [, m, d] = beijingDate(new Date(at.getTime() - 1)).split('-');
  return `${Number(m)}月${Number(d)}日 24:00`;
}

function serviceOf(r: repo.ServiceRow): ServiceT {
  return {
    service_code: r.code, service_name: r.name,
    description: `${r.group_name}·${r.name}（${KIND_NAMES[r.kind] ?? r.kind}）：${r.accept_days} 个工作日内受理，${r.handle_days} 个工作日内处置完毕`,
    metadata: r.metadata, type: 'realtime', keywords: r.keywords.join(','), group: r.group_name,
  };
}

/**
 * The jurisdiction a request names: a district of the territory tree, or 404 (the spec's "jurisdiction_id provided
 * was not found"). Undefined when none is named.
 */
export async function jurisdiction(db: Kysely<DB>, id: string | undefined): Promise<{ code: string; path: string } | undefined> {
  if (id === undefined || id === '') return undefined;
  const found = await repo.findDistrict(db, id.trim());
  if (!found) throw new AppError('NOT_FOUND', `jurisdiction_id: 辖区 ${id} 不存在`, { field: 'jurisdiction_id', en: `jurisdiction_id: ${id} not found` });
  return found;
}

/** When this endpoint's shape last changed (the discovery document's changeset). */
const CHANGESET = '2026-11-29T00:00:00+08:00';

/** Service discovery: this GeoReport v2 endpoint at `baseUrl`, its formats, and how to obtain a key. */
export function discovery(baseUrl: string): DiscoveryT {
  return {
    changeset: CHANGESET,
    contact: '所在区的一网统管（城市运行）中心',
    key_service: '接入密钥由区级管理员在平台“接入密钥”中签发（POST /api/v1/cases/intake/keys），只在签发时显示一次',
    endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: baseUrl, changeset: CHANGESET, type: 'production',
      formats: ['application/json', 'text/xml'] }],
  };
}

/** GET services: the active minor categories listed for Open311. */
export async function listServices(db: Kysely<DB>, jurisdictionId?: string): Promise<ServiceT[]> {
  await jurisdiction(db, jurisdictionId);
  return (await repo.listServices(db)).map(serviceOf);
}

const DATATYPE_NOTES: Record<string, string | null> = {
  number: '数字', datetime: 'ISO 8601 日期时间（含时区）', string: '一行文字', text: '多行文字',
  singlevaluelist: '从 values 中选一个 key', multivaluelist: '从 values 中选一个或多个 key',
};

/** GET service definition: the service's attributes, or 404 for a code that is no Open311 service. */
export async function serviceDefinition(db: Kysely<DB>, code: string, jurisdictionId?: string): Promise<ServiceDefinitionT> {
  await jurisdiction(db, jurisdictionId);
  const service = await repo.findService(db, code);
  if (!service) throw new AppError('NOT_FOUND', `service_code: 服务 ${code} 不存在`, { field: 'service_code', en: `service_code: ${code} not found` });
  const attributes: AttributeT[] = (await repo.listAttributes(db, code)).map((a, i) => ({
    variable: true, code: a.code, datatype: a.datatype, required: a.required, datatype_description: DATATYPE_NOTES[a.datatype] ?? null,
    order: i + 1, description: a.description, values: Array.isArray(a.values_json) ? (a.values_json as { key: string; name: string }[]).map((v) => ({ key: v.key, name: v.name })) : [],
  }));
  return { service_code: code, attributes };
}

/** The attribute values of a request: `attribute[code]=v`, `attribute[code][]=v` (form), or `{attribute: {code: v}}` (JSON). */
function attributesOf(body: CreateRequestBodyT): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (body.attribute && typeof body.attribute === 'object' && !Array.isArray(body.attribute)) Object.assign(out, body.attribute);
  for (const [key, value] of Object.entries(body)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (!m) continue;
    const prior = out[m[1]!];
    out[m[1]!] = m[2] ? [...(Array.isArray(prior) ? prior : []), ...(Array.isArray(value) ? value : [value])] : value;
  }
  return out;
}

/** The core names fields its own way; an Open311 client knows them by the spec's names. */
const SPEC_FIELDS: Record<string, string> = { lng: 'long', lat: 'lat', categoryCode: 'service_code', description: 'description', photos: 'media_url' };

function inSpecTerms(e: unknown): unknown {
  if (!(e instanceof AppError) || !e.field || !SPEC_FIELDS[e.field]) return e;
  const field = SPEC_FIELDS[e.field]!;
  const swap = (s: string) => (s.startsWith(`${e.field}:`) ? `${field}:${s.slice(e.field!.length + 1)}` : s);
  return new AppError(e.code, swap(e.message), { ...e.options, field, ...(e.options.en ? { en: swap(e.options.en) } : {}) });
}

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '');

/**
 * POST a service request: the key is checked (403), the jurisdiction (404), the service, position and attributes
 * (400); then the case is filed through the one intake, bounded to the key's jurisdiction. The answer names the
 * service number, the seat that will handle it and its acceptance deadline.
 */
export async function createRequest(db: Kysely<DB>, body: CreateRequestBodyT, apiKey: string | undefined): Promise<CreatedRequestT> {
  const key = await requireApiKey(db, apiKey, 'open311');
  const named = await jurisdiction(db, body.jurisdiction_id);
  if (named && !(named.path === key.jurisdictionPath || named.path.startsWith(`${key.jurisdictionPath}.`) || key.jurisdictionPath.startsWith(`${named.path}.`))) {
    throw new AppError('FORBIDDEN', `jurisdiction_id: 此密钥不能向辖区 ${named.code} 提交`, { field: 'jurisdiction_id', en: 'jurisdiction_id: not allowed for this api_key' });
  }
  const code = text(body.service_code);
  if (!code) throw invalid('service_code', '缺少必填项', 'required');
  const service = await repo.findService(db, code);
  if (!service) throw invalid('service_code', `服务 ${code} 不存在`, `${code} not found`);
  if (body.lat === undefined || body.long === undefined) {
    throw invalid(body.lat === undefined ? 'lat' : 'long',
      body.address_string ? '仅有地址无法定位派发，请同时提供经纬度 lat/long（WGS-84）' : '请提供问题发生的位置：经纬度 lat/long（WGS-84）',
      'a position (lat/long, WGS-84) is required; an address alone cannot be routed');
  }
  const description = text(body.description);
  if ([...description].length < 2) throw invalid('description', '请描述问题（至少 2 个字）', 'describe the problem (at least 2 characters)');
  const attributes = await checkAttributes(db, code, attributesOf(body), (c) => `attribute[${c}]`);
  const mediaUrl = text(body.media_url);
  if (mediaUrl && !/^https?:\/\/\S+$/i.test(mediaUrl)) throw invalid('media_url', '应为 http(s) 网址', 'an http(s) URL is expected');
  // Chinese order for a Chinese name (family name first), Western order otherwise
  const first = text(body.first_name);
  const last = text(body.last_name);
  const cjk = /[\u3400-\u9fff]/.test(first + last);
  const name = (cjk ? `${last}${first}` : [first, last].filter(Boolean).join(' ')).slice(0, 40) || null;
  const phone = text(body.phone).replace(/[\s-]/g, '').slice(0, 30) || null;
  const source = Object.fromEntries(Object.entries({ media_url: mediaUrl, device_id: text(body.device_id), account_id: text(body.account_id),
    address_id: text(body.address_id) }).filter(([, v]) => v));
  try {
    const made = await inOneStatement((onCommit) => intakeCase(db, onCommit, {
      channel: 'open311', categoryCode: code, description, lng: body.long!, lat: body.lat!, address: text(body.address_string).slice(0, 200),
      attributes: { ...attributes, ...source }, reporterName: name, reporterPhone: phone, withinPath: key.jurisdictionPath,
    }, key.name));
    const c = made.row;
    return [{
      service_request_id: made.serviceNo,
      service_notice: `已登记，服务单号 ${made.serviceNo}；由${c.handler_name}在 ${deadlineText(made.acceptDeadline)} 前受理（按工作日计算，法定节假日顺延）`,
      account_id: text(body.account_id) || null,
    }];
  } catch (e) {
    throw inSpecTerms(e);
  }
}

/** "2单元501室" → "2单元***室": who lives behind which door stays private (platform/pii maskAddress). */
function publicAddress(address: string): string | null {
  if (!address) return null;
  const parsed = parseAddress(address);
  if (!parsed) return address;
  return `${parsed.compound ?? ''}${parsed.building}幢${parsed.unit}单元***室`;
}

/** Mobile and ID numbers a reporter wrote into the description are masked in the public view. */
function publicDescription(description: string): string {
  return description
    .replace(/(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])/g, (m) => maskIdNumber(m)!)
    .replace(/(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g, (m) => maskMobile(m)!);
}

function requestOf(r: repo.PublicRequestRow): ServiceRequestT {
  const notes = r.state === 'merged' && r.merged_into_no ? `${r.state_name}：并入服务单 ${r.merged_into_no}`
    : r.state === 'voided' && r.status_note ? `${r.state_name}：${r.status_note}` : r.state_name;
  return {
    service_request_id: r.service_no, status: r.open311_status, status_notes: notes,
    service_name: r.category_name, service_code: r.category_code, description: publicDescription(r.description),
    agency_responsible: r.handler_name,
    service_notice: `${r.accept_days} 个工作日内受理，${r.handle_days} 个工作日内处置完毕（按工作日计算）`,
    requested_datetime: w3c(r.reported_at), updated_datetime: w3c(r.updated_at), expected_datetime: w3c(r.deadline),
    address: publicAddress(r.address), address_id: null, zipcode: null, lat: r.lat, long: r.lng, media_url: r.media_url,
  };
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

function when(value: string | undefined, field: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  // W3C date-time with a zone, or a bare date (taken as Beijing midnight)
  const s = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+08:00` : value;
  const t = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw invalid(field, '应为 ISO 8601 日期时间（含时区，如 2026-11-29T08:00:00+08:00）', 'an ISO 8601 date-time with a zone is expected');
  return new Date(t);
}

/**
 * GET requests: by `service_request_id` (a comma list, overriding every other filter, as the spec says), else
 * by service codes, status and a window on requested_datetime (default and longest: 90 days), newest first.
 */
export async function listRequests(db: Kysely<DB>, q: RequestsQueryT, now = new Date()): Promise<ServiceRequestT[]> {
  const within = await jurisdiction(db, q.jurisdiction_id);
  const limit = q.limit ?? 1000;
  const ids = list(q.service_request_id);
  if (ids.length) {
    const rows = await repo.listPublicRequests(db, {
      ids: { numbers: ids.filter((i) => /^[0-9]{1,15}$/.test(i)).map(Number), serviceNos: ids }, underPath: within?.path ?? null, limit,
    });
    return rows.map(requestOf);
  }
  const statuses = list(q.status).map((s) => s.toLowerCase());
  const wrong = statuses.find((s) => s !== 'open' && s !== 'closed');
  if (wrong !== undefined) throw invalid('status', '取值须为 open 或 closed', 'open or closed');
  // one bound given: the window runs 90 days from it (start) or up to it (end); none: the most recent 90 days
  const startGiven = when(q.start_date, 'start_date');
  const end = when(q.end_date, 'end_date') ?? (startGiven ? new Date(startGiven.getTime() + WINDOW_DAYS * DAY_MS) : now);
  const start = startGiven ?? new Date(end.getTime() - WINDOW_DAYS * DAY_MS);
  if (start > end) throw invalid('start_date', '不能晚于 end_date', 'after end_date');
  if (end.getTime() - start.getTime() > WINDOW_DAYS * DAY_MS) throw invalid('end_date', `时间窗口不能超过 ${WINDOW_DAYS} 天`, `the window may not span more than ${WINDOW_DAYS} days`);
  const codes = list(q.service_code);
  const rows = await repo.listPublicRequests(db, {
    codes: codes.length ? codes : undefined, statuses: statuses.length ? (statuses as ('open' | 'closed')[]) : undefined,
    from: start, to: end, underPath: within?.path ?? null, limit,
  });
  return rows.map(requestOf);
}

/** GET one request by its service number (or case id); 404 when there is no such public request. */
export async function getRequest(db: Kysely<DB>, id: string, jurisdictionId?: string): Promise<ServiceRequestT[]> {
  const within = await jurisdiction(db, jurisdictionId);
  const rows = await repo.listPublicRequests(db, {
    ids: { numbers: /^[0-9]{1,15}$/.test(id) ? [Number(id)] : [], serviceNos: [id] }, underPath: within?.path ?? null, limit: 1,
  });
  if (!rows.length) throw new AppError('NOT_FOUND', `service_request_id: 服务单 ${id} 不存在`, { field: 'service_request_id', en: `service_request_id: ${id} not found` });
  return rows.map(requestOf);
}
