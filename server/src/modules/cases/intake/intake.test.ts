/**
 * Intake channels through the real app on a real database: the camera webhook (key, event mapping, re-sent event,
 * snapshot stored as the case's photo), 12345 hotline batches (.xlsx template round trip, good and bad rows with
 * their row numbers, duplicate 工单编号, rows located by address) and the wish wall.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/helpers.js';
import { PNG } from '../../orders/test-factory.js';
import { makeApiKey, pointIn, XILING, XILING_GRID1 } from './test-factory.js';

const FOREIGN_COMMUNITY = '330108002001';

/** A multipart body with one file field. */
function multipartFile(name: string, bytes: Buffer): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----linli${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${encodeURIComponent(name)}"\r\n`
      + 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n'),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('intake channels', () => {
  let t: TestContext;
  let here: { lng: number; lat: number; microGrid: string; grid: string };
  let staff: string;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);

  beforeAll(async () => {
    t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-intake-')) });
    await makeApiKey(t, 'camera-test-key', 'camera');
    await makeApiKey(t, 'camera-changhe-key', 'camera', '330108002');
    await makeApiKey(t, 'open311-not-camera', 'open311');
    here = await pointIn(t, XILING_GRID1);
    staff = await t.login(`community.${XILING}`);
  });
  afterAll(async () => t.close());

  describe('camera webhook', () => {
    const event = (over: Record<string, unknown> = {}) => ({ eventType: '非机动车乱停放', cameraId: 'CAM-XL-0007', eventId: `EV-${Math.random()}`,
      lng: here.lng, lat: here.lat, occurredAt: new Date(Date.now() - 60_000).toISOString(), ...over });
    const post = (body: unknown, key?: string) => t.call(null, 'POST', '/api/v1/cases/intake/camera', body, key ? { 'x-api-key': key } : {});

    it('refuses a missing, unknown or wrong-kind key with 403 and files nothing', async () => {
      const [{ n: before }] = await q<{ n: number }>(`select count(*)::int as n from civic_case`) as [{ n: number }];
      for (const key of [undefined, 'no-such-key', 'open311-not-camera']) {
        const res = await post(event(), key);
        expect(res.statusCode, String(key)).toBe(403);
        expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', field: 'X-Api-Key' });
      }
      const [{ n: after }] = await q<{ n: number }>(`select count(*)::int as n from civic_case`) as [{ n: number }];
      expect(after).toBe(before);
    });

    it('files an event as a routed camera case with the snapshot as its photo; a re-sent event answers the same case', async () => {
      const body = event({ eventId: 'EV-20261129-0001', snapshot: `data:image/png;base64,${PNG.toString('base64')}` });
      const res = await post(body, 'camera-test-key');
      expect(res.statusCode, res.body).toBe(201);
      const made = res.json();
      expect(made).toMatchObject({ created: true, state: 'reported', categoryCode: '0103', gridCode: XILING_GRID1 });
      expect(made.serviceNo).toMatch(/^AJ\d{14}$/);
      const [c] = await q<Record<string, any>>(`select channel, external_id, photos, attributes, micro_grid_code, description, reported_at
        from civic_case where id = $1`, [made.id]);
      expect(c).toMatchObject({ channel: 'camera', external_id: 'EV-20261129-0001', micro_grid_code: here.microGrid,
        attributes: { camera_id: 'CAM-XL-0007', event_type: '非机动车乱停放' } });
      expect(new Date(c!.reported_at).toISOString()).toBe(new Date(body.occurredAt as string).toISOString());
      expect(c!.photos).toHaveLength(1);
      const [file] = await q<{ size: number; content_type: string; created_by: number | null }>(`select size, content_type, created_by from stored_file where id = $1`, [c!.photos[0]]);
      expect(file).toEqual({ size: PNG.length, content_type: 'image/png', created_by: null });
      // the community's staff see the case and its snapshot
      const detail = await t.call(staff, 'GET', `/api/v1/cases/${made.id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      expect(detail.json().case.photos).toEqual([{ id: c!.photos[0], url: `/api/v1/files/${c!.photos[0]}` }]);
      const photo = await t.call(staff, 'GET', `/api/v1/files/${c!.photos[0]}`);
      expect(photo.statusCode).toBe(200);
      expect(photo.rawPayload.equals(PNG)).toBe(true);

      // the detector sends the same event again: the same case, not a second one
      const again = await post(body, 'camera-test-key');
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json()).toMatchObject({ id: made.id, serviceNo: made.serviceNo, created: false });
      const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from civic_case where channel = 'camera' and external_id = 'EV-20261129-0001'`) as [{ n: number }];
      expect(n).toBe(1);
    });

    it('maps each event type to its category; an unknown one is 400 naming eventType', async () => {
      const shop = await post(event({ eventType: '跨门经营' }), 'camera-test-key');
      expect(shop.statusCode, shop.body).toBe(201);
      expect(shop.json()).toMatchObject({ categoryCode: '0104' });
      // 0104 is handled by the community (its default tier)
      const [c] = await q<{ handler_tier: string; handler_code: string }>(`select handler_tier, handler_code from civic_case where id = $1`, [shop.json().id]);
      expect(c).toEqual({ handler_tier: 'community', handler_code: XILING });
      const unknown = await post(event({ eventType: '外星人着陆' }), 'camera-test-key');
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error).toMatchObject({ code: 'VALIDATION', field: 'eventType' });
      expect(unknown.json().error.message).toContain('外星人着陆');
    });

    it('refuses a bad snapshot, a future time, and a position outside the key\'s jurisdiction', async () => {
      const bad = await post(event({ snapshot: Buffer.from('not an image at all').toString('base64') }), 'camera-test-key');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('snapshot');
      const notBase64 = await post(event({ snapshot: '!!!' }), 'camera-test-key');
      expect(notBase64.json().error.field).toBe('snapshot');
      const future = await post(event({ occurredAt: new Date(Date.now() + 3600_000).toISOString() }), 'camera-test-key');
      expect(future.statusCode).toBe(400);
      expect(future.json().error.field).toBe('occurredAt');
      const outside = await post(event(), 'camera-changhe-key');
      expect(outside.statusCode).toBe(400);
      expect(outside.json().error.field).toBe('lng');
      const missing = await post({ eventType: '跨门经营', cameraId: 'C', lng: here.lng, lat: here.lat, occurredAt: new Date().toISOString() }, 'camera-test-key');
      expect(missing.statusCode).toBe(400);
      expect(missing.json().error.field).toBe('eventId');
    });
  });

  describe('12345 hotline batches', () => {
    let compound: { code: string; name: string };
    let building: { code: string; micro_grid_code: string; lng: number; lat: number };
    const beijing = (at: Date) => new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    const upload = (token: string, bytes: Buffer, name = '热线工单.xlsx') => {
      const { payload, headers } = multipartFile(name, bytes);
      return t.app.inject({ method: 'POST', url: '/api/v1/cases/intake/hotline', payload, headers: { ...headers, authorization: `Bearer ${token}` } });
    };
    /** The template as downloaded, its example row replaced by `rows` (arrays in the template's column order). */
    const fromTemplate = async (rows: (string | number)[][]) => {
      const res = await t.call(staff, 'GET', '/api/v1/cases/intake/hotline/template');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      sheet.spliceRows(2, 1);
      rows.forEach((r, i) => { sheet.getRow(i + 2).values = r; });
      return Buffer.from(await workbook.xlsx.writeBuffer());
    };

    beforeAll(async () => {
      [compound] = await q<{ code: string; name: string }>(`select code, name from territory_node where kind = 'compound' and parent_code = $1 order by code limit 1`, [XILING]) as [{ code: string; name: string }];
      [building] = await q<{ code: string; micro_grid_code: string; lng: number; lat: number }>(`select code, micro_grid_code, ST_X(location) as lng, ST_Y(location) as lat
        from territory_node where parent_code = $1 and kind = 'building' order by code offset 1 limit 1`, [compound.code]) as [typeof building];
    });

    it('serves a template with the header row and one example row', async () => {
      const res = await t.call(staff, 'GET', '/api/v1/cases/intake/hotline/template');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(String(res.headers['content-disposition'])).toContain('attachment');
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(['工单编号', '来电时间', '问题类别', '事发地址', '经度', '纬度', '问题描述', '来电人', '联系电话']);
      expect(sheet.rowCount).toBe(2);
      expect(sheet.getRow(2).getCell(1).value).toBe('HZ20261128000123');
      // the 说明 sheet lists the categories by code and name
      const info = workbook.getWorksheet('说明')!;
      const listed: string[] = [];
      info.eachRow((row) => listed.push(`${row.getCell(1).value}|${row.getCell(3).value}`));
      expect(listed).toContain('0103|非机动车乱停放');
      // a resident may not download it
      expect((await t.call(await t.login('resident.demo'), 'GET', '/api/v1/cases/intake/hotline/template')).statusCode).toBe(403);
    });

    it('files good rows, skips duplicate 工单编号 and reports bad rows by row number, column and reason', async () => {
      const yesterday = beijing(new Date(Date.now() - 86400_000));
      const file = await fromTemplate([
        ['RX-0001', yesterday, '0103', '西陵社区 车棚', here.lng, here.lat, '车棚外电动车乱停，堵住消防通道', '王小明', '13911112222'],   // row 2: by position
        ['RX-0002', '', '暴露垃圾', `${compound.name}${building.code.slice(-1)}幢`, '', '', '楼下垃圾满溢三天没人清', '李四', '0571-88886666'], // row 3: by address → building
        ['RX-0003', '', '不存在的类别', '', here.lng, here.lat, '', '', ''],                                                   // row 4: two errors
        ['RX-0004', '', '0103', '', here.lng, '', '只有经度', '', ''],                                                          // row 5: latitude missing
        ['RX-0001', '', '0103', '', here.lng, here.lat, '同一工单又出现一次', '', ''],                                            // row 6: duplicate in file
        ['RX-0005', '', '0103', '火星小区8幢', '', '', '地址匹配不到', '', ''],                                                  // row 7: address not found
        ['RX-0006', '', '0103', '', here.lng, here.lat, '电话不对', '赵六', '12ab'],                                              // row 8: phone
        ['RX-0007', '', '0502', `${compound.name}1幢1单元101室`, '', '', '楼上漏水邻里有矛盾', '钱七', '13700000000'],            // row 9: by room address
        ['RX-0008', '明天', '0103', '', here.lng, here.lat, '时间不对', '', ''],                                                 // row 10: bad time
      ]);
      const res = await upload(staff, file);
      expect(res.statusCode, res.body).toBe(200);
      const report = res.json();
      expect(report).toMatchObject({ total: 9, created: 3, duplicates: 1, failed: 5 });
      const byRow = new Map<number, any>(report.rows.map((r: any) => [r.row, r]));
      expect(byRow.get(2)).toMatchObject({ status: 'created', ticketNo: 'RX-0001', serviceNo: expect.stringMatching(/^AJ\d{14}$/) });
      expect(byRow.get(3)).toMatchObject({ status: 'created', ticketNo: 'RX-0002' });
      expect(byRow.get(9)).toMatchObject({ status: 'created', ticketNo: 'RX-0007' });
      expect(byRow.get(4)).toMatchObject({ status: 'error', errors: expect.arrayContaining([
        { column: '问题描述', reason: '缺少必填项' }, { column: '问题类别', reason: expect.stringContaining('不存在的类别') }]) });
      expect(byRow.get(5)).toMatchObject({ status: 'error', errors: [{ column: '纬度', reason: '经度与纬度须同时填写' }] });
      expect(byRow.get(6)).toMatchObject({ status: 'duplicate', ticketNo: 'RX-0001', serviceNo: null });
      expect(byRow.get(7)).toMatchObject({ status: 'error', errors: [{ column: '事发地址', reason: expect.stringContaining('未能匹配') }] });
      expect(byRow.get(8)).toMatchObject({ status: 'error', errors: [{ column: '联系电话', reason: expect.stringContaining('格式不正确') }] });
      expect(byRow.get(10)).toMatchObject({ status: 'error', errors: [{ column: '来电时间', reason: expect.stringContaining('格式不正确') }] });

      // row 2: located by position, the call time kept, the caller stored and masked on read
      const [two] = await q<Record<string, any>>(`select id::int as id, channel, external_id, grid_code, reporter_name, reporter_phone, reported_at
        from civic_case where service_no = $1`, [byRow.get(2).serviceNo]);
      expect(two).toMatchObject({ channel: 'hotline', external_id: 'RX-0001', grid_code: XILING_GRID1, reporter_name: '王小明', reporter_phone: '13911112222' });
      expect(new Date(two!.reported_at).getTime()).toBe(Date.parse(`${yesterday.replace(' ', 'T')}:00+08:00`));
      const detail = await t.call(staff, 'GET', `/api/v1/cases/${two!.id}`);
      expect(detail.json().case.reporterName).toBe('王**');
      expect(detail.body).not.toContain('13911112222');
      // row 3: only an address → the building's position and micro-grid
      const [three] = await q<Record<string, any>>(`select micro_grid_code, ST_X(location) as lng, ST_Y(location) as lat, category_code, address
        from civic_case where service_no = $1`, [byRow.get(3).serviceNo]);
      expect(three).toMatchObject({ micro_grid_code: building.micro_grid_code, category_code: '0101' });
      expect(Number(three!.lng)).toBeCloseTo(building.lng, 9);
      expect(Number(three!.lat)).toBeCloseTo(building.lat, 9);
      // row 9: a room address → its building (the room's position)
      const [room] = await q<{ micro_grid_code: string }>(`select micro_grid_code from territory_node where code = $1`, [`${compound.code}B001`]);
      const [nine] = await q<{ micro_grid_code: string }>(`select micro_grid_code from civic_case where service_no = $1`, [byRow.get(9).serviceNo]);
      expect(nine!.micro_grid_code).toBe(room!.micro_grid_code);

      // the same file again: what was filed is skipped as duplicates, the bad rows are still reported
      const again = (await upload(staff, file)).json();
      expect(again).toMatchObject({ total: 9, created: 0, duplicates: 4, failed: 5 });
      const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from civic_case where channel = 'hotline' and external_id like 'RX-%'`) as [{ n: number }];
      expect(n).toBe(3);
    });

    it('keeps rows inside the importer\'s scope and refuses what is not a hotline sheet', async () => {
      const foreign = await t.login(`community.${FOREIGN_COMMUNITY}`);
      const file = await fromTemplate([
        ['RY-0001', '', '0103', '', here.lng, here.lat, '别的社区的位置', '', ''],
        ['RY-0002', '', '0103', `${compound.name}1幢`, '', '', '别的社区的小区', '', ''],
      ]);
      const res = await upload(foreign, file);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().rows).toEqual([
        expect.objectContaining({ row: 2, status: 'error', errors: [{ column: '经度', reason: expect.stringContaining('管辖范围') }] }),
        expect.objectContaining({ row: 3, status: 'error', errors: [{ column: '事发地址', reason: expect.stringContaining('未能匹配') }] }),
      ]);
      const [{ n }] = await q<{ n: number }>(`select count(*)::int as n from civic_case where external_id like 'RY-%'`) as [{ n: number }];
      expect(n).toBe(0);

      const csv = await upload(staff, Buffer.from('工单编号,问题类别\n1,0103\n'), 'x.csv');
      expect(csv.statusCode).toBe(400);
      expect(csv.json().error.field).toBe('file');
      const junk = await upload(staff, Buffer.from('not a zip'), 'x.xlsx');
      expect(junk.statusCode).toBe(400);
      const workbook = new ExcelJS.Workbook();
      workbook.addWorksheet('x').addRow(['编号', '描述']);
      const wrongColumns = await upload(staff, Buffer.from(await workbook.xlsx.writeBuffer()));
      expect(wrongColumns.statusCode).toBe(400);
      expect(wrongColumns.json().error.message).toContain('缺少列');
      expect((await upload(await t.login('resident.demo'), file)).statusCode).toBe(403);
    });
  });

  describe('API keys', () => {
    it('issues a key shown once, lists it without the key, and refuses it once revoked', async () => {
      const admin = await t.login('admin');
      const issued = await t.call(admin, 'POST', '/api/v1/cases/intake/keys', { kind: 'camera', name: '西兴街道视频中台', jurisdictionCode: '330108001' });
      expect(issued.statusCode, issued.body).toBe(201);
      const k = issued.json();
      expect(k).toMatchObject({ kind: 'camera', name: '西兴街道视频中台', jurisdictionCode: '330108001', jurisdictionName: '西兴街道', revokedAt: null });
      expect(k.key).toMatch(/^cam_[A-Za-z0-9_-]{32}$/);
      const [stored] = await q<{ key_hash: string }>(`select key_hash from case_api_key where key_hash like $1`, [`${k.id}%`]);
      expect(stored!.key_hash).not.toContain(k.key);
      const listed = (await t.call(admin, 'GET', '/api/v1/cases/intake/keys')).json();
      expect(listed.find((x: any) => x.id === k.id)).toEqual({ ...k, key: undefined });
      expect(JSON.stringify(listed)).not.toContain(k.key);

      const event = { eventType: '暴露垃圾', cameraId: 'CAM-1', eventId: 'EV-KEY-1', lng: here.lng, lat: here.lat, occurredAt: new Date().toISOString() };
      const filed = await t.call(null, 'POST', '/api/v1/cases/intake/camera', event, { 'x-api-key': k.key });
      expect(filed.statusCode, filed.body).toBe(201);
      const revoked = await t.call(admin, 'POST', `/api/v1/cases/intake/keys/${k.id}/revoke`);
      expect(revoked.statusCode, revoked.body).toBe(200);
      expect(revoked.json().revokedAt).toEqual(expect.any(String));
      const refused = await t.call(null, 'POST', '/api/v1/cases/intake/camera', { ...event, eventId: 'EV-KEY-2' }, { 'x-api-key': k.key });
      expect(refused.statusCode).toBe(403);
      // a desk without case:admin may neither see nor issue keys
      expect((await t.call(staff, 'GET', '/api/v1/cases/intake/keys')).statusCode).toBe(403);
      expect((await t.call(staff, 'POST', '/api/v1/cases/intake/keys', { kind: 'open311', name: '越权', jurisdictionCode: XILING })).statusCode).toBe(403);
      const bad = await t.call(admin, 'POST', '/api/v1/cases/intake/keys', { kind: 'open311', name: '某小区', jurisdictionCode: `${XILING}C001` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.field).toBe('jurisdictionCode');
    });
  });

  describe('wish wall', () => {
    it('shows a community its wishes with the reporter masked and +1 counts; other communities do not see them', async () => {
      const resident = await t.login('resident.demo');
      const [home] = await q<{ code: string }>(`select c.code from app_user u join residence r on r.person_id = u.person_id and r.moved_out is null
        join territory_node rn on rn.code = r.room_code join territory_node c on c.kind = 'community' and rn.path <@ c.path
        where u.username = 'resident.demo' limit 1`);
      const spot = await pointIn(t, home!.code);
      const posted = await t.call(resident, 'POST', '/api/v1/cases', { channel: 'wish', categoryCode: '0601', lng: spot.lng, lat: spot.lat,
        description: '希望小区里增设一处儿童滑梯' });
      expect(posted.statusCode, posted.body).toBe(201);
      const wishId = posted.json().id as number;
      const other = await t.call(resident, 'POST', '/api/v1/cases', { channel: 'h5', categoryCode: '0101', lng: spot.lng, lat: spot.lat, description: '垃圾满溢不是心愿' });
      expect(other.statusCode, other.body).toBe(201);

      const wall = await t.call(resident, 'GET', '/api/v1/cases/wishes');
      expect(wall.statusCode, wall.body).toBe(200);
      const mine = wall.json().items.find((w: any) => w.id === wishId);
      expect(mine).toMatchObject({ categoryCode: '0601', categoryName: '微心愿', description: '希望小区里增设一处儿童滑梯', state: 'reported',
        followers: 0, followedByMe: false, mine: true, communityCode: home!.code });
      expect(mine.reporterName).toMatch(/\*/);
      expect(wall.json().items.some((w: any) => w.id === other.json().id)).toBe(false);

      // the community's staff see it and +1 it; the resident sees the count
      const desk = await t.login(`community.${home!.code}`);
      const staffWall = await t.call(desk, 'GET', `/api/v1/cases/wishes?communityCode=${home!.code}`);
      expect(staffWall.json().items.map((w: any) => w.id)).toContain(wishId);
      const followed = await t.call(await t.login('admin'), 'POST', `/api/v1/cases/${wishId}/follow`);
      expect(followed.statusCode, followed.body).toBe(200);
      const after = (await t.call(resident, 'GET', '/api/v1/cases/wishes')).json().items.find((w: any) => w.id === wishId);
      expect(after.followers).toBe(1);

      // another community's staff: not on their wall, and asking for this community is 404; a resident asking for another community too
      const foreignCode = home!.code === FOREIGN_COMMUNITY ? XILING : FOREIGN_COMMUNITY;
      const foreign = await t.login(`community.${foreignCode}`);
      expect((await t.call(foreign, 'GET', '/api/v1/cases/wishes')).json().items.map((w: any) => w.id)).not.toContain(wishId);
      expect((await t.call(foreign, 'GET', `/api/v1/cases/wishes?communityCode=${home!.code}`)).statusCode).toBe(404);
      expect((await t.call(resident, 'GET', `/api/v1/cases/wishes?communityCode=${foreignCode}`)).statusCode).toBe(404);
    });

    it('pages the wall newest first', async () => {
      const resident = await t.login('resident.demo');
      const first = await t.call(resident, 'GET', '/api/v1/cases/wishes?limit=1');
      const all = (await t.call(resident, 'GET', '/api/v1/cases/wishes?limit=50')).json().items;
      if (all.length < 2) {
        const [home] = await q<{ code: string }>(`select c.code from app_user u join residence r on r.person_id = u.person_id and r.moved_out is null
          join territory_node rn on rn.code = r.room_code join territory_node c on c.kind = 'community' and rn.path <@ c.path where u.username = 'resident.demo' limit 1`);
        const spot = await pointIn(t, home!.code);
        const res = await t.call(resident, 'POST', '/api/v1/cases', { channel: 'wish', categoryCode: '0602', lng: spot.lng, lat: spot.lat, description: '建议周末开放活动室' });
        expect(res.statusCode, res.body).toBe(201);
      }
      const page1 = (await t.call(resident, 'GET', '/api/v1/cases/wishes?limit=1')).json();
      expect(page1.items).toHaveLength(1);
      expect(page1.nextCursor).toEqual(expect.any(String));
      const page2 = (await t.call(resident, 'GET', `/api/v1/cases/wishes?limit=1&cursor=${page1.nextCursor}`)).json();
      expect(page2.items).toHaveLength(1);
      expect(page2.items[0].id).not.toBe(page1.items[0].id);
      expect(Date.parse(page2.items[0].reportedAt)).toBeLessThanOrEqual(Date.parse(page1.items[0].reportedAt));
      expect(first.statusCode).toBe(200);
      expect((await t.call(resident, 'GET', '/api/v1/cases/wishes?cursor=notacursor')).statusCode).toBe(400);
    });
  });
});
