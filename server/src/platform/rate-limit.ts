/**
 * A small per-key sliding-window rate limit, answering 429 RATE_LIMITED in the API's error format.
 *
 * Why in process: the limits it serves (people searches per user per minute) are a brake on scripted scraping, not
 * an accounting of record; a window in memory costs nothing per request and needs no table or lock. The price: with
 * several app instances behind a balancer each instance counts its own requests, so a user may reach up to
 * N × the limit in total, and a restart forgets the window. Limits that must hold across instances and restarts
 * (unmaskings per hour) are counted from the audit log instead (platform/people-search.ts).
 */
import { AppError } from './errors.js';

export class SlidingWindow {
  /** request times (ms) per key, oldest first */
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Times `key` was counted within the window, without counting. */
  count(key: string): number {
    return this.live(key).length;
  }

  /** Counts one request for `key`; false (and not counted) when `limit` requests already lie within the window. */
  take(key: string, limit: number): boolean {
    const times = this.live(key);
    if (times.length >= limit) return false;
    times.push(this.now());
    this.hits.set(key, times);
    return true;
  }

  /** Counts one request for `key` unconditionally (e.g. a miss that is only known after the search ran). */
  add(key: string): void {
    const times = this.live(key);
    times.push(this.now());
    this.hits.set(key, times);
  }

  private live(key: string): number[] {
    const now = this.now();
    const since = now - this.windowMs;
    if (now - this.lastSweep > this.windowMs) this.sweep(since, now);
    const times = this.hits.get(key) ?? [];
    let drop = 0;
    while (drop < times.length && times[drop]! <= since) drop += 1;
    if (drop) times.splice(0, drop);
    return times;
  }

  /** Forgets keys whose window is empty, so the map does not grow with every user ever seen. */
  private sweep(since: number, now: number): void {
    this.lastSweep = now;
    for (const [key, times] of this.hits) if (!times.length || times[times.length - 1]! <= since) this.hits.delete(key);
  }
}

/** The error every rate limit answers with (429). */
export function rateLimited(message: string, en: string): AppError {
  return new AppError('RATE_LIMITED', message, { en });
}
