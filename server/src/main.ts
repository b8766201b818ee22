/** `npm start`: open the database (embedded by default), migrate, load the demo district if empty, listen. */
import { loadConfig } from './config.js';
import { openDatabase, type Database } from './platform/db/index.js';
import { appDatabaseUrl, grantAppRole } from './platform/db/app-role.js';
import { auditSequencer, loadAuditKeys } from './platform/audit-chain.js';
import { migrate } from './platform/db/migrate.js';
import { buildApp } from './app.js';
import { demoAccounts, seedDatabase } from './seed/index.js';
import { startScheduler } from './platform/scheduler.js';
import { superviseCases } from './modules/cases/cases.supervision.js';
import { expireOverdueOrders } from './modules/orders/orders.service.js';

const config = loadConfig();
const started = Date.now();
const owner = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const applied = await migrate(owner);
if (applied.length) console.log(`已应用数据库迁移: ${applied.join(', ')}`);

if (config.seedOnStart) {
  const [{ count }] = (await owner.query<{ count: number }>('select count(*)::int as count from territory_node')) as [{ count: number }];
  if (count === 0) {
    console.log(`首次启动：正在生成演示数据（${config.seedOnStart}）…`);
    const summary = await seedDatabase(owner, { scale: config.seedOnStart, log: (m: string) => console.log(`  ${m}`) });
    console.log(`演示数据已生成：${JSON.stringify(summary)}`);
  }
}

// PostgreSQL: from here on the app is a role that owns nothing (it cannot disable a trigger or rewrite the audit log).
let database: Database = owner;
if (config.databaseUrl) {
  await grantAppRole(owner, config.appDatabaseRole, { create: !config.appDatabaseUrl, password: config.appDatabasePassword });
  await owner.close();
  database = await openDatabase({ url: appDatabaseUrl(config.databaseUrl, config.appDatabaseUrl, config.appDatabaseRole, config.appDatabasePassword) });
}

const auditKeys = loadAuditKeys(config.auditKeyFile);
const app = await buildApp(database, config);
await app.listen({ port: config.port, host: config.host });
const sequencer = auditSequencer(database.db, {
  keys: auditKeys, checkpointFile: config.auditCheckpointFile, checkpointSeconds: config.auditCheckpointSeconds,
  log: (checkpoint) => app.log.info({ auditCheckpoint: checkpoint }, 'audit checkpoint'),
});
// Dispatched service orders not accepted in time go back to the community (every minute).
const scheduler = startScheduler([
  { name: 'expire-overdue-orders', everyMs: 60_000, run: () => expireOverdueOrders(database.db, new Date(), config.orderAcceptHours) },
  { name: 'supervise-cases', everyMs: 60_000, run: () => superviseCases(database.db, new Date()) },
  // Seal committed audit records into the keyed chain every second; sign a checkpoint of the head every minute.
  { name: 'seal-audit-log', everyMs: 1_000, run: () => sequencer.round() },
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
    void app.close()
      .then(() => sequencer.round(true)) // what was written before the stop is sealed and checkpointed
      .catch((err: unknown) => app.log.error({ err }, 'final audit seal failed'))
      .then(() => database.close()).then(() => process.exit(0));
  });
}
