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
  lockoutAttempts: number;
  lockoutMinutes: number;
  passwordMaxAgeDays: number;
  /** unmaskings of personal data allowed per user per hour */
  unmaskPerHour: number;
  cookieSecure: boolean;
  tileUrl: string | null;
  tileCrs: 'wgs84' | 'gcj02';
  tileAttribution: string | null;
  webDist: string;
  logLevel: string;
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
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
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
    lockoutAttempts: 5,
    lockoutMinutes: 10,
    passwordMaxAgeDays: Number(env.LINLI_PASSWORD_MAX_AGE_DAYS ?? 90),
    unmaskPerHour: Number(env.LINLI_UNMASK_PER_HOUR ?? 30),
    cookieSecure: flag(env.LINLI_COOKIE_SECURE, false),
    tileUrl: env.LINLI_TILE_URL || null,
    tileCrs: env.LINLI_TILE_CRS === 'gcj02' ? 'gcj02' : 'wgs84',
    tileAttribution: env.LINLI_TILE_ATTRIBUTION || null,
    webDist: resolve(env.LINLI_WEB_DIST ?? 'web/dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    orderAcceptHours: Number(env.LINLI_ORDER_ACCEPT_HOURS ?? 24),
    auditKeyFile: resolve(env.LINLI_AUDIT_KEY_FILE ?? join(dataDir, 'keys', 'audit-keys.json')),
    auditCheckpointFile: resolve(env.LINLI_AUDIT_CHECKPOINT_FILE ?? join(dataDir, 'audit-checkpoints.jsonl')),
    auditCheckpointSeconds: Number(env.LINLI_AUDIT_CHECKPOINT_SECONDS ?? 60),
    appDatabaseUrl: env.LINLI_APP_DATABASE_URL || null,
    appDatabaseRole: env.LINLI_APP_DB_ROLE || 'linli_app',
    appDatabasePassword: env.LINLI_APP_DB_PASSWORD || undefined,
    ...overrides,
  };
}
