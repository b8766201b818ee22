import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import type { Config } from '../config.js';
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../../test/helpers.js';
import { PNG } from '../modules/orders/test-factory.js';
import { tileSource } from './http-protections.js';

/** Issue 10, item 3: the usual HTTP protections, as a browser and an attacker see them. */
describe('HTTP protections', () => {
  let t: TestContext;
  const extra: FastifyInstance[] = [];
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  /** The same database behind an app built with other settings. */
  const appWith = async (overrides: Partial<Config>) => {
    const app = await buildApp(t.database, { ...t.config, ...overrides }, { logger: false });
    await app.ready();
    extra.push(app);
    return app;
  };
  const csp = (res: LightMyRequestResponse) => String(res.headers['content-security-policy'] ?? '');
  const directive = (res: LightMyRequestResponse, name: string) =>
    csp(res).split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';

  /** Logs in as the browser does (client 'web') and returns the session cookie. */
  const cookieLogin = async (app: FastifyInstance, username: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD, client: 'web' }, headers });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'linli_session');
    expect(cookie?.sameSite).toBe('Lax');
    return `linli_session=${cookie!.value}`;
  };
  const photoUpload = (app: FastifyInstance, headers: Record<string, string>) => {
    const boundary = `----linli${Date.now()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG, Buffer.from(`csrf-${Math.random()}\r\n--${boundary}--\r\n`),
    ]);
    return app.inject({ method: 'POST', url: '/api/v1/files', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers } });
  };
  const filesOf = async (username: string) => (await q<{ n: number }>(`select count(*)::int as n from stored_file f join app_user u on u.id = f.created_by
    where u.username = $1`, [username]))[0]!.n;

  beforeAll(async () => { t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-http-')) }); });
  afterAll(async () => {
    for (const app of extra) await app.close();
    await t.close();
  });

  describe('security headers', () => {
    it('every answer carries a CSP that forbids inline script and framing, nosniff, DENY and a referrer policy; no HSTS over HTTP', async () => {
      for (const url of ['/api/v1/config', '/healthz', '/api/v1/auth/me', '/docs/', '/no-such-page']) {
        const res = await t.call(null, 'GET', url);
        expect(directive(res, 'script-src'), url).toBe("script-src 'self'");
        expect(directive(res, 'frame-ancestors')).toBe("frame-ancestors 'none'");
        expect(directive(res, 'object-src')).toBe("object-src 'none'");
        // antd's CSS-in-JS injects <style>: inline style is allowed, inline script never
        expect(directive(res, 'style-src')).toBe("style-src 'self' 'unsafe-inline'");
        expect(directive(res, 'img-src')).toBe("img-src 'self' data: blob:");
        expect(csp(res)).not.toContain('upgrade-insecure-requests');
        expect(res.headers['x-frame-options']).toBe('DENY');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('behind HTTPS (LINLI_COOKIE_SECURE) adds HSTS and upgrade-insecure-requests; the map tiles\' origin is an allowed image source', async () => {
      const app = await appWith({ cookieSecure: true, tileUrl: 'https://webrd0{s}.is.autonavi.com/appmaptile?x={x}&y={y}&z={z}' });
      const res = await app.inject({ method: 'GET', url: '/api/v1/config' });
      expect(res.headers['strict-transport-security']).toBe('max-age=15552000');
      expect(csp(res)).toContain('upgrade-insecure-requests');
      expect(directive(res, 'img-src')).toBe("img-src 'self' data: blob: https://*.is.autonavi.com");
      expect(tileSource('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png')).toBe('https://*.tile.openstreetmap.org');
      expect(tileSource('http://t0.tianditu.gov.cn/vec_w/wmts?tk=KEY')).toBe('http://t0.tianditu.gov.cn');
      expect(tileSource('https://tiles.{s}.example.org/{z}/{x}/{y}.png')).toBe('https:');
      expect(tileSource(null)).toBeNull();
    });

    it('a stored photo is sent inline with nosniff, a safe file name and a sandboxing CSP', async () => {
      const token = await t.login('member.demo');
      const up = await photoUpload(t.app, { authorization: `Bearer ${token}` });
      expect(up.statusCode, up.body).toBe(201);
      const res = await t.call(token, 'GET', up.json().url);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-disposition']).toBe(`inline; filename="${up.json().id}.png"; filename*=UTF-8''${up.json().id}.png`);
      expect(csp(res)).toContain('sandbox');
      expect(directive(res, 'default-src')).toBe("default-src 'none'");
    });

    it('the registration QR (our own SVG) is inline with a CSP under which nothing runs; downloads are attachments', async () => {
      const svg = await t.call(null, 'GET', '/api/v1/service/communities/330108001001/registration-qr?format=svg');
      expect(svg.statusCode).toBe(200);
      expect(svg.headers['content-type']).toContain('image/svg+xml');
      expect(svg.body).not.toMatch(/<script|on\w+=|href=/i);
      expect(svg.headers['x-content-type-options']).toBe('nosniff');
      expect(String(svg.headers['content-disposition'])).toMatch(/^inline; filename="register-330108001001\.svg"/);
      expect(directive(svg, 'default-src')).toBe("default-src 'none'");
      expect(csp(svg)).toContain('sandbox');
      const admin = await t.login('admin');
      const template = await t.call(admin, 'GET', '/api/v1/imports/templates/residents');
      expect(String(template.headers['content-disposition'])).toMatch(/^attachment;/);
      expect(template.headers['x-content-type-options']).toBe('nosniff');
    });

    it('the printable certificate allows its print button by hash and nothing else', async () => {
      const token = await t.login('member.0001'); // registered (双报到) in 西陵社区
      const res = await t.call(token, 'GET', '/api/v1/service/members/me/certificate');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toContain('onclick="window.print()"');
      expect(directive(res, 'script-src')).toMatch(/^script-src 'unsafe-hashes' 'sha256-[A-Za-z0-9+/=]+'$/);
      expect(directive(res, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    });

    it('/api/v1/config tells the browser only what it needs to draw the map and the login page', async () => {
      const res = await t.call(null, 'GET', '/api/v1/config');
      expect(Object.keys(res.json()).sort()).toEqual(['demoMode', 'tileAttribution', 'tileCrs', 'tileUrl']);
    });
  });

  describe('CSRF: cookie-authenticated writes check where they come from', () => {
    it('a cookie write from a foreign Origin is refused with 403 and changes nothing; from our own host it goes through', async () => {
      const cookie = await cookieLogin(t.app, 'member.demo');
      const before = await filesOf('member.demo');
      const foreign = await photoUpload(t.app, { cookie, origin: 'https://evil.example' });
      expect(foreign.statusCode).toBe(403);
      expect(foreign.json()).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringContaining('跨站') } });
      expect(await filesOf('member.demo')).toBe(before);

      const own = await photoUpload(t.app, { cookie, origin: 'http://localhost:80', host: 'localhost:80' });
      expect(own.statusCode, own.body).toBe(201);
      expect(await filesOf('member.demo')).toBe(before + 1);
      // a JSON write: logging out from a foreign page leaves the session alive
      const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, origin: 'null' } });
      expect(out.statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    });

    it('without Origin, Sec-Fetch-Site cross-site or same-site and a foreign Referer are refused; same-origin and non-browser clients pass', async () => {
      const cookie = await cookieLogin(t.app, 'member.demo');
      const before = await filesOf('member.demo');
      expect((await photoUpload(t.app, { cookie, 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
      expect((await photoUpload(t.app, { cookie, 'sec-fetch-site': 'same-site' })).statusCode).toBe(403);
      expect((await photoUpload(t.app, { cookie, referer: 'https://evil.example/page' })).statusCode).toBe(403);
      expect(await filesOf('member.demo')).toBe(before);
      expect((await photoUpload(t.app, { cookie, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(201);
      expect((await photoUpload(t.app, { cookie, host: 'linli.local', referer: 'http://linli.local/cases/new' })).statusCode).toBe(201);
      expect((await photoUpload(t.app, { cookie })).statusCode).toBe(201); // curl with a cookie: no browser page involved
    });

    it('Bearer-token writes and reads are not affected; a login from a foreign page is refused (login CSRF)', async () => {
      const token = await t.login('member.demo');
      expect((await photoUpload(t.app, { authorization: `Bearer ${token}`, origin: 'https://evil.example' })).statusCode).toBe(201);
      const cookie = await cookieLogin(t.app, 'member.demo');
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie, origin: 'https://evil.example' } })).statusCode).toBe(200);
      const login = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { origin: 'https://evil.example' },
        payload: { username: 'member.demo', password: DEMO_PASSWORD, client: 'web' } });
      expect(login.statusCode).toBe(403);
      expect(login.cookies).toEqual([]);
    });

    it('an origin listed in LINLI_ALLOWED_ORIGINS may write with the cookie', async () => {
      const app = await appWith({ allowedOrigins: ['https://linli.example.gov.cn'] });
      const cookie = await cookieLogin(app, 'member.demo', { origin: 'https://linli.example.gov.cn' });
      expect((await photoUpload(app, { cookie, origin: 'https://linli.example.gov.cn' })).statusCode).toBe(201);
      expect((await photoUpload(app, { cookie, origin: 'https://other.example.gov.cn' })).statusCode).toBe(403);
    });

    it('the keyed public endpoints (Open311, camera) carry no cookie and are not affected', async () => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/cases/intake/camera', headers: { origin: 'https://evil.example', 'x-api-key': 'nope' },
        payload: { eventId: 'x', eventType: 'y', cameraId: 'c', lng: 120.2, lat: 30.2, occurredAt: new Date().toISOString() } });
      expect(res.json().error?.message ?? '').not.toContain('跨站');
      const o311 = await t.app.inject({ method: 'POST', url: '/open311/v2/requests.json', headers: { origin: 'https://evil.example' }, payload: {} });
      expect(o311.body).not.toContain('跨站');
    });
  });

  describe('client IP and trusted proxies', () => {
    const lastLogin = async (username: string) =>
      (await q<{ ip: string }>(`select ip from login_log where username = $1 order by id desc limit 1`, [username]))[0]!.ip;

    it('a forged X-Forwarded-For does not change the IP recorded in the login log', async () => {
      const res = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'resident.demo', password: DEMO_PASSWORD, client: 'api' },
        { 'x-forwarded-for': '203.0.113.7' });
      expect(res.statusCode).toBe(200);
      expect(await lastLogin('resident.demo')).toBe('127.0.0.1');
    });

    it('with LINLI_TRUST_PROXY listing the proxy, the forwarded client address is believed from it and only from it', async () => {
      const app = await appWith({ trustProxy: ['127.0.0.1/32'] });
      const login = (remoteAddress: string) => app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress,
        headers: { 'x-forwarded-for': '203.0.113.8' }, payload: { username: 'resident.demo', password: DEMO_PASSWORD, client: 'api' } });
      expect((await login('127.0.0.1')).statusCode).toBe(200);
      expect(await lastLogin('resident.demo')).toBe('203.0.113.8');
      expect((await login('198.51.100.4')).statusCode).toBe(200);
      expect(await lastLogin('resident.demo')).toBe('198.51.100.4');
    });
  });

  describe('/metrics', () => {
    it('answers localhost, not a remote caller, not a request forwarded by a proxy, whatever X-Forwarded-For says', async () => {
      const local = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(local.statusCode).toBe(200);
      expect(local.body).toContain('linli_http_request_duration_seconds');
      const remote = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.9', headers: { 'x-forwarded-for': '127.0.0.1' } });
      expect(remote.statusCode).toBe(403);
      expect(remote.json().error.code).toBe('FORBIDDEN');
      const proxied = await t.app.inject({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '198.51.100.9' } });
      expect(proxied.statusCode).toBe(403);
      // trusting a proxy does not let a forged header make a remote caller local
      const trusting = await appWith({ trustProxy: ['198.51.100.0/24'] });
      expect((await trusting.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.9', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(403);
    });

    it('answers a remote scraper holding LINLI_METRICS_TOKEN', async () => {
      const app = await appWith({ metricsToken: 'scrape-secret-123' });
      const get = (authorization?: string) => app.inject({ method: 'GET', url: '/metrics', remoteAddress: '198.51.100.9', headers: authorization ? { authorization } : {} });
      expect((await get('Bearer scrape-secret-123')).statusCode).toBe(200);
      expect((await get('Bearer scrape-secret-12')).statusCode).toBe(403);
      expect((await get()).statusCode).toBe(403);
    });
  });
});
