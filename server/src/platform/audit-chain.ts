/**
 * The audit log's seal, built the way verifiable logs are (Certificate Transparency, Trillian): writers append audit
 * rows freely (`recordAudit`, no lock); one sequencer at a time across all instances seals the committed rows, in
 * batches, into a keyed chain, and signs checkpoints of the chain head into a file outside the database.
 *
 * - the chain: `hash = HMAC-SHA-256(key, seq | prev_hash | canonical(record))`, in `audit_seal`. The key lives in a
 *   file or the environment, never in the database, so whoever owns the database cannot recompute the chain after
 *   editing a record;
 * - the checkpoints: `{seq, hash, at}` signed with Ed25519 and appended to a file (and the log) every so often, so
 *   deleting the newest records together with their seals — or rebuilding the whole chain with a stolen HMAC key — is
 *   caught: the chain no longer reaches, or no longer matches, a signed head;
 * - `verifyAuditChain` (npm run audit:verify) checks every link, every record's HMAC and every checkpoint.
 */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DB } from './db/tables.js';

export interface AuditKeys {
  /** the chain's HMAC key */
  hmacKey: Buffer;
  /** signs checkpoints; verification needs only the public key */
  signingKey: KeyObject | null;
  publicKey: KeyObject;
}

interface KeyFile { hmacKey: string; signingKey?: string; publicKey: string }

/**
 * The keys from `LINLI_AUDIT_KEY_FILE` (created, mode 0600, on first start when missing). Every instance of one
 * deployment must be given the same file. A verifier may hold a copy without `signingKey`.
 */
export function loadAuditKeys(file: string, options: { create: boolean } = { create: true }): AuditKeys {
  if (!existsSync(file)) {
    if (!options.create) throw new Error(`audit key file ${file} not found (LINLI_AUDIT_KEY_FILE)`);
    const pair = generateKeyPairSync('ed25519');
    const content: KeyFile = {
      hmacKey: randomBytes(32).toString('base64'),
      signingKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    };
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const content = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
  return {
    hmacKey: Buffer.from(content.hmacKey, 'base64'),
    signingKey: content.signingKey ? createPrivateKey(content.signingKey) : null,
    publicKey: createPublicKey(content.publicKey),
  };
}

export const GENESIS_HASH = '0'.repeat(64);
const SEAL_LOCK = 7245002; // one sequencer at a time, whichever instance wins the round

/** The chain's step: one record's seal from its position, its predecessor and its canonical text. */
export function sealHash(key: Buffer, seq: number, prevHash: string, canonical: string): string {
  return createHmac('sha256', key).update(`${seq}|${prevHash}|${canonical}`, 'utf8').digest('hex');
}

export interface SealResult {
  /** false when another instance's sequencer held the round */
  leader: boolean;
  sealed: number;
  headSeq: number;
  headHash: string;
}

/**
 * Seals the committed, not yet sealed audit records (at most `batchSize`), oldest id first, in one transaction.
 * A record committed after a later one was sealed gets the next seq when its transaction ends: the chain's order is
 * `seq`, fixed once written. Rows of transactions still running are found by the next batch, because each batch
 * keeps the snapshot it read under and the next one looks at exactly the transactions that snapshot did not see.
 */
export async function sealAuditLog(db: Kysely<DB>, keys: AuditKeys, batchSize = 5000): Promise<SealResult> {
  return db.transaction().execute(async (trx) => {
    const lock = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${SEAL_LOCK}) as ok`.execute(trx);
    const head = await sql<{ seq: number; hash: string }>`select seq, hash from audit_seal order by seq desc limit 1`.execute(trx);
    const headSeq = head.rows[0]?.seq ?? 0;
    const headHash = head.rows[0]?.hash ?? GENESIS_HASH;
    if (!lock.rows[0]?.ok) return { leader: false, sealed: 0, headSeq, headHash };

    const last = await sql<{ snapshot: string }>`select snapshot from audit_batch order by id desc limit 1`.execute(trx);
    const since = last.rows[0]?.snapshot ?? '1:1:';
    // Taken BEFORE reading the log: every transaction this snapshot saw as ended is visible to the read below.
    const now = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(trx);
    // The candidates' ids first, as one array: the planner cannot tell how many rows the snapshot leaves (it guessed a
    // third of the log and read all of it by the primary key, every second); `id = any(array)` reads just those rows.
    const rows = await sql<{ id: number; canonical: string }>`
      select a.id, audit_log_canonical(a) as canonical
      from audit_log a
      where a.id = any (array(
          select id from audit_log where xid >= pg_snapshot_xmax(cast(${since} as pg_snapshot))
          union all
          select id from audit_log where xid = any (array(select pg_snapshot_xip(cast(${since} as pg_snapshot))))))
        and not exists (select 1 from audit_seal s where s.audit_id = a.id)
      order by a.id
      limit ${batchSize + 1}`.execute(trx);
    const todo = rows.rows.slice(0, batchSize);
    if (todo.length === 0) return { leader: true, sealed: 0, headSeq, headHash };
    // A batch cut short must not move the window on: the rest is still behind `since`.
    const snapshot = rows.rows.length > batchSize ? since : now.rows[0]!.snapshot;

    let prev = headHash;
    const seqs: number[] = [], ids: number[] = [], prevs: string[] = [], hashes: string[] = [];
    todo.forEach((row, i) => {
      const seq = headSeq + i + 1;
      const hash = sealHash(keys.hmacKey, seq, prev, row.canonical);
      seqs.push(seq); ids.push(row.id); prevs.push(prev); hashes.push(hash);
      prev = hash;
    });
    const batch = await sql<{ id: number }>`
      insert into audit_batch (snapshot, first_seq, last_seq, head_hash)
      values (${snapshot}, ${headSeq + 1}, ${headSeq + todo.length}, ${prev}) returning id`.execute(trx);
    await sql`
      insert into audit_seal (seq, audit_id, batch_id, prev_hash, hash)
      select s, a, ${batch.rows[0]!.id}, p, h
      from unnest(cast(${seqs} as bigint[]), cast(${ids} as bigint[]), cast(${prevs} as text[]), cast(${hashes} as text[])) as t(s, a, p, h)`.execute(trx);
    return { leader: true, sealed: todo.length, headSeq: headSeq + todo.length, headHash: prev };
  });
}

/** Seals until nothing committed is left unsealed (tests, shutdown, the CLI before a backup). */
export async function sealAll(db: Kysely<DB>, keys: AuditKeys, batchSize = 5000): Promise<SealResult> {
  let total = 0;
  for (;;) {
    const r = await sealAuditLog(db, keys, batchSize);
    total += r.sealed;
    if (!r.leader || r.sealed < batchSize) return { ...r, sealed: total };
  }
}

export interface Checkpoint { seq: number; hash: string; at: string; sig: string }

function checkpointMessage(c: Pick<Checkpoint, 'seq' | 'hash' | 'at'>): Buffer {
  return Buffer.from(`linli-audit-checkpoint\n${c.seq}\n${c.hash}\n${c.at}\n`, 'utf8');
}

/** A signed statement of the chain head, appended as one JSON line to `file`. */
export function writeCheckpoint(file: string, keys: AuditKeys, head: { seq: number; hash: string }, at = new Date()): Checkpoint {
  if (!keys.signingKey) throw new Error('audit signing key missing: cannot write a checkpoint');
  const body = { seq: head.seq, hash: head.hash, at: at.toISOString() };
  const checkpoint: Checkpoint = { ...body, sig: sign(null, checkpointMessage(body), keys.signingKey).toString('base64') };
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(checkpoint)}\n`, { mode: 0o600 });
  return checkpoint;
}

export function readCheckpoints(file: string): Checkpoint[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Checkpoint);
}

export interface SequencerOptions {
  keys: AuditKeys;
  checkpointFile: string;
  /** seconds between checkpoints (written only when the head moved) */
  checkpointSeconds: number;
  log?: (checkpoint: Checkpoint) => void;
}

/**
 * One round of the running server's sequencer: seal what is committed, and sign a checkpoint when the interval has
 * passed and the head moved. Every instance runs it; the advisory lock lets one seal at a time.
 */
export function auditSequencer(db: Kysely<DB>, options: SequencerOptions): { round: (force?: boolean) => Promise<SealResult> } {
  const previous = readCheckpoints(options.checkpointFile).at(-1);
  let lastSeq = previous?.seq ?? 0;
  let lastAt = previous ? Date.parse(previous.at) : 0;
  return {
    async round(force = false) {
      const result = await sealAll(db, options.keys);
      const due = force || Date.now() - lastAt >= options.checkpointSeconds * 1000;
      if (result.leader && due && result.headSeq > lastSeq) {
        const checkpoint = writeCheckpoint(options.checkpointFile, options.keys, { seq: result.headSeq, hash: result.headHash });
        lastSeq = checkpoint.seq;
        lastAt = Date.parse(checkpoint.at);
        options.log?.(checkpoint);
      }
      return result;
    },
  };
}

export interface ChainReport {
  ok: boolean;
  /** sealed records checked */
  records: number;
  firstBadSeq: number | null;
  reason: string | null;
  checkpoints: number;
  /** committed records not sealed yet (the sequencer seals every second while the server runs) */
  unsealed: number;
}

/**
 * Recomputes every seal in order (link, position, HMAC over the record as it is now), then checks every signed
 * checkpoint against the chain: a bad signature, a checkpoint beyond the chain's end (newest records deleted) or a
 * head that differs (chain rebuilt) is reported.
 */
export async function verifyAuditChain(db: Kysely<DB>, keys: AuditKeys, checkpoints: Checkpoint[] = [], batch = 5000): Promise<ChainReport> {
  const bad = (records: number, seq: number | null, reason: string, unsealed = 0): ChainReport =>
    ({ ok: false, records, firstBadSeq: seq, reason, checkpoints: checkpoints.length, unsealed });
  const wanted = new Map<number, Checkpoint>();
  for (const c of checkpoints) {
    if (!verify(null, checkpointMessage(c), keys.publicKey, Buffer.from(c.sig, 'base64'))) {
      return bad(0, c.seq, `checkpoint of ${c.at} (seq ${c.seq}) has an invalid signature`);
    }
    wanted.set(c.seq, c);
  }
  let prevHash = GENESIS_HASH;
  let expectSeq = 1;
  for (;;) {
    const rows = await sql<{ seq: number; prev_hash: string; hash: string; canonical: string | null }>`
      select s.seq, s.prev_hash, s.hash, audit_log_canonical(a) as canonical
      from audit_seal s left join audit_log a on a.id = s.audit_id
      where s.seq >= ${expectSeq} order by s.seq limit ${batch}`.execute(db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) {
      const done = expectSeq - 1;
      if (r.seq !== expectSeq) return bad(done, expectSeq, `record ${expectSeq} is missing from the chain`);
      if (r.canonical === null) return bad(done, r.seq, 'the sealed record was deleted');
      if (r.prev_hash !== prevHash) return bad(done, r.seq, 'link to the previous record is broken');
      if (sealHash(keys.hmacKey, r.seq, prevHash, r.canonical) !== r.hash) return bad(done, r.seq, 'record content does not match its seal');
      const checkpoint = wanted.get(r.seq);
      if (checkpoint && checkpoint.hash !== r.hash) return bad(done, r.seq, `chain differs from the checkpoint signed at ${checkpoint.at}`);
      prevHash = r.hash;
      expectSeq += 1;
    }
  }
  const records = expectSeq - 1;
  const beyond = checkpoints.filter((c) => c.seq > records).sort((a, b) => a.seq - b.seq)[0];
  if (beyond) return bad(records, records + 1, `the chain ends at ${records} but a checkpoint signed at ${beyond.at} saw ${beyond.seq} records: the newest records were removed`);
  const unsealed = await sql<{ n: number }>`
    select count(*)::int as n from audit_log a where not exists (select 1 from audit_seal s where s.audit_id = a.id)`.execute(db);
  return { ok: true, records, firstBadSeq: null, reason: null, checkpoints: checkpoints.length, unsealed: unsealed.rows[0]?.n ?? 0 };
}
