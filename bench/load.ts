/** A small closed-loop HTTP load generator: N workers, each sending its next request when the last returns. */
import http from 'node:http';
import { Worker } from 'node:worker_threads';

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
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (req: LoadRequest) => new Promise<number>((resolve) => {
    const started = performance.now();
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, agent,
      headers: { ...(req.body ? { 'content-type': 'application/json' } : {}), ...req.headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      latencies.push(performance.now() - started);
    });
    r.on('error', () => resolve(0));
    if (req.body) r.write(req.body);
    r.end();
  });
  const begun = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) {
      const status = await one(next());
      if (status < 200 || status >= 300) errors += 1;
    }
  }));
  agent.destroy();
  return summarise(latencies, errors, (performance.now() - begun) / 1000);
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
