// The four-order loop (四单) and service records: types and calls, shared by the desktop pages and the H5.
import { api } from '../../api';
import type { Page } from '../../types';
export { ORDER_STATE_COLOR, ORDER_SIZE_LABEL, DISPATCH_MODE_LABEL, ORDER_ACTOR_KIND_LABEL as ACTOR_KIND_LABEL, RATER_KIND_LABEL, RECORD_SOURCE_LABEL } from '../../labels';

export type OrderState = 'ordered' | 'dispatched' | 'accepted' | 'done' | 'rated' | 'cancelled';

export interface ServiceOrder {
  id: number;
  serviceNo: string;
  title: string;
  description: string;
  state: OrderState;
  stateName: string;
  size: 'micro' | 'project' | 'activity';
  skillCode: string | null;
  skillName: string | null;
  communityCode: string;
  communityName: string;
  placeCode: string | null;
  placeName: string | null;
  /** full door number: only for the resident who ordered and the member serving them */
  placeAddress: string | null;
  residentName: string | null;
  dispatchMode: 'member' | 'branch' | 'open' | null;
  assigneeForceId: number | null;
  assigneeName: string | null;
  assigneeOrgCode: string | null;
  assigneeOrgName: string | null;
  acceptDeadline: string | null;
  dispatchCount: number;
  hourCap: number;
  hours: number | null;
  evidence: { id: string; url: string }[];
  resultNote: string | null;
  recordId: number | null;
  residentScore: number | null;
  wantedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderEvent {
  id: number;
  action: string;
  actionName: string;
  from: string | null;
  to: string;
  actorKind: 'resident' | 'community' | 'assignee' | 'system';
  actorName: string | null;
  note: string | null;
  at: string;
}

export interface Rating {
  raterKind: 'resident' | 'community' | 'branch';
  score: number;
  comment: string | null;
  at: string;
}

export interface OrderDetail {
  order: ServiceOrder;
  events: OrderEvent[];
  allowedActions: { action: string; name: string; to: string }[];
  viewerKinds: ('resident' | 'community' | 'assignee')[];
  ratings: Rating[];
}

export interface ActionInput {
  action: string;
  note?: string;
  mode?: 'member' | 'branch' | 'open';
  forceId?: number;
  orgCode?: string;
  hours?: number;
  evidence?: string[];
}

export interface Suggestion {
  memberId: number;
  score: number;
  reasons: string[];
  name: string | null;
  communityName: string;
  distanceMeters: number | null;
  openLoad: number;
  ratings: number;
  satisfaction: number | null;
}

export interface ForcePersonLite {
  id: number;
  name: string | null;
  communityName: string;
  skills: string[];
  openLoad: number;
}

export interface ServiceRecord {
  id: number;
  forceId: number;
  memberName: string | null;
  source: 'order' | 'task' | 'post';
  orderId: number | null;
  claimId: number | null;
  taskId: number | null;
  communityCode: string;
  communityName: string;
  title: string;
  size: string;
  servedOn: string;
  hours: number;
  hourCap: number;
  evidence: { id: string; url: string }[];
  note: string | null;
  status: 'pending' | 'confirmed' | 'rejected';
  confirmedAs: 'organiser' | 'resident' | null;
  confirmedByName: string | null;
  confirmedAt: string | null;
  ratings: Rating[];
  createdAt: string;
}

export interface MemberFlag {
  forceId: number;
  name: string | null;
  communityCode: string;
  communityName: string;
  unitOrgCode: string | null;
  unitName: string | null;
  ratings: number;
  satisfaction: number | null;
  negativeItems: number;
  reasons: string[];
  flaggedSince: string;
}

export interface Honour {
  forceId: number;
  name: string | null;
  communityCode: string;
  communityName: string;
  ratings: number;
  satisfaction: number;
  averageScore: number;
  confirmedHours: number;
  services: number;
}

export interface StoredFile {
  id: string;
  url: string;
  size: number;
  contentType: string;
}

export interface Skill {
  code: string;
  name: string;
}

export const ordersApi = {
  create: (body: { title: string; description?: string; skillCode?: string; size?: string; placeCode?: string; wantedAt?: string }) =>
    api.post<OrderDetail>('/service/orders', body),
  desk: (query: Record<string, string | number | undefined>) => api.get<Page<ServiceOrder>>('/service/orders', query),
  counts: () => api.get<{ byState: Record<string, number>; total: number; overdue: number }>('/service/orders/counts'),
  mine: (cursor?: string | null, state?: string) => api.get<Page<ServiceOrder>>('/service/orders/mine', { cursor: cursor ?? undefined, limit: 20, state }),
  assigned: (cursor?: string | null) => api.get<Page<ServiceOrder>>('/service/orders/assigned', { cursor: cursor ?? undefined, limit: 20 }),
  get: (id: number) => api.get<OrderDetail>(`/service/orders/${id}`),
  act: (id: number, body: ActionInput) => api.post<OrderDetail>(`/service/orders/${id}/actions`, body),
  rate: (id: number, body: { score: number; comment?: string; as?: 'community' | 'branch' }) => api.post<OrderDetail>(`/service/orders/${id}/ratings`, body),
  suggestions: (id: number) => api.get<{ items: Suggestion[] }>(`/service/orders/${id}/suggestions`),
  forces: (communityCode: string, q?: string) =>
    api.get<Page<ForcePersonLite>>('/forces/persons', { communityCode, q, status: 'active', limit: 20 }),
  skills: () => api.get<{ items: Skill[] }>('/forces/skills'),
  upload: (file: File) => {
    const form = new FormData();
    form.append('file', file);
    return api.upload<StoredFile>('/files', form);
  },
};

export const recordsApi = {
  get: (id: number) => api.get<ServiceRecord>(`/service/records/${id}`),
  confirm: (id: number, body: { hours?: number; note?: string }) => api.post<ServiceRecord>(`/service/records/${id}/confirm`, body),
  reject: (id: number, reason: string) => api.post<ServiceRecord>(`/service/records/${id}/reject`, { reason }),
  rate: (id: number, body: { score: number; comment?: string; as?: 'community' | 'branch' }) => api.post<ServiceRecord>(`/service/records/${id}/ratings`, body),
  flags: () => api.get<{ items: MemberFlag[] }>('/service/flags'),
  talk: (forceId: number, body: { talkedOn: string; note: string }) => api.post<{ id: number }>(`/service/flags/${forceId}/talks`, body),
  negative: (forceId: number, body: { reason: string; expiresOn?: string }) => api.post<{ id: number; flagged: boolean }>(`/service/members/${forceId}/negative-items`, body),
  honours: (query: { scopeCode?: string; year?: number }) => api.get<{ year: number; items: Honour[] }>('/service/honours', query),
};


export const RECORD_STATUS: Record<string, { text: string; color: string }> = {
  pending: { text: '待确认', color: 'orange' },
  confirmed: { text: '已确认', color: 'green' },
  rejected: { text: '已驳回', color: 'red' },
};
