// The closed-loop load of bench/load.ts in a worker thread, so that the client does not take the event loop of the
// server it measures (pgbench, the baseline, is a process of its own too). Requests are given up front and cycled.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, concurrency, seconds, requests } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
let next = 0;
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
    const status = await one(requests[next++ % requests.length]);
    if (status < 200 || status >= 300) errors += 1;
  }
}));
agent.destroy();
parentPort.postMessage({ latencies, errors, seconds: (performance.now() - begun) / 1000 });
