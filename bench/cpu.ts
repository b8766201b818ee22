/**
 * CPU time spent so far, in ms: this process (the server and its load generator, all threads), the children it has
 * waited for (pgbench) and every PostgreSQL process (from /proc; Linux). Two readings around a run give the CPU a
 * request or a transaction costs on each side — on a shared 2-core machine that, not the wall clock, is what a ratio
 * between the HTTP route and pgbench comes down to.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuReading { server: number; children: number; postgres: number }

const TICK_MS = 10; // USER_HZ = 100 on Linux

function ticks(stat: string): number[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

export function cpuNow(): CpuReading {
  const own = process.cpuUsage();
  const self = ticks(readFileSync('/proc/self/stat', 'utf8'));
  let postgres = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = ticks(stat);
      postgres += (f[11]! + f[12]! + f[13]! + f[14]!) * TICK_MS; // utime, stime, cutime, cstime
    } catch { /* the process ended meanwhile */ }
  }
  return { server: (own.user + own.system) / 1000, children: (self[13]! + self[14]!) * TICK_MS, postgres };
}

/** CPU ms per unit of work between two readings. */
export function cpuPer(before: CpuReading, after: CpuReading, units: number): CpuReading {
  const per = (k: keyof CpuReading) => (after[k] - before[k]) / Math.max(1, units);
  return { server: per('server'), children: per('children'), postgres: per('postgres') };
}
