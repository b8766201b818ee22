// Cases (一网统管, C6) on the phone: the shapes are the desktop client's (../../pages/cases/cases-api, no antd in
// it); here the calls only the H5 makes — my reports, my seat's queue, the wish wall, +1, reports from the phone.
import { api } from '../../api';
import { casesApi as deskApi, type CaseItem, type CreateCaseInput, type CreatedCase } from '../../pages/cases/cases-api';
import { ordersApi } from '../../pages/orders/orders-api';
import type { Page } from '../../types';

export type { ActionInput, CaseDetail, CaseItem, CasePhoto as Photo, CaseStep, Category as CaseCategory, CreatedCase } from '../../pages/cases/cases-api';
export { SATISFACTION_LABEL } from '../../pages/cases/cases-api';

/** A wish on the wall (GET /cases/wishes): a resident sees their own community's, staff their scope's. */
export interface WishItem {
  id: number; serviceNo: string; categoryCode: string; categoryName: string; description: string;
  photos: { id: string; url: string }[]; communityCode: string | null; communityName: string | null;
  reporterName: string | null; state: string; stateName: string;
  followers: number; followedByMe: boolean; mine: boolean; reportedAt: string;
}

/** A report from the phone: 随手拍 (h5), a grid worker's 巡查 (patrol) or a wish (wish). */
export type ReportInput = Omit<CreateCaseInput, 'channel'> & { channel: 'h5' | 'patrol' | 'wish' };

export const casesApi = {
  get: deskApi.get,
  act: deskApi.act,
  categories: deskApi.categories,
  create: (body: ReportInput) => api.post<CreatedCase>('/cases', body),
  mine: (cursor: string | null) => api.get<Page<CaseItem>>('/cases/mine', { cursor, limit: 20 }),
  queue: (cursor: string | null, query: { overdue?: boolean; state?: string } = {}) =>
    api.get<Page<CaseItem>>('/cases', { queue: 'mine', ...query, cursor, limit: 20 }),
  counts: () => api.get<Record<string, number>>('/cases/counts'),
  wishes: (cursor: string | null) => api.get<Page<WishItem>>('/cases/wishes', { cursor, limit: 20 }),
  follow: (id: number) => api.post<unknown>(`/cases/${id}/follow`),
};

/** antd-mobile ImageUploader's `upload`: the photo stored through POST /files, keyed by its file id. */
export async function uploadPhoto(file: File): Promise<{ key: string; url: string }> {
  const stored = await ordersApi.upload(file);
  return { key: stored.id, url: stored.url };
}
