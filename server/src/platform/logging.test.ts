import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const freePort = () => new Promise<number>((resolve) => {
  const srv = createServer();
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address() as { port: number }; srv.close(() => resolve(port)); });
});

/** Runs the server as `npm start` does (embedded engine, empty database), asks `urls`, and returns what it printed. */
async function serverOutput(env: Record<string, string>, urls: string[]): Promise<string> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'linli-log-'));
  const clean = { ...process.env };
  delete clean.DATABASE_URL; // the log does not depend on the engine; the embedded one needs no server
  delete clean.NODE_ENV; // vitest sets 'test'
  const child = spawn('npx', ['tsx', 'server/src/main.ts'], {
    env: { ...clean, PORT: String(port), HOST: '127.0.0.1', LINLI_DATA_DIR: dataDir, LINLI_DEMO: '1', LINLI_SEED: 'none', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  try {
    const deadline = Date.now() + 60_000;
    while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the server did not start:\n${out}`);
      await new Promise((r) => setTimeout(r, 300));
    }
    for (const url of urls) await fetch(`http://127.0.0.1:${port}${url}`).then((r) => r.arrayBuffer());
    await new Promise((r) => setTimeout(r, 700)); // the pretty printer runs in its own thread
    return out;
  } finally {
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 300));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the server log', () => {
  const search = '/api/v1/archive/persons?q=13812345678';

  it('prints one readable line per request in development, the query string cut away', async () => {
    const out = await serverOutput({}, [search, '/api/v1/config']);
    expect(out).toMatch(/\[\d\d:\d\d:\d\d\] INFO: GET \/api\/v1\/archive\/persons\?… 401 \d+ ms/);
    expect(out).toMatch(/INFO: GET \/api\/v1\/config 200 \d+ ms/);
    expect(out).not.toContain('13812345678');
    expect(out).not.toMatch(/^\{"level"/m);
  }, 90_000);

  it('writes JSON lines in production, the query string cut away there too', async () => {
    const out = await serverOutput({ NODE_ENV: 'production' }, [search]);
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { req?: { url: string }; msg: string });
    expect(lines.some((l) => l.req?.url === '/api/v1/archive/persons?…')).toBe(true);
    expect(out).not.toContain('13812345678');
  }, 90_000);
});
