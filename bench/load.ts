/** A small closed-loop HTTP load generator: N workers, each sending its next request when the last returns. */
import { Worker } from 'node:worker_threads';
import { closedLoop } from './load-loop.mjs';

export interface LoadResult { requests: number; errors: number; seconds: number; rps: number; p50: number; p95: number; p99: number }

export interface LoadRequest { method: 'GET' | 'POST'; path: string; body?: string; headers?: Record<string, string> }

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarise(latencies: number[], errors: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { requests: latencies.length, errors, seconds, rps: latencies.length / seconds,
    p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99) };
}

export async function runLoad(port: number, concurrency: number, seconds: number, next: () => LoadRequest): Promise<LoadResult> {
  const run = await closedLoop(port, concurrency, seconds, next);
  return summarise(run.latencies, run.errors, run.seconds);
}

/**
 * The same load from a worker thread (bench/load-worker.mjs), cycling through `requests`: for a route whose own work
 * is measured against pgbench, which runs in a process of its own, the client must not share the server's event loop.
 */
export function runLoadInWorker(port: number, concurrency: number, seconds: number, requests: LoadRequest[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./load-worker.mjs', import.meta.url), { workerData: { port, concurrency, seconds, requests } });
    worker.once('message', (m: { latencies: number[]; errors: number; seconds: number }) => resolve(summarise(m.latencies, m.errors, m.seconds)));
    worker.once('error', reject);
  });
}
