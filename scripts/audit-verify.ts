/**
 * `npm run audit:verify`: recompute the audit chain with the key kept outside the database, check it against the signed
 * checkpoints, and report the first tampered, missing or removed record. Read-only; exits 1 when the log was tampered with.
 * `--checkpoints <file>` (repeatable) adds checkpoint files kept elsewhere (another instance's, an archived copy).
 */
import { loadConfig } from '../server/src/config.js';
import { openDatabase } from '../server/src/platform/db/index.js';
import { loadAuditKeys, readCheckpoints, verifyAuditChain } from '../server/src/platform/audit-chain.js';

const config = loadConfig();
const files = [config.auditCheckpointFile];
for (let i = 2; i < process.argv.length; i++) {
  if (process.argv[i] === '--checkpoints' && process.argv[i + 1]) files.push(process.argv[++i]!);
}
const keys = loadAuditKeys(config.auditKeyFile, { create: false });
const checkpoints = files.flatMap((f) => readCheckpoints(f));
const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
const started = Date.now();
const report = await verifyAuditChain(database.db, keys, checkpoints);
await database.close();
if (report.ok) {
  console.log(`审计链完整：${report.records} 条已封存记录校验通过，${report.checkpoints} 个签名检查点一致（${Date.now() - started} ms）`);
  if (report.unsealed) console.log(`另有 ${report.unsealed} 条记录尚未封存（服务运行时每秒封存一次；服务停止前写入的记录在下次启动时封存）`);
} else {
  console.error(`审计链被破坏：第 ${report.firstBadSeq} 条记录 — ${report.reason}（此前 ${report.records} 条完好）`);
  process.exit(1);
}
