/**
 * The browser-facing protections of every response and request, in one place: security headers (helmet: CSP,
 * frame-ancestors, nosniff, Referrer-Policy, HSTS behind HTTPS), the CSRF check of cookie-authenticated writes, and
 * who may read /metrics. Registered before `httpPlatform`, so a refused request never looks up a session or reads a body.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { Config } from '../config.js';
import { AppError } from './errors.js';
import { SESSION_COOKIE } from './auth/session.js';

/**
 * The image origin(s) a Leaflet tile URL template loads from, as CSP sources: `https://{s}.tile.example.org/{z}/{x}/{y}.png`
 * → `https://*.tile.example.org` (a placeholder in the first label becomes CSP's wildcard label; one elsewhere in the
 * host cannot be expressed, so the scheme alone is allowed). Null without a tile URL or for a malformed one.
 */
export function tileSource(tileUrl: string | null): string | null {
  if (!tileUrl) return null;
  const m = /^(https?):\/\/([^/?#]+)/i.exec(tileUrl);
  if (!m) return null;
  const scheme = m[1]!.toLowerCase();
  const [host, ...rest] = m[2]!.toLowerCase().split('.');
  if (rest.some((label) => /[{}]/.test(label)) || host === undefined) return `${scheme}:`;
  return `${scheme}://${/[{}]/.test(host) ? '*' : host}${rest.length ? `.${rest.join('.')}` : ''}`;
}

/**
 * The Content-Security-Policy of the web app (and of everything else we serve: API answers, /docs, files):
 * - scripts only from our own origin: the Vite build emits module scripts and no inline script; no 'unsafe-inline',
 *   no 'unsafe-eval' for scripts, ever;
 * - styles: 'self' plus 'unsafe-inline', because antd 5 (CSS-in-JS, @ant-design/cssinjs), antd-mobile and Swagger UI
 *   inject <style> elements at run time and React renders `style` attributes; without it the pages are unstyled.
 *   Inline style cannot run script, so this keeps the XSS barrier (script-src) intact;
 * - images: 'self' (stored photos, QR codes, Leaflet's marker icons), data: (icons Vite inlines, antd's image preview),
 *   blob: (previews of a picked photo, downloads built in the page), and the map tiles' origin when LINLI_TILE_URL is set;
 *   ECharts draws on <canvas> and needs nothing;
 * - connect-src 'self' (the API and the SSE stream are same-origin); no plugins, no <base> hijack, forms post to us only;
 * - frame-ancestors 'none': no page of ours is ever framed (clickjacking); X-Frame-Options DENY for old browsers;
 * - upgrade-insecure-requests only when served over HTTPS.
 */
export function contentSecurityPolicy(config: Config): Record<string, string[] | null> {
  const tiles = tileSource(config.tileUrl);
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:', ...(tiles ? [tiles] : [])],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'upgrade-insecure-requests': config.cookieSecure ? [] : null,
  };
}

/** `window.print()`: the one inline handler of the printable certificate (records.service), allowed by its hash. */
const PRINT_HANDLER = `'sha256-${createHash('sha256').update('window.print()').digest('base64')}'`;

/** CSP of the printable HTML pages the API serves (the service certificate): own styles, the print button, nothing else. */
export const PRINTABLE_PAGE_CSP = `default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; script-src 'unsafe-hashes' ${PRINT_HANDLER}; `
  + `base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/**
 * CSP of user-uploaded or generated files opened on their own (a stored photo, a QR image): nothing runs, nothing
 * loads, and `sandbox` gives the document an opaque origin, so even a file that slipped past the sniffing could not
 * act as us.
 */
export const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'";

/** `Content-Disposition` of a file shown in the page (`inline`) or saved (`attachment`), with a name that cannot break the header. */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100) || 'file';
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOGIN = '/api/v1/auth/login';

/** `host[:port]` of an Origin or Referer value, or null when it is no http(s) URL (e.g. `null`). */
function hostOf(url: string): { origin: string; host: string } | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? { origin: u.origin, host: u.host } : null;
  } catch {
    return null;
  }
}

/**
 * Whether a write is one a browser page of another site could have made with the user's cookie (CSRF). It looks at
 * `Origin` (sent by browsers on every cross-origin and every POST request), else at `Sec-Fetch-Site`, else at `Referer`:
 * a request with none of them comes from no browser page (curl, a script) and is let through, like one from our own
 * host or an origin listed in LINLI_ALLOWED_ORIGINS.
 */
export function crossSiteWrite(request: FastifyRequest, allowed: readonly string[]): boolean {
  // the default ports are left out of URLs but may be written in Host: compare without them
  const bare = (host: string) => host.toLowerCase().replace(/:(80|443)$/, '');
  const own = (value: string) => {
    const at = hostOf(value);
    return at !== null && (bare(at.host) === bare(request.host) || allowed.includes(at.origin));
  };
  const origin = request.headers.origin;
  if (typeof origin === 'string') return !own(origin);
  const site = request.headers['sec-fetch-site'];
  if (site === 'same-origin' || site === 'none') return false;
  const referer = request.headers.referer;
  if (typeof referer === 'string') return !own(referer);
  return typeof site === 'string'; // same-site or cross-site, and nothing shows it is ours
}

/**
 * A write that must pass the CSRF check: it rides on the session cookie (no `Authorization: Bearer`, which a foreign
 * page cannot set), or it is the login that would set that cookie (login CSRF). Keyed machine endpoints (Open311,
 * the camera webhook) carry no cookie and are not affected.
 */
function needsOriginCheck(request: FastifyRequest): boolean {
  if (!WRITES.has(request.method) || !request.url.startsWith('/api/')) return false;
  if (request.headers.authorization?.startsWith('Bearer ')) return false;
  return request.cookies?.[SESSION_COOKIE] !== undefined || request.url.split('?')[0] === LOGIN;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/**
 * Who may read /metrics: a caller on this machine — by the socket's address, never the forwarded one, and only when no
 * proxy forwarded the request (a proxy on this host would otherwise make every visitor look local) — or a scraper
 * presenting LINLI_METRICS_TOKEN as a bearer token.
 */
export function metricsAllowed(request: FastifyRequest, token: string | null): boolean {
  const header = request.headers.authorization;
  if (token && header?.startsWith('Bearer ')) {
    const given = Buffer.from(header.slice(7).trim());
    const wanted = Buffer.from(token);
    if (given.length === wanted.length && timingSafeEqual(given, wanted)) return true;
  }
  const forwarded = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined
    || request.headers['x-real-ip'] !== undefined;
  return !forwarded && LOOPBACK.test(request.socket.remoteAddress ?? '');
}

export interface ProtectionOptions { config: Config }

export const httpProtections = fp(async (app: FastifyInstance, { config }: ProtectionOptions) => {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(config) },
    frameguard: { action: 'deny' },
    // strict-origin-when-cross-origin: our URLs carry search terms and record ids (?q=…, /archive/person/…), which
    // must never leave the site, yet tile providers (天地图 keys are bound to a domain) need to see our origin; this
    // sends the full URL only to ourselves and the bare origin to others (no-referrer would break such tile keys).
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    // HSTS only when the site is declared to be served over HTTPS (LINLI_COOKIE_SECURE): sent over plain HTTP it is
    // ignored, and a wrong one would lock browsers out of an HTTP-only intranet deployment for its whole max-age.
    // No includeSubDomains: other hosts of a government domain are not ours to decide.
    strictTransportSecurity: config.cookieSecure ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
    // the QR images are embedded by our own pages only; photos are private
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });

  app.addHook('onRequest', async (request) => {
    if (needsOriginCheck(request) && crossSiteWrite(request, config.allowedOrigins)) {
      throw new AppError('FORBIDDEN', '请求来源不被允许（跨站请求）', { en: 'cross-site request refused' });
    }
  });
});
