// Double registration (双报到), 报回单位, rates and posts: the API shapes shared by the desktop pages and the H5.
import { api } from '../../api';
import type { Page } from '../../types';
import type { CommunityRate, PostKind, Skill } from '../forces/forces-api';
export { REGISTRATION_STATUS_LABEL } from '../../labels';


export interface Registration {
  id: number;
  personId: number;
  name: string | null;
  mobile: string | null;
  communityCode: string;
  communityName: string;
  homeCode: string;
  homeAddress: string | null;
  unitOrgCode: string | null;
  unitOrgName: string | null;
  workUnit: string;
  skills: string[];
  wishes: string[];
  availability: { days?: number[]; periods?: string[]; note?: string };
  status: string;
  branchCode: string | null;
  branchName: string | null;
  groupCode: string | null;
  groupName: string | null;
  microGridCode: string | null;
  microGridName: string | null;
  forceId: number | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  channel: string;
  createdAt: string;
}

export interface RegistrationForm {
  community: { code: string; name: string; streetName: string | null };
  compounds: { code: string; name: string; buildings: { code: string; name: string; units: { code: string; name: string }[] }[] }[];
  skills: Skill[];
  postKinds: PostKind[];
}

export interface Placement {
  branches: { code: string; name: string; kind: string; isDefault: boolean }[];
  groups: { code: string; name: string; parentCode: string; isDefault: boolean }[];
  microGrids: { code: string; name: string; isDefault: boolean }[];
}

/** A member of the unit: registered (approved / pending / withdrawn) or not yet (unregistered, no registration). */
export interface UnitMember {
  personId: number;
  registrationId: number | null;
  name: string | null;
  mobile: string | null;
  workUnit: string;
  unitOrgCode: string | null;
  communityCode: string | null;
  communityName: string | null;
  status: string;
  registeredAt: string | null;
  approvedAt: string | null;
  branchName: string | null;
  hours: number;
  services: number;
  avgRating: number | null;
}
export interface UnitMembers {
  org: { code: string; name: string };
  from: string;
  to: string;
  items: UnitMember[];
  totals: { inService: number; registered: number; approved: number; served: number; hours: number; services: number };
}

export interface ServicePost {
  id: number;
  communityCode: string;
  communityName: string;
  kindCode: string;
  kindName: string;
  title: string;
  description: string;
  capacity: number;
  taken: number;
  status: string;
  createdAt: string;
  held?: boolean;
  fit?: string[];
}

export interface CreateRegistration {
  communityCode: string;
  homeCode: string;
  unitOrgCode?: string;
  unitOrgName?: string;
  workUnit: string;
  mobile?: string;
  skills: string[];
  wishes: string[];
  availability?: { days?: number[]; periods?: string[] };
}

export const registrationApi = {
  form: (code: string) => api.get<RegistrationForm>(`/service/communities/${code}/registration-form`),
  unitOrgs: (q: string) => api.get<{ items: { code: string; name: string; unitName: string | null }[] }>('/service/unit-orgs', { q }),
  create: (body: CreateRegistration) => api.post<Registration>('/service/registrations', body),
  mine: () => api.get<Page<Registration>>('/service/registrations/mine'),
  withdraw: (id: number) => api.post<Registration>(`/service/registrations/${id}/withdraw`),
  placement: (id: number) => api.get<Placement>(`/service/registrations/${id}/placement`),
  approve: (id: number, body: { branchCode?: string; groupCode?: string; microGridCode?: string; note?: string }) =>
    api.post<Registration>(`/service/registrations/${id}/approve`, body),
  reject: (id: number, note: string) => api.post<Registration>(`/service/registrations/${id}/reject`, { note }),
  unitMembers: (orgCode: string, query: { from?: string; to?: string; quarter?: string }) => api.get<UnitMembers>(`/service/units/${orgCode}/members`, query),
  unitRates: (orgCode: string, query: { from?: string; to?: string }) => api.get<CommunityRate & { from: string; to: string }>(`/service/units/${orgCode}/rates`, query),
  rates: (query: { scopeCode?: string; from?: string; to?: string }) =>
    api.get<{ from: string; to: string; items: CommunityRate[]; total: CommunityRate }>('/service/rates', query),
  posts: (query: Record<string, string | undefined>) => api.get<Page<ServicePost>>('/service/posts', query),
  myPosts: () => api.get<Page<ServicePost>>('/service/posts/mine'),
  createPost: (body: { communityCode: string; kindCode: string; title: string; description?: string; capacity: number }) =>
    api.post<ServicePost>('/service/posts', body),
  closePost: (id: number) => api.post<ServicePost>(`/service/posts/${id}/close`),
  takePost: (id: number) => api.post<ServicePost>(`/service/posts/${id}/holders`),
  leavePost: (id: number) => api.delete<void>(`/service/posts/${id}/holders/me`),
  qrUrl: (code: string, format: 'png' | 'svg') => `/api/v1/service/communities/${code}/registration-qr?format=${format}`,
};

export function percentText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(2)}%`;
}
