/** `npm run audit:verify`: recompute the audit chain and report the first tampered or missing record. */
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { verifyAuditChain } from '../server/src/platform/audit.js';

const config = loadConfig();
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const started = Date.now();
const report = await verifyAuditChain(database.db);
await database.close();
if (report.ok) {
  console.log(`审计链完整：${report.records} 条记录校验通过（${Date.now() - started} ms）`);
} else {
  console.error(`审计链被破坏：第 ${report.firstBadSeq} 条记录 — ${report.reason}（此前 ${report.records} 条完好）`);
  process.exit(1);
}
