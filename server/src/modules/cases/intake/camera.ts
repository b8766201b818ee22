/**
 * Camera / detector webhook (视频智能识别): a detection platform posts an event (非机动车乱停放, 跨门经营 …) with its
 * position and a snapshot; the event type picks the category whose `camera_events` lists it, the snapshot becomes
 * the case's photo, and the platform's event id is the case's external id — a re-sent event answers the case it
 * already made instead of filing a second one.
 */
import type { Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { inOneStatement } from '../../../platform/notify.js';
import { MAX_FILE_BYTES, storeImage } from '../../files/files.service.js';
import { findCase } from '../cases.repository.js';
import { intakeCase } from '../cases.service.js';
import { requireApiKey, type ApiKeyHolder } from './api-keys.js';
import * as repo from './intake.repository.js';
import type { CameraEventT, IntakeResultT } from './intake.schema.js';

/** How far ahead of our clock a detector's occurredAt may be (clock drift), and how far back it may reach. */
const MAX_AHEAD_MS = 5 * 60_000;
const MAX_AGE_MS = 30 * 24 * 3600_000;

/** The answer for a filed case (new or earlier). */
export async function intakeResult(db: Kysely<DB>, id: number, created: boolean): Promise<IntakeResultT> {
  const c = (await findCase(db, id))!;
  return { id: c.id, serviceNo: c.service_no, created, state: c.state, categoryCode: c.category_code, gridCode: c.grid_code,
    handlerName: c.handler_name, deadline: new Date(c.handle_deadline ?? c.accept_deadline).toISOString() };
}

/** The snapshot's bytes from base64 (a data: URL prefix allowed), or 400 naming `snapshot`. */
function snapshotBytes(snapshot: string): Buffer {
  const base64 = snapshot.replace(/^data:image\/[a-z+.-]+;base64,/i, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw invalid('snapshot', '应为图片的 base64 编码', 'base64 image data expected');
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_FILE_BYTES) throw invalid('snapshot', '图片不能超过 5 MiB', 'larger than 5 MiB');
  return bytes;
}

/** Stores the snapshot as a file of the platform, recorded as uploaded by the key's holder (no user). */
async function storeSnapshot(db: Kysely<DB>, dataDir: string, key: ApiKeyHolder, bytes: Buffer, meta: RequestMeta): Promise<string> {
  // storeImage reads only the uploader's id (stored_file.created_by may be null) and a name for the audit record
  const uploader = { userId: null, username: `camera-key:${key.name}` } as unknown as AuthContext;
  try {
    return (await storeImage(db, dataDir, uploader, bytes, meta)).id;
  } catch (e) {
    if (e instanceof AppError && e.field === 'file') throw invalid('snapshot', e.message.replace(/^file: /, ''), e.options.en?.replace(/^file: /, ''));
    throw e;
  }
}

/**
 * Files a detector's event as a case of channel `camera` (201), or answers the case an earlier delivery of the same
 * event made (200, `created: false`). 403 for a missing or wrong key, 400 naming eventType for an unmapped event.
 */
export async function intakeCameraEvent(db: Kysely<DB>, dataDir: string, apiKey: string | undefined, body: CameraEventT,
  meta: RequestMeta, now = new Date()): Promise<IntakeResultT> {
  const key = await requireApiKey(db, apiKey, 'camera');
  const eventType = body.eventType.trim();
  const category = await repo.categoryForCameraEvent(db, eventType);
  if (!category) {
    const known = await repo.knownCameraEvents(db);
    throw invalid('eventType', `未配置的事件类型「${eventType}」（可用：${known.join('、')}）`, `unknown event type "${eventType}"`);
  }
  const eventId = body.eventId.trim();
  const earlier = await repo.caseByExternalId(db, 'camera', eventId);
  if (earlier !== undefined) return intakeResult(db, earlier, false);
  const occurredAt = new Date(body.occurredAt);
  if (occurredAt.getTime() > now.getTime() + MAX_AHEAD_MS) throw invalid('occurredAt', '发生时间晚于当前时间', 'in the future');
  if (occurredAt.getTime() < now.getTime() - MAX_AGE_MS) throw invalid('occurredAt', '事件已超过 30 天，请人工登记', 'older than 30 days');
  const photos = body.snapshot ? [await storeSnapshot(db, dataDir, key, snapshotBytes(body.snapshot), meta)] : [];
  try {
    const made = await inOneStatement((onCommit) => intakeCase(db, onCommit, {
      channel: 'camera', categoryCode: category.code, description: `${eventType}（摄像头 ${body.cameraId} 自动识别）`,
      lng: body.lng, lat: body.lat, photos, attributes: { camera_id: body.cameraId, event_type: eventType },
      externalId: eventId, reportedAt: occurredAt > now ? now : occurredAt, withinPath: key.jurisdictionPath,
    }, key.name));
    return intakeResult(db, made.id, true);
  } catch (e) {
    // the same event delivered twice at once: the second insert meets the unique (channel, external_id)
    const raced = e instanceof AppError && e.code === 'CONFLICT' ? await repo.caseByExternalId(db, 'camera', eventId) : undefined;
    if (raced !== undefined) return intakeResult(db, raced, false);
    throw e;
  }
}
