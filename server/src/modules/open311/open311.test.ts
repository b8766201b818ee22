/**
 * Open311 GeoReport v2 conformance through the real app on a real database: service list and definition, POST
 * (form-encoded and JSON) → a routed case, GET by id, status and date window, the standard's error bodies, each in
 * JSON and XML (the XML parsed by a strict little reader below, so a document that is not well-formed fails).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { OPEN311_DEMO_KEY } from '../../seed/cases.js';
import { makeApiKey, pointIn, XILING, XILING_GRID1 } from '../cases/intake/test-factory.js';

interface XmlElement { name: string; children: XmlElement[]; text: string }

/** A strict reader for the XML these endpoints write: declaration, elements, text, the five entities; throws otherwise. */
function parseXml(doc: string): XmlElement {
  const decl = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(doc);
  if (!decl) throw new Error('no XML declaration with encoding UTF-8');
  let i = decl[0].length;
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const decode = (s: string) => {
    if (/[<>]/.test(s)) throw new Error(`raw markup character in text: ${s}`);
    return s.replace(/&([a-z]+);|&/g, (m, name: string | undefined) => {
      if (!name || !(name in entities)) throw new Error(`bad entity at ${m}`);
      return entities[name]!;
    });
  };
  const readElement = (): XmlElement => {
    const open = /^<([A-Za-z_][\w.-]*)\s*(\/?)>/.exec(doc.slice(i));
    if (!open) throw new Error(`expected an element at ${i}: ${doc.slice(i, i + 40)}`);
    i += open[0].length;
    const el: XmlElement = { name: open[1]!, children: [], text: '' };
    if (open[2]) return el;
    for (;;) {
      const next = doc.indexOf('<', i);
      if (next < 0) throw new Error(`unclosed <${el.name}>`);
      el.text += decode(doc.slice(i, next));
      i = next;
      if (doc.startsWith('</', i)) {
        const close = /^<\/([A-Za-z_][\w.-]*)\s*>/.exec(doc.slice(i));
        if (!close || close[1] !== el.name) throw new Error(`mismatched close of <${el.name}> at ${i}`);
        i += close[0].length;
        if (el.children.length) el.text = el.text.trim() ? (() => { throw new Error(`mixed content in <${el.name}>`); })() : '';
        return el;
      }
      el.children.push(readElement());
    }
  };
  const root = readElement();
  if (doc.slice(i).trim()) throw new Error('content after the root element');
  return root;
}
const child = (el: XmlElement, name: string) => el.children.find((c) => c.name === name);
const field = (el: XmlElement, name: string) => child(el, name)?.text;

describe('Open311 GeoReport v2', () => {
  let t: TestContext;
  let key: string;
  let here: { lng: number; lat: number; microGrid: string; grid: string };
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const form = (fields: Record<string, string | number>) => new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
  const postForm = (format: string, fields: Record<string, string | number>) => t.app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form(fields) });
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    t = await createTestContext();
    key = await makeApiKey(t, 'open311-test-key', 'open311');
    await makeApiKey(t, 'open311-revoked-key', 'open311', '330108', true);
    await makeApiKey(t, 'camera-not-open311', 'camera');
    await makeApiKey(t, 'open311-changhe-only', 'open311', '330108002');
    here = await pointIn(t, XILING_GRID1);
  });
  afterAll(async () => t.close());

  it('lists the services in JSON: active minor categories with the standard fields', async () => {
    const res = await get('/open311/v2/services.json');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const services = res.json() as Record<string, unknown>[];
    const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from case_category c join case_category p on p.code = c.parent_code
      where c.active and p.active and c.open311`) as [{ n: number }];
    expect(services).toHaveLength(n);
    expect(services.find((s) => s.service_code === '0103')).toEqual({
      service_code: '0103', service_name: '非机动车乱停放', description: expect.stringContaining('1 个工作日内受理'),
      metadata: true, type: 'realtime', keywords: '电动车,自行车,单车,乱停', group: '市容环境',
    });
    expect(services.find((s) => s.service_code === '0102')).toMatchObject({ metadata: false, group: '市容环境' });
    // majors are groups, never services
    expect(services.some((s) => s.service_code === '01')).toBe(false);
  });

  it('lists the same services in well-formed XML, escaping what needs it', async () => {
    await q(`update case_category set name = '意见&建议<测试>' where code = '0602'`);
    try {
      const res = await get('/open311/v2/services.xml');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
      const root = parseXml(res.body);
      expect(root.name).toBe('services');
      const json = (await get('/open311/v2/services.json')).json() as { service_code: string }[];
      expect(root.children.map((c) => c.name)).toEqual(json.map(() => 'service'));
      expect(root.children.map((c) => field(c, 'service_code'))).toEqual(json.map((s) => s.service_code));
      const parking = root.children.find((c) => field(c, 'service_code') === '0103')!;
      expect(parking.children.map((c) => c.name)).toEqual(['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group']);
      expect(field(parking, 'metadata')).toBe('true');
      expect(field(root.children.find((c) => field(c, 'service_code') === '0602')!, 'service_name')).toBe('意见&建议<测试>');
      expect(res.body).toContain('意见&amp;建议&lt;测试&gt;');
    } finally {
      await q(`update case_category set name = '意见建议' where code = '0602'`);
    }
  });

  it('checks jurisdiction_id: the district is accepted, an unknown one is 404', async () => {
    expect((await get('/open311/v2/services.json?jurisdiction_id=330108')).statusCode).toBe(200);
    const res = await get('/open311/v2/services.json?jurisdiction_id=999999');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: expect.stringContaining('jurisdiction_id') }]);
  });

  it('gives a service definition with its attributes, in JSON and XML', async () => {
    const res = await get('/open311/v2/services/0201.json');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ service_code: '0201', attributes: [{
      variable: true, code: 'cover_state', datatype: 'singlevaluelist', required: true, datatype_description: expect.any(String), order: 1,
      description: '井盖情况', values: [{ key: 'missing', name: '缺失' }, { key: 'broken', name: '破损' }, { key: 'loose', name: '松动' }],
    }] });
    const xml = await get('/open311/v2/services/0201.xml');
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('service_definition');
    expect(field(root, 'service_code')).toBe('0201');
    const attribute = child(child(root, 'attributes')!, 'attribute')!;
    expect(attribute.children.map((c) => c.name)).toEqual(['variable', 'code', 'datatype', 'required', 'datatype_description', 'order', 'description', 'values']);
    expect(field(attribute, 'required')).toBe('true');
    expect(child(attribute, 'values')!.children.map((v) => `${field(v, 'key')}=${field(v, 'name')}`)).toEqual(['missing=缺失', 'broken=破损', 'loose=松动']);
    // a service without attributes has an empty list
    expect((await get('/open311/v2/services/0102.json')).json()).toEqual({ service_code: '0102', attributes: [] });
  });

  it('answers an unknown service code with 404 and the standard error body, in JSON and XML', async () => {
    const res = await get('/open311/v2/services/9999.json');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual([{ code: 404, description: expect.stringContaining('9999') }]);
    const xml = await get('/open311/v2/services/9999.xml');
    expect(xml.statusCode).toBe(404);
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(xml.body);
    expect(root.name).toBe('errors');
    expect(field(child(root, 'error')!, 'code')).toBe('404');
    expect(field(child(root, 'error')!, 'description')).toContain('9999');
    // a major category is no service either
    expect((await get('/open311/v2/services/01.json')).statusCode).toBe(404);
  });

  it('files a form-encoded request as a routed case and answers its service number', async () => {
    const res = await postForm('json', { api_key: key, jurisdiction_id: '330108', service_code: '0103', lat: here.lat, long: here.lng,
      address_string: '西陵社区 3幢北侧', description: '电动车堆在消防通道，联系我 13812345678', 'attribute[vehicle_count]': '12',
      first_name: '三', last_name: '张', phone: '13812345678', email: 'zhang@example.com', device_id: 'dev-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const [created] = res.json() as { service_request_id: string; service_notice: string; account_id: string | null }[];
    expect(created!.service_request_id).toMatch(/^AJ\d{8}\d{6}$/);
    expect(created!.service_notice).toContain(created!.service_request_id);
    expect(created!.account_id).toBeNull();
    const [c] = await q<Record<string, any>>(`select id::int as id, channel, grid_code, micro_grid_code, category_code, attributes, reporter_name, reporter_phone, address
      from civic_case where service_no = $1`, [created!.service_request_id]);
    expect(c).toMatchObject({ channel: 'open311', grid_code: XILING_GRID1, micro_grid_code: here.microGrid, category_code: '0103',
      reporter_name: '张三', reporter_phone: '13812345678', address: '西陵社区 3幢北侧' });
    expect(c!.attributes).toMatchObject({ vehicle_count: 12, device_id: 'dev-1' });
    expect(JSON.stringify(c!.attributes)).not.toContain('example.com'); // email is not kept

    // routed to the grid and visible to the community's staff; not to another community's
    const staff = await t.login(`community.${XILING}`);
    const seen = await t.call(staff, 'GET', `/api/v1/cases/${c!.id}`);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json().case).toMatchObject({ serviceNo: created!.service_request_id, gridCode: XILING_GRID1, channel: 'open311' });
    const other = await t.call(await t.login('community.330108002001'), 'GET', `/api/v1/cases/${c!.id}`);
    expect(other.statusCode).toBe(404);

    // GET by service number: the public view — no name, phone or email, numbers in the text masked
    const one = await get(`/open311/v2/requests/${created!.service_request_id}.json`);
    expect(one.statusCode, one.body).toBe(200);
    const [r] = one.json() as Record<string, unknown>[];
    expect(Object.keys(r!)).toEqual(['service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description',
      'agency_responsible', 'service_notice', 'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id',
      'zipcode', 'lat', 'long', 'media_url']);
    expect(r).toMatchObject({ service_request_id: created!.service_request_id, status: 'open', service_code: '0103', service_name: '非机动车乱停放',
      description: '电动车堆在消防通道，联系我 138****5678', address: '西陵社区 3幢北侧' });
    expect(r!.agency_responsible).toEqual(seen.json().case.handlerName);
    expect(r!.requested_datetime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(r!.expected_datetime).toMatch(/\+08:00$/);
    expect(r!.lat).toBeCloseTo(here.lat, 6);
    expect(r!.long).toBeCloseTo(here.lng, 6);
    expect(one.body).not.toMatch(/张三|13812345678|example\.com/);
    // and by case id
    expect((await get(`/open311/v2/requests/${c!.id}.json`)).json()[0].service_request_id).toBe(created!.service_request_id);
    // XML of the same request
    const xml = await get(`/open311/v2/requests/${created!.service_request_id}.xml`);
    const root = parseXml(xml.body);
    expect(root.name).toBe('service_requests');
    const request = child(root, 'request')!;
    expect(field(request, 'service_request_id')).toBe(created!.service_request_id);
    expect(field(request, 'status')).toBe('open');
    expect(xml.body).not.toMatch(/张三|13812345678/);
  });

  it('files a JSON request and answers in XML; attributes may come as an object', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/open311/v2/requests.xml?api_key=${key}`,
      payload: { service_code: '0201', lat: here.lat, long: here.lng, description: '井盖不见了，很危险', attribute: { cover_state: 'missing' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('service_requests');
    const request = child(root, 'request')!;
    expect(request.children.map((c) => c.name)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    const id = field(request, 'service_request_id')!;
    const [c] = await q<{ attributes: unknown; channel: string }>(`select attributes, channel from civic_case where service_no = $1`, [id]);
    expect(c).toEqual({ attributes: { cover_state: 'missing' }, channel: 'open311' });
  });

  it('takes the seeded demo key (linli-demo-key)', async () => {
    const res = await postForm('json', { api_key: OPEN311_DEMO_KEY, service_code: '0101', lat: here.lat, long: here.lng, description: '垃圾桶满了' });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('refuses a request without a valid api_key: 403 with the standard error body', async () => {
    const fields = { service_code: '0103', lat: here.lat, long: here.lng, description: '电动车乱停' };
    const [{ n: before }] = await q<{ n: number }>(`select count(*)::int as n from civic_case`) as [{ n: number }];
    const missing = await postForm('json', fields);
    expect(missing.statusCode).toBe(403);
    expect(missing.json()).toEqual([{ code: 403, description: expect.stringContaining('api_key') }]);
    const xml = await postForm('xml', fields);
    expect(xml.statusCode).toBe(403);
    const root = parseXml(xml.body);
    expect(root.name).toBe('errors');
    expect(field(child(root, 'error')!, 'code')).toBe('403');
    for (const bad of ['no-such-key', 'open311-revoked-key', 'camera-not-open311']) {
      const res = await postForm('json', { ...fields, api_key: bad });
      expect(res.statusCode, bad).toBe(403);
      expect(res.json()[0].code).toBe(403);
    }
    const [{ n: after }] = await q<{ n: number }>(`select count(*)::int as n from civic_case`) as [{ n: number }];
    expect(after).toBe(before);
    // the key may also come as a header
    const viaHeader = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { authorization: `Bearer ${key}` }, payload: fields });
    expect(viaHeader.statusCode, viaHeader.body).toBe(200);
  });

  it('refuses bad requests with 400 (or 404 for a jurisdiction) naming the field', async () => {
    const base = { api_key: key, service_code: '0201', lat: here.lat, long: here.lng, description: '井盖破损' };
    const cases: [Record<string, string | number>, number, string][] = [
      [{ ...base, service_code: '9999', 'attribute[cover_state]': 'missing' }, 400, 'service_code'],
      [{ ...base }, 400, 'attribute[cover_state]'],                                           // required attribute missing
      [{ ...base, 'attribute[cover_state]': 'stolen' }, 400, 'attribute[cover_state]'],       // not a listed value
      [{ ...base, 'attribute[cover_state]': 'missing', 'attribute[colour]': 'red' }, 400, 'attribute[colour]'],
      [{ ...base, service_code: '0103', 'attribute[vehicle_count]': 'many' }, 400, 'attribute[vehicle_count]'],
      [{ api_key: key, service_code: '0103', address_string: '西陵社区 3幢', description: '电动车乱停' }, 400, 'lat'],
      [{ ...base, service_code: '0103', description: '' }, 400, 'description'],
      [{ ...base, service_code: '0103', lat: 31.9, long: 121.9 }, 400, 'long'],              // outside every grid
      [{ ...base, 'attribute[cover_state]': 'missing', jurisdiction_id: '999999' }, 404, 'jurisdiction_id'],
      [{ ...base, 'attribute[cover_state]': 'missing', api_key: 'open311-changhe-only' }, 400, 'long'], // outside the key's jurisdiction
    ];
    for (const [fields, status, name] of cases) {
      const res = await postForm('json', fields);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(status);
      expect(res.json()).toEqual([{ code: status, description: expect.stringContaining(`${name}:`) }]);
    }
    const xml = await postForm('xml', base);
    expect(xml.statusCode).toBe(400);
    expect(field(child(parseXml(xml.body), 'error')!, 'description')).toContain('attribute[cover_state]');
    // an address alone is explained, not silently dropped
    const addressOnly = await postForm('json', { api_key: key, service_code: '0103', address_string: '西陵社区 3幢', description: '电动车乱停' });
    expect(addressOnly.json()[0].description).toContain('经纬度');
  });

  it('lists requests by status, service code and date window, and by a list of ids', async () => {
    const file = async (code: string, extra: Record<string, string> = {}) => {
      const res = await postForm('json', { api_key: key, service_code: code, lat: here.lat, long: here.lng, description: `窗口测试 ${code}`, ...extra });
      expect(res.statusCode, res.body).toBe(200);
      return res.json()[0].service_request_id as string;
    };
    const open = await file('0102');
    const voided = await file('0106');
    const old = await file('0105');
    // void one through the case loop (the community desk is the seat above the micro-grid)
    const [{ id: voidedId }] = await q<{ id: number }>(`select id::int as id from civic_case where service_no = $1`, [voided]) as [{ id: number }];
    const staff = await t.login(`community.${XILING}`);
    const act = await t.call(staff, 'POST', `/api/v1/cases/${voidedId}/actions`, { action: 'void', note: '非本平台受理范围' });
    expect(act.statusCode, act.body).toBe(200);
    // one reported 120 days ago: outside the default window
    await q(`update civic_case set reported_at = now() - interval '120 days' where service_no = $1`, [old]);

    const ids = (res: { json(): unknown }) => (res.json() as { service_request_id: string }[]).map((r) => r.service_request_id);
    const openList = await get('/open311/v2/requests.json?status=open');
    expect(openList.statusCode, openList.body).toBe(200);
    expect(ids(openList)).toContain(open);
    expect(ids(openList)).not.toContain(voided);
    expect(ids(openList)).not.toContain(old);
    const closedList = await get('/open311/v2/requests.json?status=closed');
    expect(ids(closedList)).toContain(voided);
    expect(ids(closedList)).not.toContain(open);
    const v = (closedList.json() as Record<string, string>[]).find((r) => r.service_request_id === voided)!;
    expect(v.status_notes).toBe('已作废：非本平台受理范围');
    // by service code (a comma list)
    expect(ids(await get('/open311/v2/requests.json?service_code=0102,0106')).sort()).toEqual(expect.arrayContaining([open, voided]));
    expect(ids(await get('/open311/v2/requests.json?service_code=0106'))).not.toContain(open);
    // a window from a start date alone runs 90 days on
    expect(ids(await get(`/open311/v2/requests.json?start_date=${encodeURIComponent(new Date(Date.now() - 121 * 86400_000).toISOString())}`))).toEqual([old]);
    // an explicit window that holds the old one
    const from = new Date(Date.now() - 125 * 86400_000).toISOString();
    const to = new Date(Date.now() - 100 * 86400_000).toISOString();
    expect(ids(await get(`/open311/v2/requests.json?start_date=${encodeURIComponent(from)}&end_date=${encodeURIComponent(to)}`))).toEqual([old]);
    // a window of the future holds nothing; the XML form is an empty list
    const future = new Date(Date.now() + 86400_000).toISOString();
    const empty = await get(`/open311/v2/requests.xml?start_date=${encodeURIComponent(future)}`);
    expect(empty.statusCode).toBe(200);
    expect(parseXml(empty.body)).toEqual({ name: 'service_requests', children: [], text: '' });
    // the XML list carries the same requests as the JSON list
    const xmlOpen = parseXml((await get('/open311/v2/requests.xml?status=open')).body);
    expect(xmlOpen.children.map((r) => field(r, 'service_request_id'))).toEqual(ids(openList));
    // ids override every other filter
    expect(ids(await get(`/open311/v2/requests.json?service_request_id=${open},${old}&status=closed`)).sort()).toEqual([open, old].sort());
    // limit
    expect(ids(await get('/open311/v2/requests.json?limit=1'))).toHaveLength(1);
    // bad filters
    for (const [query, name] of [['status=pending', 'status'], ['start_date=yesterday', 'start_date'],
      [`start_date=${encodeURIComponent(from)}&end_date=${encodeURIComponent(new Date().toISOString())}`, 'end_date'],
      [`start_date=${encodeURIComponent(to)}&end_date=${encodeURIComponent(from)}`, 'start_date'], ['limit=5000', 'limit']] as const) {
      const res = await get(`/open311/v2/requests.json?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
      expect(res.json()[0]).toEqual({ code: 400, description: expect.stringContaining(name) });
    }
    const missing = await get('/open311/v2/requests/AJ19990101000000.json');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()[0].code).toBe(404);
  });

  it('describes itself in a service discovery document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/open311/v2/discovery.json', headers: { host: 'linli.example.cn' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().endpoints).toEqual([{ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://linli.example.cn/open311/v2',
      changeset: expect.any(String), type: 'production', formats: ['application/json', 'text/xml'] }]);
    const xml = parseXml((await get('/open311/v2/discovery.xml')).body);
    expect(xml.name).toBe('discovery');
    const endpoint = child(child(xml, 'endpoints')!, 'endpoint')!;
    expect(child(endpoint, 'formats')!.children.map((f) => f.text)).toEqual(['application/json', 'text/xml']);
    // with LINLI_PUBLIC_ORIGIN the address handed out is the configured one, whatever Host the request names
    const config = loadConfig({ ...process.env, LINLI_PUBLIC_ORIGIN: 'https://linli.example.gov.cn/' }, { databaseUrl: t.config.databaseUrl, dataDir: t.config.dataDir });
    expect(config.publicOrigin).toBe('https://linli.example.gov.cn');
    const app = await buildApp(t.database, { ...t.config, publicOrigin: config.publicOrigin }, { logger: false });
    try {
      const forged = await app.inject({ method: 'GET', url: '/open311/v2/discovery.json', headers: { host: 'evil.example.com' } });
      expect(forged.json().endpoints[0].url).toBe('https://linli.example.gov.cn/open311/v2');
    } finally {
      await app.close();
    }
    expect(() => loadConfig({ ...process.env, LINLI_PUBLIC_ORIGIN: 'https://linli.example.gov.cn/m' })).toThrow(/LINLI_PUBLIC_ORIGIN/);
    expect(() => loadConfig({ ...process.env, LINLI_PUBLIC_ORIGIN: 'linli.example.gov.cn' })).toThrow(/LINLI_PUBLIC_ORIGIN/);
  });

  it('answers unknown paths and formats under /open311/v2 in the standard error shape', async () => {
    const res = await get('/open311/v2/tokens/1.json');
    expect(res.statusCode).toBe(404);
    expect(res.json()[0].code).toBe(404);
    const csv = await get('/open311/v2/services.csv');
    expect([400, 404]).toContain(csv.statusCode);
    expect(csv.json()[0].code).toBe(csv.statusCode);
  });
});
