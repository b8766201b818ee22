/** Settings from the environment, read once. Every knob is listed in the README. */
import { resolve } from 'node:path';

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
  /** people searches (archive, forces, exports) allowed per user per minute (LINLI_SEARCH_PER_MINUTE) */
  searchPerMinute: number;
  /** whole-number people searches that find nobody, allowed per user per hour (LINLI_NUMBER_MISSES_PER_HOUR) */
  numberMissesPerHour: number;
  cookieSecure: boolean;
  tileUrl: string | null;
  tileCrs: 'wgs84' | 'gcj02';
  tileAttribution: string | null;
  webDist: string;
  logLevel: string;
  /** hours a dispatched service order waits for acceptance before it goes back to the community (LINLI_ORDER_ACCEPT_HOURS) */
  orderAcceptHours: number;
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
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl,
    dataDir: resolve(env.LINLI_DATA_DIR ?? './data'),
    demoMode,
    seedOnStart: seed === 'demo' || seed === 'test' ? seed : false,
    sessionIdleMinutes: Number(env.LINLI_SESSION_IDLE_MINUTES ?? 30),
    sessionMaxHours: Number(env.LINLI_SESSION_MAX_HOURS ?? 12),
    sessionCacheSeconds: Number(env.LINLI_SESSION_CACHE_SECONDS ?? 5),
    lockoutAttempts: 5,
    lockoutMinutes: 10,
    passwordMaxAgeDays: Number(env.LINLI_PASSWORD_MAX_AGE_DAYS ?? 90),
    unmaskPerHour: Number(env.LINLI_UNMASK_PER_HOUR ?? 30),
    searchPerMinute: Number(env.LINLI_SEARCH_PER_MINUTE ?? 60),
    numberMissesPerHour: Number(env.LINLI_NUMBER_MISSES_PER_HOUR ?? 20),
    cookieSecure: flag(env.LINLI_COOKIE_SECURE, false),
    tileUrl: env.LINLI_TILE_URL || null,
    tileCrs: env.LINLI_TILE_CRS === 'gcj02' ? 'gcj02' : 'wgs84',
    tileAttribution: env.LINLI_TILE_ATTRIBUTION || null,
    webDist: resolve(env.LINLI_WEB_DIST ?? 'web/dist'),
    logLevel: env.LOG_LEVEL ?? 'info',
    orderAcceptHours: Number(env.LINLI_ORDER_ACCEPT_HOURS ?? 24),
    ...overrides,
  };
}
