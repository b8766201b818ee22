/** Runs pgbench with a custom script against the same database and reads tps and latency percentiles from its log. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarise, type LoadResult } from './load.js';

export function pgbench(url: string, script: string, clients: number, seconds: number): LoadResult {
  const dir = mkdtempSync(join(tmpdir(), 'linli-pgbench-'));
  const file = join(dir, 'script.sql');
  writeFileSync(file, script);
  const u = new URL(url);
  const args = ['-n', '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(seconds), '-f', file,
    '-l', '--log-prefix', join(dir, 'log'), '-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), u.pathname.slice(1)];
  const run = spawnSync('pgbench', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  const latencies: number[] = [];
  for (const f of readdirSync(dir).filter((n) => n.startsWith('log'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const cols = line.split(' ');
      if (cols.length > 3) latencies.push(Number(cols[2]) / 1000); // µs → ms
    }
  }
  const tps = /tps = ([0-9.]+)/.exec(run.stdout);
  const result = summarise(latencies, 0, seconds);
  if (tps) result.rps = Number(tps[1]);
  return result;
}
