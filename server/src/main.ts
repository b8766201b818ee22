/** `npm start`: open the database (embedded by default), migrate, load the demo district if empty, listen. */
import { loadConfig } from './config.js';
import { openDatabase } from './platform/db/index.js';
import { migrate } from './platform/db/migrate.js';
import { buildApp } from './app.js';
import { demoAccounts, seedDatabase } from './seed/index.js';
import { startScheduler } from './platform/scheduler.js';
import { superviseCases } from './modules/cases/cases.supervision.js';
import { expireOverdueOrders } from './modules/orders/orders.service.js';

const config = loadConfig();
const started = Date.now();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(database);
if (applied.length) console.log(`已应用数据库迁移: ${applied.join(', ')}`);

if (config.seedOnStart) {
  const [{ count }] = (await database.query<{ count: number }>('select count(*)::int as count from territory_node')) as [{ count: number }];
  if (count === 0) {
    console.log(`首次启动：正在生成演示数据（${config.seedOnStart}）…`);
    const summary = await seedDatabase(database, { scale: config.seedOnStart, log: (m: string) => console.log(`  ${m}`) });
    console.log(`演示数据已生成：${JSON.stringify(summary)}`);
  }
}

const app = await buildApp(database, config);
await app.listen({ port: config.port, host: config.host });
// Dispatched service orders not accepted in time go back to the community (every minute).
const scheduler = startScheduler([
  { name: 'expire-overdue-orders', everyMs: 60_000, run: () => expireOverdueOrders(database.db, new Date(), config.orderAcceptHours) },
  { name: 'supervise-cases', everyMs: 60_000, run: () => superviseCases(database.db, new Date()) },
],
  (message, err) => app.log.error({ err }, message));

const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
console.log(`\n邻里 Linli 已启动: ${url}  (数据库: ${database.engine === 'pglite' ? `内嵌 PGlite ${config.dataDir}` : 'PostgreSQL'}, 用时 ${((Date.now() - started) / 1000).toFixed(1)} s)`);
console.log(`API 文档: ${url}/docs`);
if (config.demoMode) {
  console.log('\n演示账号（密码均为 Linli@2026）:');
  for (const a of demoAccounts) console.log(`  ${a.username.padEnd(28)} ${a.roleName}  ${a.scope}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    scheduler.stop();
    void app.close().then(() => database.close()).then(() => process.exit(0));
  });
}
