// The closed loop of the load generator, shared by bench/load.ts (in the server's process) and bench/load-worker.mjs
// (in a thread of its own): N workers, each sending its next request when the last returns, until the time is up.
import http from 'node:http';

/** @returns {Promise<{ latencies: number[]; errors: number; seconds: number }>} */
export async function closedLoop(port, concurrency, seconds, next) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = [];
  let errors = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (req) => new Promise((resolve) => {
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
  return { latencies, errors, seconds: (performance.now() - begun) / 1000 };
}
