/**
 * Stored files (evidence photos of a service). One image per upload, recognised by its first bytes (never by the
 * name or the declared type); the bytes live under `<dataDir>/files/<sha256>`, so the same photo is kept once.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { recordAudit } from '../../platform/audit.js';
import { invalid, notFound } from '../../platform/errors.js';
import { isPropertyPartner, territoryScope } from '../../platform/scope.js';

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface StoredFileT { id: string; url: string; size: number; contentType: string }

/** The image type told by the magic bytes, or null when the bytes are no JPEG, PNG or WebP. */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' && Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

const filesDir = (dataDir: string) => join(dataDir, 'files');
const present = (row: { id: string; size: number; content_type: string }): StoredFileT =>
  ({ id: row.id, url: `/api/v1/files/${row.id}`, size: row.size, contentType: row.content_type });

/** Keeps one uploaded image: checks it is an image, writes the bytes once per content, records who uploaded it. */
export async function storeImage(db: Kysely<DB>, dataDir: string, auth: AuthContext, bytes: Buffer, meta: RequestMeta): Promise<StoredFileT> {
  if (bytes.length === 0) throw invalid('file', '文件为空', 'empty file');
  const type = sniffImage(bytes);
  if (!type) throw invalid('file', '仅支持 JPEG、PNG 或 WebP 图片', 'only JPEG, PNG or WebP images');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const dir = filesDir(dataDir);
  const target = join(dir, sha256);
  if (!existsSync(target)) {
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${randomUUID()}.part`);
    try {
      await writeFile(temp, bytes);
      await rename(temp, target);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('stored_file').values({ sha256, content_type: type, size: bytes.length, created_by: auth.userId })
      .returning(['id', 'size', 'content_type']).executeTakeFirstOrThrow();
    await recordAudit(trx, auth, meta, { action: 'file.upload', targetType: 'file', targetId: row.id, summary: { sha256, size: bytes.length, contentType: type } });
    return present(row);
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Who may read a stored file — the one place the rule lives. Evidence photos show residents' homes, so a file
 * follows the records that name it in their `evidence` (a jsonb array of file ids):
 * - the user who uploaded it;
 * - staff (service:read) whose territory scope holds a service order, a service record or a project's spending
 *   (by the project's community) that lists it;
 * - the resident who ordered, and the assignee of, an order that lists it; the member of a record that lists it;
 * - a unit party organisation (service:unit) for the spending of a project its unit claimed.
 * Anything else reads as 404, like a file that does not exist. The containment tests use the GIN indexes on
 * `evidence` (jsonb_path_ops).
 */
export function fileReadable(auth: AuthContext, fileId: RawBuilder<unknown>): RawBuilder<SqlBool> {
  const holds = (alias: string) => sql<SqlBool>`${sql.ref(`${alias}.evidence`)} @> jsonb_build_array(cast(${fileId} as text))`;
  const staff = auth.permissions.has('service:read');
  const clauses: RawBuilder<SqlBool>[] = [
    sql<SqlBool>`exists (select 1 from service_order o where ${holds('o')} and (o.resident_user_id = ${auth.userId}
      or o.assignee_force_id in (select fp.id from force_person fp where fp.user_id = ${auth.userId})
      ${staff ? sql`or ${territoryScope(auth, 'o.community_path')}` : sql``}))`,
    sql<SqlBool>`exists (select 1 from service_record r join force_person rf on rf.id = r.force_id
      ${staff ? sql`join territory_node rc on rc.code = r.community_code` : sql``}
      where ${holds('r')} and (rf.user_id = ${auth.userId} ${staff ? sql`or ${territoryScope(auth, 'rc.path')}` : sql``}))`,
  ];
  // a case's photos (the report's, the result's, a step's): whoever may read the case's file — its reporter, the
  // staff over its territory, a department it involves, the property company it is with
  const inCase = (c: string) => sql<SqlBool>`(${sql.ref(`${c}.photos`)} @> jsonb_build_array(cast(${fileId} as text)) or ${sql.ref(`${c}.result_photos`)} @> jsonb_build_array(cast(${fileId} as text)))`;
  // a wish's photos hang on the community's wish wall: its residents see them
  const neighbour = auth.personId === null ? sql`` : sql`or c.channel = 'wish' and exists (select 1 from residence r
      join territory_node room on room.code = r.room_code join territory_node wc on wc.code = c.community_code
      where r.person_id = ${auth.personId} and r.moved_out is null and room.path <@ wc.path)`;
  clauses.push(sql<SqlBool>`exists (select 1 from civic_case c where ${inCase('c')} and (c.reporter_user_id = ${auth.userId} ${neighbour}
    ${auth.permissions.has('case:read') && !auth.departmentCode ? sql`or ${territoryScope(auth, 'c.territory_path')}` : sql``}
    ${auth.departmentCode ? sql`or exists (select 1 from case_whistle w where w.case_id = c.id and w.department_code = ${auth.departmentCode})
      or c.handler_tier = 'department' and c.handler_code = ${auth.departmentCode}` : sql``}
    ${isPropertyPartner(auth) ? sql`or c.handler_tier = 'property' and exists (select 1 from territory_node k
      where k.code = c.handler_code and ${territoryScope(auth, 'k.path')})` : sql``}))`);
  if (staff) {
    clauses.push(sql<SqlBool>`exists (select 1 from project_spending s join coop_project p on p.id = s.project_id
      join territory_node pc on pc.code = p.community_code where ${holds('s')} and ${territoryScope(auth, 'pc.path')})`);
  }
  if (auth.permissions.has('service:unit') && auth.orgCode) {
    clauses.push(sql<SqlBool>`exists (select 1 from project_spending s join coop_project_unit u on u.project_id = s.project_id
      where ${holds('s')} and u.org_code = ${auth.orgCode})`);
  }
  return sql<SqlBool>`(${sql.join(clauses, sql` or `)})`;
}

/** The stored file and a stream of its bytes when the caller may read it (see `fileReadable`), or 404. */
export async function openFile(db: Kysely<DB>, dataDir: string, auth: AuthContext, id: string) {
  if (!UUID.test(id)) throw notFound('文件', 'file');
  const fileId = id.toLowerCase();
  const row = await db.selectFrom('stored_file as f').select(['f.id', 'f.sha256', 'f.size', 'f.content_type'])
    .where('f.id', '=', fileId)
    .where((eb) => eb.or([eb('f.created_by', '=', auth.userId), fileReadable(auth, sql.val(fileId))]))
    .executeTakeFirst();
  const path = row ? join(filesDir(dataDir), row.sha256) : null;
  if (!row || !path || !existsSync(path)) throw notFound('文件', 'file');
  return { file: present(row), stream: createReadStream(path) };
}

/** Which of the given ids are not stored files (evidence must name uploaded files) — or, given `uploadedBy`, not that user's uploads. */
export async function missingFiles(db: Kysely<DB>, ids: string[], uploadedBy?: number): Promise<string[]> {
  const valid = ids.filter((id) => UUID.test(id));
  let q = db.selectFrom('stored_file').select('id').where('id', 'in', valid);
  if (uploadedBy !== undefined) q = q.where('created_by', '=', uploadedBy);
  const found = valid.length ? await q.execute() : [];
  const have = new Set(found.map((r) => r.id));
  return ids.filter((id) => !have.has(id));
}
