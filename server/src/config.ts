/** Settings from the environment, read once. Every knob is listed in the README. */
import { join, resolve } from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Demo mode: demo district loaded, initial passwords need not be changed. */
  demoMode: boolean;
  /** Seed the demo district into an empty database at start-up. */
  seedOnStart: 'demo' | 'test' | false;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** how long a resolved session is reused in memory before the database is asked again */
  sessionCacheSeconds: number;
  /** failures of one username (known or not) in a row, within lockoutMinutes, that lock it for lockoutMinutes */
  lockoutAttempts: number;
  lockoutMinutes: number;
  /** failed logins from one IP within loginIpWindowMinutes before that IP is refused (429) until they age out */
  loginIpFailures: number;
  loginIpWindowMinutes: number;
  /** failed logins from everywhere within loginGlobalWindowMinutes that close the door to strangers (see auth.service) */
  loginGlobalFailures: number;
  loginGlobalWindowMinutes: number;
  /** users holding a privileged permission (people:unmask, user:write): shorter sessions */
  privilegedSessionIdleMinutes: number;
  privilegedSessionMaxHours: number;
  /** key that encrypts TOTP secrets (32 bytes, hex or base64); when unset, kept in totpKeyFile (created on first use) */
  totpKey: string | null;
  totpKeyFile: string;
  passwordMaxAgeDays: number;
  /** unmaskings of personal data allowed per user per hour */
  unmaskPerHour: number;
  /** people searches (archive, forces, exports) allowed per user per minute (LINLI_SEARCH_PER_MINUTE) */
  searchPerMinute: number;
  /** whole-number people searches that find nobody, allowed per user per hour (LINLI_NUMBER_MISSES_PER_HOUR) */
  numberMissesPerHour: number;
  /** 码上报到 sign-up attempts allowed per IP and per mobile per hour (LINLI_SIGNUP_PER_IP_HOUR, LINLI_SIGNUP_PER_MOBILE_HOUR) */
  signupPerIpHour: number;
  signupPerMobileHour: number;
  cookieSecure: boolean;
  /** where the site is reached from outside (LINLI_PUBLIC_ORIGIN, e.g. https://linli.example.gov.cn): QR codes and links
   * printed or handed out use it instead of the Host of the request that asked for them */
  publicOrigin: string | null;
  tileUrl: string | null;
  tileCrs: 'wgs84' | 'gcj02';
  tileAttribution: string | null;
  webDist: string;
  logLevel: string;
  /** the server log: one readable line per event (development), or JSON lines (NODE_ENV=production or LOG_FORMAT=json) */
  logFormat: 'pretty' | 'json';
  /** hours a dispatched service order waits for acceptance before it goes back to the community (LINLI_ORDER_ACCEPT_HOURS) */
  orderAcceptHours: number;
  /** the audit chain's HMAC key and checkpoint signing key: a file outside the database (LINLI_AUDIT_KEY_FILE) */
  auditKeyFile: string;
  /** signed checkpoints of the audit chain's head, one JSON line each (LINLI_AUDIT_CHECKPOINT_FILE) */
  auditCheckpointFile: string;
  /** seconds between checkpoints (LINLI_AUDIT_CHECKPOINT_SECONDS) */
  auditCheckpointSeconds: number;
  /** PostgreSQL: the running app's connection, as a role that owns nothing (LINLI_APP_DATABASE_URL); null: derived */
  appDatabaseUrl: string | null;
  /** PostgreSQL: the role the app connects as when LINLI_APP_DATABASE_URL is not given (LINLI_APP_DB_ROLE) */
  appDatabaseRole: string;
  /** PostgreSQL: the app role's password, set by the owner at start (LINLI_APP_DB_PASSWORD); none with trust/peer auth */
  appDatabasePassword: string | undefined;
  /**
   * the reverse proxies whose X-Forwarded-For / -Proto / -Host are believed (LINLI_TRUST_PROXY: IPs or CIDRs,
   * comma-separated); false = the socket peer is the client, so nobody can forge the IP in the audit and login logs
   */
  trustProxy: string[] | false;
  /** origins besides the request's own host allowed to make cookie-authenticated writes (LINLI_ALLOWED_ORIGINS) */
  allowedOrigins: string[];
  /** bearer token that opens /metrics to a remote scraper (LINLI_METRICS_TOKEN); without it only localhost may read it */
  metricsToken: string | null;
  /** uploads (photos, imports, hotline batches) one user may make in 24 hours, and their total size in MiB */
  uploadFilesPerDay: number;
  uploadMbPerDay: number;
  /** an .xlsx (a zip) is refused before it is read when it has more entries or inflates to more than this */
  xlsxMaxEntries: number;
  xlsxMaxUncompressedMb: number;
}

/** An http(s) origin (scheme, host, port), or null when unset; anything else stops the start with its reason. */
function publicOriginOf(value: string | undefined): string | null {
  if (!value) return null;
  let url: URL;
  try { url = new URL(value); } catch { throw new Error(`LINLI_PUBLIC_ORIGIN: not a URL: ${value}`); }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`LINLI_PUBLIC_ORIGIN: http or https expected: ${value}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`LINLI_PUBLIC_ORIGIN: an origin without a path is expected: ${value}`);
  return url.origin;
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

/** A comma-separated setting as its trimmed, non-empty items. */
function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

/** `https://Linli.example.cn/` → `https://linli.example.cn` (how browsers send Origin); a malformed entry fails the start. */
function originOf(value: string): string {
  const url = new URL(value);
  return url.origin;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const databaseUrl = env.DATABASE_URL || undefined;
  // The embedded engine is the try-it-now path, so it defaults to demo mode; a server database does not.
  const demoMode = flag(env.LINLI_DEMO, !databaseUrl);
  const seed = env.LINLI_SEED ?? (demoMode ? 'demo' : 'none');
  const dataDir = resolve(env.LINLI_DATA_DIR ?? './data');
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir,
    demoMode,
    seedOnStart: seed === 'demo' || seed === 'test' ? seed : false,
    sessionIdleMinutes: Number(env.LINLI_SESSION_IDLE_MINUTES ?? 30),
    sessionMaxHours: Number(env.LINLI_SESSION_MAX_HOURS ?? 12),
    sessionCacheSeconds: Number(env.LINLI_SESSION_CACHE_SECONDS ?? 5),
    lockoutAttempts: Number(env.LINLI_LOCKOUT_ATTEMPTS ?? 5),
    lockoutMinutes: Number(env.LINLI_LOCKOUT_MINUTES ?? 10),
    loginIpFailures: Number(env.LINLI_LOGIN_IP_FAILURES ?? 20),
    loginIpWindowMinutes: Number(env.LINLI_LOGIN_IP_WINDOW_MINUTES ?? 15),
    loginGlobalFailures: Number(env.LINLI_LOGIN_GLOBAL_FAILURES ?? 200),
    loginGlobalWindowMinutes: Number(env.LINLI_LOGIN_GLOBAL_WINDOW_MINUTES ?? 5),
    privilegedSessionIdleMinutes: Number(env.LINLI_PRIVILEGED_SESSION_IDLE_MINUTES ?? 15),
    privilegedSessionMaxHours: Number(env.LINLI_PRIVILEGED_SESSION_MAX_HOURS ?? 4),
    totpKey: env.LINLI_TOTP_KEY || null,
    totpKeyFile: resolve(env.LINLI_TOTP_KEY_FILE ?? './secrets/totp.key'),
    passwordMaxAgeDays: Number(env.LINLI_PASSWORD_MAX_AGE_DAYS ?? 90),
    unmaskPerHour: Number(env.LINLI_UNMASK_PER_HOUR ?? 30),
    searchPerMinute: Number(env.LINLI_SEARCH_PER_MINUTE ?? 60),
    numberMissesPerHour: Number(env.LINLI_NUMBER_MISSES_PER_HOUR ?? 20),
    signupPerIpHour: Number(env.LINLI_SIGNUP_PER_IP_HOUR ?? 30),
    signupPerMobileHour: Number(env.LINLI_SIGNUP_PER_MOBILE_HOUR ?? 5),
    cookieSecure: flag(env.LINLI_COOKIE_SECURE, false),
    publicOrigin: publicOriginOf(env.LINLI_PUBLIC_ORIGIN),
    tileUrl: env.LINLI_TILE_URL || null,
    tileCrs: env.LINLI_TILE_CRS === 'gcj02' ? 'gcj02' : 'wgs84',
    tileAttribution: env.LINLI_TILE_ATTRIBUTION || null,
    webDist: resolve(env.LINLI_WEB_DIST ?? 'web/dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    logFormat: env.LOG_FORMAT === 'json' || (env.LOG_FORMAT !== 'pretty' && env.NODE_ENV === 'production') ? 'json' : 'pretty',
    orderAcceptHours: Number(env.LINLI_ORDER_ACCEPT_HOURS ?? 24),
    auditKeyFile: resolve(env.LINLI_AUDIT_KEY_FILE ?? join(dataDir, 'keys', 'audit-keys.json')),
    auditCheckpointFile: resolve(env.LINLI_AUDIT_CHECKPOINT_FILE ?? join(dataDir, 'audit-checkpoints.jsonl')),
    auditCheckpointSeconds: Number(env.LINLI_AUDIT_CHECKPOINT_SECONDS ?? 60),
    appDatabaseUrl: env.LINLI_APP_DATABASE_URL || null,
    appDatabaseRole: env.LINLI_APP_DB_ROLE || 'linli_app',
    appDatabasePassword: env.LINLI_APP_DB_PASSWORD || undefined,

    trustProxy: list(env.LINLI_TRUST_PROXY).length ? list(env.LINLI_TRUST_PROXY) : false,
    allowedOrigins: list(env.LINLI_ALLOWED_ORIGINS).map(originOf),
    metricsToken: env.LINLI_METRICS_TOKEN || null,
    uploadFilesPerDay: Number(env.LINLI_UPLOAD_FILES_PER_DAY ?? 300),
    uploadMbPerDay: Number(env.LINLI_UPLOAD_MB_PER_DAY ?? 2048),
    xlsxMaxEntries: Number(env.LINLI_XLSX_MAX_ENTRIES ?? 1000),
    xlsxMaxUncompressedMb: Number(env.LINLI_XLSX_MAX_UNCOMPRESSED_MB ?? 500),
    ...overrides,
  };
}
