// `npm start`: build the web app when it is missing or older than its sources, then run the server.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const index = 'web/dist/index.html';
const stale = !existsSync(index) || newest('web/src') > statSync(index).mtimeMs;
if (stale && !process.env.LINLI_SKIP_WEB_BUILD) {
  console.log('正在构建前端（首次启动或前端代码有更新）…');
  const build = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const server = spawnSync('npx', ['tsx', 'server/src/main.ts'], { stdio: 'inherit' });
process.exit(server.status ?? 0);
