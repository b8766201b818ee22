/**
 * No bad input reaches a 500 (issue 10, item 2). A sweep generated from /openapi.json sends every operation the
 * inputs an attacker tries first — control characters in every string of the path, the query and the body, integers
 * beyond any column's range, tampered pagination cursors, broken URL encodings, a 10,000-character path parameter,
 * over-long and control-laden headers — as the district admin and without a session, plus the public Open311
 * endpoints form-encoded and the multipart uploads. Every answer must be a 4xx in the API's error format naming the
 * field, nothing may change, and nothing may be logged as an unhandled error.
 */
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { createTestContext, type TestContext } from './helpers.js';
import { waitForImports } from '../server/src/modules/imports/imports.service.js';

type Schema = Record<string, any>;
interface Operation { method: string; path: string; op: Schema }
interface Probe {
  what: string; method: string; url: string; body?: unknown; headers?: Record<string, string>;
  /** the field the answer must name (a refusal is required); undefined: any < 500 answer in the error format */
  field?: string;
}

const CONTROL = ['\u0000', '\u0001', '\u0008', '\u000b', '\u001b', '\u001f', '\u007f'];
/** Text with a control character somewhere in it, drawn by fast-check (fixed seed: the sweep is reproducible). */
const nasty = fc.sample(fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...CONTROL), fc.string({ maxLength: 6 }))
  .map(([a, c, b]) => `${a}${c}${b}`), { seed: 20261203, numRuns: 64 });
let drawn = 0;
const nastyText = () => nasty[drawn++ % nasty.length]!;

const OUT_OF_RANGE = [2 ** 31, 2 ** 63, 1e300, -1];
const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** Cursors no list ever hands out: broken encodings, wrong arity, wrong kinds, numbers out of range. */
const BAD_CURSORS: { cursor: string; alwaysRefused: boolean }[] = [
  { cursor: 'not base64 !!', alwaysRefused: true },
  { cursor: b64('not json'), alwaysRefused: true },
  { cursor: b64('{"id":1}'), alwaysRefused: true },
  { cursor: b64('[]'), alwaysRefused: true },
  { cursor: b64('[1,2,3]'), alwaysRefused: true },
  { cursor: b64('[{"a":1}]'), alwaysRefused: true },
  { cursor: b64('[{"a":1},[2]]'), alwaysRefused: true },
  { cursor: b64('[null,null]'), alwaysRefused: true },
  { cursor: b64(`[${2 ** 63}]`), alwaysRefused: true },
  { cursor: b64('[1e300, 1e300]'), alwaysRefused: true },
  { cursor: b64('["x\\u0000"]'), alwaysRefused: true },
  { cursor: b64('["2026-13-45T99:00:00Z", 1]'), alwaysRefused: true },
  { cursor: b64('["x"]'), alwaysRefused: false },
  { cursor: b64('[5, "x"]'), alwaysRefused: false },
  { cursor: b64('["2026-01-01T00:00:00.000Z", "x"]'), alwaysRefused: false },
];

const PATTERN_CANDIDATES = ['330108001001', '330108001', '330108', '0103', '01', '2026-12-01', '2026-12-01T08:00:00+08:00', '2026-Q1', '2026-12',
  '13800000000', 'a', 'x', '1', 'a1', 'abc', '12345', randomUUID(), '120.1,30.2,120.2,30.3'];

describe('bad input never reaches a 500', () => {
  let t: TestContext;
  let admin: string;
  let spec: { paths: Record<string, Record<string, Schema>>; components?: { schemas?: Record<string, Schema> } };
  let operations: Operation[];
  const problems: string[] = [];
  let errorLog: ReturnType<typeof vi.spyOn>;

  const resolve = (s: Schema | undefined): Schema => {
    let out = s ?? {};
    for (let i = 0; out.$ref && i < 10; i++) out = spec.components?.schemas?.[String(out.$ref).replace('#/components/schemas/', '')] ?? {};
    return out;
  };
  /** One non-null branch of a union. */
  const branch = (s: Schema): Schema => {
    const r = resolve(s);
    const options = r.anyOf ?? r.oneOf;
    if (!options) return r;
    return branch(options.find((o: Schema) => resolve(o).type !== 'null') ?? options[0]);
  };
  const typeOf = (s: Schema): string | undefined => {
    const r = branch(s);
    return Array.isArray(r.type) ? r.type.find((x: string) => x !== 'null') : r.type;
  };

  /** A plausible value for a schema: enough that the field under test, not a neighbour, is what gets refused. */
  function sample(s: Schema, include: (string | number)[] = []): unknown {
    const r = branch(s);
    if (r.const !== undefined) return r.const;
    if (r.enum) return r.enum[0];
    if (r.default !== undefined && !include.length) return r.default;
    switch (typeOf(r)) {
      case 'object': {
        const out: Record<string, unknown> = {};
        for (const [name, prop] of Object.entries<Schema>(r.properties ?? {})) {
          if ((r.required ?? []).includes(name) || include[0] === name) out[name] = sample(prop, include[0] === name ? include.slice(1) : []);
        }
        return out;
      }
      case 'array': return Array.from({ length: Math.max(1, r.minItems ?? 1) }, () => sample(r.items ?? {}, include.slice(1)));
      case 'integer': return Math.max(r.minimum ?? 1, Math.min(1, r.maximum ?? 1));
      case 'number': return r.minimum !== undefined && r.minimum > 0 ? r.minimum : Math.min(r.maximum ?? 30, 30);
      case 'boolean': return false;
      case 'string': {
        if (r.format === 'date') return '2026-12-01';
        if (r.format === 'date-time') return new Date().toISOString();
        if (r.format === 'uuid') return randomUUID();
        if (r.pattern) {
          const re = new RegExp(r.pattern, 'u');
          const hit = PATTERN_CANDIDATES.find((c) => re.test(c));
          if (hit) return hit;
        }
        return 'x'.repeat(Math.max(1, r.minLength ?? 1));
      }
      default: return 'x';
    }
  }

  /** Every leaf of a body schema, as a path: strings and numbers, up to three levels deep. */
  function leaves(s: Schema, at: (string | number)[] = [], depth = 0): { path: (string | number)[]; type: string; schema: Schema }[] {
    const r = branch(s);
    const type = typeOf(r);
    if (depth > 3) return [];
    if (type === 'object') return Object.entries<Schema>(r.properties ?? {}).flatMap(([name, prop]) => leaves(prop, [...at, name], depth + 1));
    if (type === 'array') return leaves(r.items ?? {}, [...at, 0], depth + 1);
    if (type === 'string' || type === 'integer' || type === 'number') return [{ path: at, type, schema: r }];
    return [];
  }

  /** Whether a number lies inside the range the schema declares (a bigint id may be 2^31): then it is no bad input. */
  const inDeclaredRange = (s: Schema, n: number) => {
    const r = branch(s);
    return r.maximum !== undefined && n <= r.maximum && n >= (r.minimum ?? -Infinity);
  };

  /** A date field: impossible dates (30 February, month 13) must be refused by the schema, not by PostgreSQL (22008). */
  const dateLike = (s: Schema) => { const r = branch(s); return r.format === 'date' || /\{4\}-/.test(String(r.pattern ?? '')); };
  const BAD_DATES = ['2026-02-30', '2026-13-01', '0000-00-00'];

  function setIn(target: unknown, path: (string | number)[], value: unknown): unknown {
    if (!path.length) return value;
    const [head, ...rest] = path;
    const container = (target ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
    container[head!] = setIn(container[head!], rest, value);
    return container;
  }

  function pathValue(name: string, schema: Schema, path: string): string {
    const r = branch(schema);
    if (r.enum || r.const !== undefined) return String(sample(r));
    if (typeOf(r) === 'integer') return '1';
    if (name === 'code' || name === 'memberCode' || name === 'orgCode') return path.startsWith('/api/v1/org/') ? '3301' : '330108001001';
    if (name === 'day') return '2026-12-01';
    return String(sample(r));
  }

  function probesFor({ method, path, op }: Operation): Probe[] {
    const params: Schema[] = op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const queryParams = params.filter((p) => p.in === 'query');
    const key = `${method} ${path}`;
    const fill = (override: Record<string, string> = {}) => path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      override[name] ?? encodeURIComponent(pathValue(name, pathParams.find((p) => p.name === name)?.schema ?? {}, path)));
    const baseQuery = Object.fromEntries(queryParams.filter((p) => p.required).map((p) => [p.name, String(sample(p.schema))]));
    const qs = (q: Record<string, string>, raw = '') => {
      const text = [...Object.entries(q).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), raw].filter(Boolean).join('&');
      return text ? `?${text}` : '';
    };
    const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
    const baseBody = bodySchema ? sample(bodySchema) : undefined;
    const probes: Probe[] = [];
    const add = (p: Omit<Probe, 'method'>) => probes.push({ method, ...p, what: `${key} ${p.what}` });

    for (const p of pathParams) {
      add({ what: `path ${p.name} with a control character`, url: fill({ [p.name]: encodeURIComponent(nastyText()) }) + qs(baseQuery), body: baseBody, field: p.name });
      add({ what: `path ${p.name} %zz`, url: fill({ [p.name]: '%zz' }) + qs(baseQuery), body: baseBody, field: 'path' });
      add({ what: `path ${p.name} %E0%A4%A`, url: fill({ [p.name]: 'ab%E0%A4%A' }) + qs(baseQuery), body: baseBody, field: 'path' });
      add({ what: `path ${p.name} of 10,000 characters`, url: fill({ [p.name]: '9'.repeat(10_000) }) + qs(baseQuery), body: baseBody, field: 'path' });
      if (dateLike(p.schema)) for (const d of BAD_DATES) add({ what: `path ${p.name}=${d}`, url: fill({ [p.name]: d }) + qs(baseQuery), body: baseBody, field: p.name });
      if (typeOf(p.schema) === 'integer') {
        for (const n of OUT_OF_RANGE.filter((v) => !inDeclaredRange(p.schema, v))) add({ what: `path ${p.name}=${n}`, url: fill({ [p.name]: String(n) }) + qs(baseQuery), body: baseBody, field: p.name });
      }
    }
    for (const p of queryParams) {
      const type = typeOf(p.schema);
      if (p.name === 'cursor') {
        for (const { cursor, alwaysRefused } of BAD_CURSORS) {
          add({ what: `cursor ${cursor}`, url: fill() + qs({ ...baseQuery, cursor }), ...(alwaysRefused ? { field: 'cursor' } : {}) });
        }
      }
      if (dateLike(p.schema)) for (const d of BAD_DATES) add({ what: `query ${p.name}=${d}`, url: fill() + qs({ ...baseQuery, [p.name]: d }), body: baseBody, field: p.name });
      if (type === 'string' || !type) {
        add({ what: `query ${p.name} with a control character`, url: fill() + qs({ ...baseQuery, [p.name]: nastyText() }), body: baseBody, field: p.name });
      }
      add({ what: `query ${p.name} %E0%A4%A`, url: fill() + qs(baseQuery, `${p.name}=ab%E0%A4%A`), body: baseBody, field: p.name });
      add({ what: `query ${p.name} %zz`, url: fill() + qs(baseQuery, `${p.name}=%zz`), body: baseBody, field: p.name });
      if (type === 'integer' || type === 'number') {
        for (const n of OUT_OF_RANGE.filter((v) => !inDeclaredRange(p.schema, v))) {
          if (n === -1 && type === 'number') continue;
          add({ what: `query ${p.name}=${n}`, url: fill() + qs({ ...baseQuery, [p.name]: String(n) }), body: baseBody, field: p.name });
        }
      }
    }
    if (bodySchema) {
      for (const leaf of leaves(bodySchema)) {
        const name = leaf.path.join('.');
        const base = sample(bodySchema, leaf.path);
        if (leaf.type === 'string') {
          add({ what: `body ${name} with a control character`, url: fill() + qs(baseQuery), body: setIn(structuredClone(base), leaf.path, nastyText()), field: name });
          if (dateLike(leaf.schema)) for (const d of BAD_DATES) add({ what: `body ${name}=${d}`, url: fill() + qs(baseQuery), body: setIn(structuredClone(base), leaf.path, d), field: name });
        } else {
          for (const n of OUT_OF_RANGE.filter((v) => !inDeclaredRange(leaf.schema, v))) {
            if (n === -1 && leaf.type === 'number') continue;
            add({ what: `body ${name}=${n}`, url: fill() + qs(baseQuery), body: setIn(structuredClone(base), leaf.path, n), field: name });
          }
        }
      }
      // a key with a control character (stored as jsonb it would be a 500)
      add({ what: 'body key with a control character', url: fill() + qs(baseQuery), body: { ...(baseBody as object), ['k\u0000']: 1 }, field: 'k\u0000' });
    }
    const base = fill() + qs(baseQuery);
    add({ what: 'over-long header', url: base, body: baseBody, headers: { 'accept-language': 'zh,'.repeat(5000) }, field: 'accept-language' });
    add({ what: 'over-long user agent', url: base, body: baseBody, headers: { 'user-agent': 'x'.repeat(20_000) }, field: 'user-agent' });
    add({ what: 'control character in a header', url: base, body: baseBody, headers: { 'user-agent': `probe${nastyText()}` }, field: 'user-agent' });
    if (method === 'POST') {
      add({ what: 'control character in Idempotency-Key', url: base, body: baseBody, headers: { 'idempotency-key': `k${nastyText()}` }, field: 'idempotency-key' });
    }
    return probes;
  }

  /** Checks one answer: no 5xx, the error format, the field named when a refusal was expected. */
  function judge(probe: Probe, res: LightMyRequestResponse, who: string) {
    const label = `${who} ${probe.what} → ${res.statusCode} ${res.body.slice(0, 200)}`;
    if (res.statusCode >= 500) { problems.push(`5xx: ${label}`); return; }
    if (probe.field !== undefined && (res.statusCode < 400 || res.statusCode >= 500)) { problems.push(`not refused: ${label}`); return; }
    if (res.statusCode < 400) return;
    const open311 = probe.url.startsWith('/open311/') && !/^\{"error"/.test(res.body);
    if (open311 && /\.xml(\?|$)/.test(probe.url)) {
      // GeoReport's XML errors: <errors><error><code>400</code><description>…</description></error></errors>
      const code = /<code>(\d+)<\/code>/.exec(res.body)?.[1];
      const description = /<description>([^<]*)<\/description>/.exec(res.body)?.[1];
      if (Number(code) !== res.statusCode || description === undefined) { problems.push(`not the Open311 XML error format: ${label}`); return; }
      const named = (probe.field === 'format' ? ['format', 'service_request_id'] : [probe.field ?? ''])
        .map((f) => `${f.replace(/[\u0000-\u001f\u007f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;')}:`);
      if (probe.field !== undefined && res.statusCode === 400 && !named.some((n) => description.startsWith(n))) problems.push(`field not named: ${label}`);
      return;
    }
    let body: any;
    try { body = res.json(); } catch { problems.push(`not JSON: ${label}`); return; }
    if (open311) {
      const first = Array.isArray(body) ? body[0] : undefined;
      if (!first || first.code !== res.statusCode || typeof first.description !== 'string') { problems.push(`not the Open311 error format: ${label}`); return; }
      // `{service_request_id}.{format}` and `{service_code}.{format}` are one path segment each, split by the router: a
      // control character in it (a drawn text may hold a '.') may be reported under either name, and both name the
      // offending part of the path
      const names = probe.field === 'format' ? ['format', 'service_request_id', 'service_code'] : [probe.field];
      if (probe.field !== undefined && res.statusCode === 400 && !names.some((f) => first.description.startsWith(`${f}:`))) problems.push(`field not named: ${label}`);
      return;
    }
    if (typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string') { problems.push(`not the error format: ${label}`); return; }
    // A refusal before validation may be 401/403/404 without a session or rights; a 400 must name the field.
    if (probe.field !== undefined && res.statusCode === 400 && body.error.field !== probe.field) problems.push(`field not named (${body.error.field}): ${label}`);
  }

  const send = (token: string | null, p: Probe) => t.app.inject({
    method: p.method as 'GET', url: p.url,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(p.headers ?? {}) },
    ...(p.body !== undefined ? { payload: p.body as object } : {}),
  });

  const state = async () => (await t.database.query<Record<string, number>>(`select
      (select count(*) from audit_log)::int as audits, (select count(*) from login_log)::int as logins,
      (select count(*) from user_session)::int as sessions, (select count(*) from civic_case)::int as cases,
      (select count(*) from import_job)::int as imports, (select count(*) from stored_file)::int as files,
      (select count(*) from idempotency_key)::int as idempotency, (select count(*) from app_user)::int as users,
      (select count(*) from notification)::int as notifications, (select count(*) from service_task)::int as tasks`))[0];

  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
    spec = t.app.swagger() as unknown as typeof spec;
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })));
    errorLog = vi.spyOn(t.app.log, 'error');
  });
  afterAll(async () => t.close());

  it('sweeps every operation in /openapi.json, as the admin and without a session', async () => {
    problems.length = 0;
    const before = await state();
    const started = Date.now();
    let sent = 0;
    for (const operation of operations) {
      // a live stream that validates never ends: only probes that must be refused
      const streaming = operation.path.endsWith('/stream');
      const probes = probesFor(operation).filter((p) => !streaming || p.field !== undefined);
      expect(probes.length, `${operation.method} ${operation.path} has no probe`).toBeGreaterThan(0);
      for (const probe of probes) { judge(probe, await send(admin, probe), 'admin'); sent++; }
      // without a session: every probe that must be refused, and the rest sampled
      for (const [i, probe] of probes.entries()) {
        if (probe.field === undefined && i % 3) continue;
        judge(probe, await send(null, probe), 'anonymous'); sent++;
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(await state()).toEqual(before);
    expect(errorLog).not.toHaveBeenCalled();
    expect(operations.length).toBeGreaterThan(150);
    console.log(`[bad-input] ${sent} requests over ${operations.length} operations in ${Date.now() - started} ms`);
  }, 300_000);

  it('refuses control characters and bad numbers in form-encoded Open311 requests, in JSON and XML', async () => {
    problems.length = 0;
    const before = await state();
    const fields = ['api_key', 'jurisdiction_id', 'service_code', 'address_string', 'address_id', 'email', 'device_id', 'account_id',
      'first_name', 'last_name', 'phone', 'description', 'media_url', 'attribute[0103]'];
    const form = (extra: Record<string, string>) => new URLSearchParams({ service_code: '0103', lat: '30.2', long: '120.2', ...extra }).toString();
    for (const format of ['json', 'xml']) {
      const post = (payload: string) => t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload,
        headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      for (const field of fields) {
        const probe: Probe = { what: `form ${field}`, method: 'POST', url: `/open311/v2/requests.${format}`, field };
        judge(probe, await post(form({ [field]: nastyText() })), 'anonymous');
      }
      judge({ what: 'form key with NUL', method: 'POST', url: `/open311/v2/requests.${format}`, field: 'attribute[a\u0000]' },
        await post(`${form({})}&attribute%5Ba%00%5D=1`), 'anonymous');
      for (const n of ['1e300', String(2 ** 63), '-1e300']) {
        judge({ what: `form lat=${n}`, method: 'POST', url: `/open311/v2/requests.${format}`, field: 'lat' }, await post(form({ lat: n })), 'anonymous');
      }
      judge({ what: 'query with NUL', method: 'GET', url: `/open311/v2/requests.${format}?status=open%00`, field: 'status' },
        await t.app.inject({ url: `/open311/v2/requests.${format}?status=open%00` }), 'anonymous');
      judge({ what: 'bad query encoding', method: 'GET', url: `/open311/v2/requests.${format}?service_code=%E0%A4%A`, field: 'service_code' },
        await t.app.inject({ url: `/open311/v2/requests.${format}?service_code=%E0%A4%A` }), 'anonymous');
      judge({ what: 'bad path encoding', method: 'GET', url: `/open311/v2/requests/%zz.${format}` },
        await t.app.inject({ url: `/open311/v2/requests/%zz.${format}` }), 'anonymous');
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('refuses control characters in multipart uploads: file names and form fields', async () => {
    problems.length = 0;
    const before = await state();
    const multipart = (fields: Record<string, string>, fileName: string, content: Buffer) => {
      const boundary = `----linli${randomUUID()}`;
      const parts = Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
      const payload = Buffer.concat([Buffer.from(parts.join('')),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
        content, Buffer.from(`\r\n--${boundary}--\r\n`)]);
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${admin}` } };
    };
    const csv = Buffer.from('姓名,身份证号\n张三,110101199003074514\n');
    const cases: [string, string, Record<string, string>, string, string][] = [
      ['imports: file name', '/api/v1/imports', { kind: 'residents' }, `a\u0000.csv`, 'file'],
      ['imports: kind', '/api/v1/imports', { kind: `residents\u0000` }, 'a.csv', 'kind'],
      ['imports: mode', '/api/v1/imports', { kind: 'residents', mode: `all\u0001` }, 'a.csv', 'mode'],
    ];
    for (const [what, url, fields, name, field] of cases) {
      const res = await t.app.inject({ method: 'POST', url, ...multipart(fields, name, csv) });
      judge({ what, method: 'POST', url, field }, res, 'admin');
    }
    for (const url of ['/api/v1/files', '/api/v1/cases/intake/hotline']) {
      const res = await t.app.inject({ method: 'POST', url, ...multipart({ note: `x\u0000` }, `a\u0000.xlsx`, Buffer.from('not an image')) });
      judge({ what: `${url} with control characters`, method: 'POST', url }, res, 'admin');
    }
    expect(problems, problems.join('\n')).toEqual([]);
    expect(await state()).toEqual(before);
  });

  it('keeps the cursors the lists hand out working (each key kind: id, int4 + code, timestamp + id)', async () => {
    let followed = 0;
    const [orgRoot] = await t.database.query<{ code: string }>(`select code from party_org where parent_code is null order by code limit 1`);
    for (const list of ['/api/v1/users?limit=2', '/api/v1/territory/nodes/330108/children?limit=2', '/api/v1/cases?limit=2',
      '/api/v1/archive/persons?limit=2', `/api/v1/org/nodes/${orgRoot!.code}/children?limit=2`]) {
      const first = await t.call(admin, 'GET', list);
      expect(first.statusCode, `${list}: ${first.body.slice(0, 200)}`).toBe(200);
      const next = first.json().nextCursor as string | null;
      if (!next) continue;
      const more = await t.call(admin, 'GET', `${list}&cursor=${next}`);
      expect(more.statusCode, `${list} page 2: ${more.body.slice(0, 200)}`).toBe(200);
      followed++;
    }
    expect(followed).toBeGreaterThanOrEqual(3);
  });

  it('reports a control character in an imported cell as a row error, not a failed job', async () => {
    const boundary = `----linli${randomUUID()}`;
    const csv = `社区编码,小区名称,楼幢号,单元号,房号\n330108001001,测试\u0000小区,3,2,501\n`;
    const payload = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nrooms\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="mode"\r\n\r\nvalid_rows\r\n`
      + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="rooms.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`);
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${admin}` } });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImports();
    const job = (await t.call(admin, 'GET', `/api/v1/imports/${res.json().id}`)).json();
    expect(job).toMatchObject({ status: 'succeeded', rejected: 1, imported: 0 });
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('answers Node\'s own refusals on the wire (header block over 16 KiB, control character in a header) in the error format', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(address).port);
    const raw = (request: string) => new Promise<string>((done) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(request));
      let data = '';
      socket.on('data', (chunk) => { data += chunk; });
      socket.on('close', () => done(data));
      socket.on('error', () => done(data));
    });
    const huge = await raw(`GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Filler: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'TOO_LARGE', field: 'headers' } });
    const control = await raw('GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u0001b\r\n\r\n');
    expect(control).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(control.slice(control.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'VALIDATION' } });
  });
});
