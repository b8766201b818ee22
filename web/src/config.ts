// Client-side view of GET /config (tile server, demo mode), fetched once.
import { api } from './api';
import type { AppConfig } from './types';

const FALLBACK: AppConfig = { tileUrl: null, tileCrs: 'wgs84', tileAttribution: null, demoMode: false };
let pending: Promise<AppConfig> | null = null;

/** The server's public configuration; a failure falls back to "no tiles". */
export function loadConfig(): Promise<AppConfig> {
  pending ??= api
    .get<AppConfig>('/config')
    .then((config) => ({ ...FALLBACK, ...config }))
    .catch(() => {
      pending = null;
      return FALLBACK;
    });
  return pending;
}
