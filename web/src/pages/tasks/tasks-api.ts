// The tasks, calls, suggestions and inbox API (/service/tasks, /service/calls, /notifications). No antd here: the
// H5 pages use it too.
import { api, ApiError, API_BASE, type ApiErrorBody } from '../../api';
import type { Page } from '../../types';
export { TASK_STATUS_LABEL, TASK_SIZE_LABEL, CLAIM_STATUS_LABEL } from '../../labels';

export interface Task {
  id: number;
  callId: number | null;
  title: string;
  description: string;
  size: string;
  scopeCode: string;
  scopeName: string;
  skills: { code: string; name: string }[];
  location: GeoJSON.Point | null;
  capacity: number;
  claimed: number;
  startsAt: string;
  endsAt: string;
  hourCap: number;
  emergency: boolean;
  status: 'open' | 'closed' | 'cancelled' | string;
  createdAt: string;
  distanceMeters?: number | null;
  /** The member's claim; check-in/out are optional and only suggest the hours (suggestedHours). */
  myClaim?: { id: number; status: string; teamId: number | null; checkedInAt: string | null; checkedOutAt: string | null; suggestedHours: number | null } | null;
}

export interface TaskInput {
  title: string;
  description?: string;
  size?: string;
  capacity: number;
  startsAt: string;
  endsAt: string;
  location?: GeoJSON.Point | null;
  skills?: string[];
  hourCap?: number;
}

export interface CallCounters {
  tasks: number;
  capacity: number;
  claimed: number;
  members: number;
  teams: number;
  done: number;
}

export interface CallItem {
  id: number;
  title: string;
  message: string;
  scopeCode: string;
  scopeName: string;
  createdAt: string;
  closedAt: string | null;
  counters: CallCounters;
}

export interface Call extends CallItem {
  tasks: Task[];
}

export interface ClaimItem {
  id: number;
  forceId: number;
  name: string | null;
  teamId: number | null;
  teamName: string | null;
  status: string;
  claimedAt: string;
  doneAt: string | null;
  checkedInAt: string | null;
  checkedOutAt: string | null;
}

export interface Attendance { claimId: number; taskId: number; checkedInAt: string | null; checkedOutAt: string | null; suggestedHours: number | null }

export interface Suggestion {
  memberId: number;
  score: number;
  reasons: string[];
  name: string | null;
  communityCode: string;
  communityName: string;
  distanceMeters: number | null;
  openLoad: number;
  skills: string[];
  ratings: number;
  satisfaction: number | null;
}

export interface InboxItem {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  refType: string | null;
  refId: string | null;
  createdAt: string;
  read: boolean;
}

export interface Skill {
  code: string;
  name: string;
  category: string;
}

/** A POST with an Idempotency-Key, so a retried tap (weak network) never claims twice. */
async function postOnce<T>(path: string, body: unknown, key: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': 'zh-CN', 'Idempotency-Key': key },
      body: JSON.stringify(body ?? {}),
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  const data = (await response.json().catch(() => undefined)) as { error?: ApiErrorBody } | undefined;
  if (!response.ok) {
    throw new ApiError(response.status, { code: data?.error?.code ?? `HTTP_${response.status}`, message: data?.error?.message ?? '操作失败', field: data?.error?.field });
  }
  return data as T;
}

export const newRequestKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const tasksApi = {
  list: (query: { status?: string; callId?: number; q?: string; mine?: boolean; cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<Task>>('/service/tasks', { ...query, cursor: query.cursor ?? undefined }),
  get: (id: number | string) => api.get<Task>(`/service/tasks/${id}`),
  create: (body: TaskInput & { scopeCode: string; emergency?: boolean; callId?: number }) => api.post<Task>('/service/tasks', body),
  close: (id: number) => api.post<Task>(`/service/tasks/${id}/close`),
  cancel: (id: number) => api.post<Task>(`/service/tasks/${id}/cancel`),
  claims: (id: number) => api.get<{ items: ClaimItem[] }>(`/service/tasks/${id}/claims`),
  claim: (id: number | string, key: string, body: { teamId?: number; memberIds?: number[] } = {}) =>
    postOnce<{ id: number; claimed: number; capacity: number }>(`/service/tasks/${id}/claims`, body, key),
  cancelMine: (id: number | string) => api.delete<{ claimed: number; capacity: number }>(`/service/tasks/${id}/claims/mine`),
  checkIn: (id: number | string) => api.post<Attendance>(`/service/tasks/${id}/check-in`),
  checkOut: (id: number | string) => api.post<Attendance>(`/service/tasks/${id}/check-out`),
  done: (id: number | string, claimId: number, body: { hours: number; evidence?: string[]; note?: string }) =>
    api.post<{ claimId: number; recordId: number; hours: number; status: string }>(`/service/tasks/${id}/claims/${claimId}/done`, body),
  suggestions: (id: number) => api.get<{ items: Suggestion[] }>(`/service/tasks/${id}/suggestions`),
  skills: () => api.get<{ items: Skill[] }>('/forces/skills'),
};

export const callsApi = {
  list: (query: { active?: boolean; cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<CallItem>>('/service/calls', { ...query, cursor: query.cursor ?? undefined }),
  get: (id: number | string) => api.get<Call>(`/service/calls/${id}`),
  create: (body: { title: string; message: string; scopeCode: string; tasks: TaskInput[] }) => api.post<Call>('/service/calls', body),
  close: (id: number) => api.post<Call>(`/service/calls/${id}/close`),
  streamUrl: (id: number | string) => `${API_BASE}/service/calls/${id}/stream`,
};

export const inboxApi = {
  list: (query: { unread?: boolean; cursor?: string | null; limit?: number } = {}) =>
    api.get<Page<InboxItem>>('/notifications', { ...query, cursor: query.cursor ?? undefined }),
  unread: () => api.get<{ unread: number }>('/notifications/unread-count'),
  read: (id: number) => api.post<{ unread: number }>(`/notifications/${id}/read`),
  readAll: () => api.post<{ marked: number; unread: number }>('/notifications/read-all'),
  streamUrl: `${API_BASE}/notifications/stream`,
};


/** '约 850 米' / '约 1.2 公里'. */
export function distanceLabel(meters: number | null | undefined): string | null {
  if (meters === null || meters === undefined) return null;
  return meters < 1000 ? `约 ${Math.max(10, Math.round(meters / 10) * 10)} 米` : `约 ${(meters / 1000).toFixed(1)} 公里`;
}
