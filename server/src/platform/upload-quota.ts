/**
 * Per-user upload quotas: how many files and how many bytes one user may upload in 24 hours (rolling), over every
 * upload route — photos (POST /files), imports (POST /imports), 12345 hotline batches. Counted from the records the
 * uploads leave (stored_file, import_job, upload_log for batches that leave no row of their own), so there is no
 * second counter to drift. The same photo uploaded twice is stored once on disk but counts twice: each upload is
 * received, hashed and recorded again, and counting only new content would let a client repeat one upload forever.
 * Two uploads racing past the check together can overshoot by at most one file each; the quota bounds abuse, it is
 * no ledger.
 */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DB } from './db/tables.js';
import { AppError } from './errors.js';

const MIB = 1024 * 1024;

export interface UploadUse { files: number; bytes: number }

/** One user's uploads in the last 24 hours: how many and their total size in bytes. */
export async function uploadsToday(db: Kysely<DB>, userId: number): Promise<UploadUse> {
  const { rows } = await sql<{ files: number; bytes: string | number }>`
    select count(*)::int as files, coalesce(sum(size), 0)::int8 as bytes from (
      select size::int8 as size from stored_file where created_by = ${userId} and created_at > now() - interval '24 hours'
      union all
      select file_size from import_job where created_by = ${userId} and created_at > now() - interval '24 hours'
      union all
      select size from upload_log where user_id = ${userId} and created_at > now() - interval '24 hours'
    ) u`.execute(db);
  return { files: rows[0]?.files ?? 0, bytes: Number(rows[0]?.bytes ?? 0) };
}

/**
 * 429 RATE_LIMITED (field `file`) when one more upload of `size` bytes would pass the caller's daily quota. Called
 * before anything is stored; with `size` null (the body not read yet) it refuses only when the quota is already used up.
 */
export async function assertUploadQuota(db: Kysely<DB>, config: Config, userId: number, size: number | null): Promise<void> {
  const used = await uploadsToday(db, userId);
  const maxBytes = config.uploadMbPerDay * MIB;
  const overCount = used.files + 1 > config.uploadFilesPerDay;
  const overBytes = size === null ? used.bytes >= maxBytes : used.bytes + size > maxBytes;
  if (overCount || overBytes) {
    const limit = `24 小时内最多上传 ${config.uploadFilesPerDay} 个文件、共 ${config.uploadMbPerDay} MB`;
    throw new AppError('RATE_LIMITED', `file: 上传已达上限（${limit}），请稍后再试`, {
      field: 'file', en: `file: upload quota reached (${config.uploadFilesPerDay} files, ${config.uploadMbPerDay} MB in 24 hours)`,
    });
  }
}

/** Records an upload that leaves no row of its own (a hotline batch), so the quota sees it. */
export async function recordUpload(db: Kysely<DB>, userId: number, kind: 'hotline', fileName: string, size: number): Promise<void> {
  await db.insertInto('upload_log').values({ user_id: userId, kind, file_name: fileName.slice(0, 255), size }).execute();
}
