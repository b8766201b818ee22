// Forces register (力量图谱), teams, resources, party–mass contact 1:8, and the labels of their codes.
import { api } from '../../api';
import type { Page } from '../../types';
import { PERIOD_LABEL, WEEKDAY_LABEL } from '../../labels';
export { FORCE_KIND_LABEL, FORCE_KIND_COLOR, FORCE_STATUS_LABEL, TEAM_KIND_LABEL, PERIOD_LABEL, WEEKDAY_LABEL } from '../../labels';


export interface Skill {
  code: string;
  name: string;
  category: string;
}
export interface PostKind {
  code: string;
  name: string;
  skills: string[];
}
export interface Availability {
  days?: number[];
  periods?: string[];
  note?: string;
}
export interface ForcePerson {
  id: number;
  personId: number;
  userId: number | null;
  name: string | null;
  mobile: string | null;
  kind: string;
  communityCode: string;
  communityName: string;
  homeCode: string | null;
  homeAddress: string | null;
  home: { lng: number; lat: number } | null;
  microGridCode: string | null;
  microGridName: string | null;
  skills: string[];
  availability: Availability;
  status: string;
  openLoad: number;
  contacts: number;
  createdAt: string;
}
export interface Resource {
  id: number;
  communityCode: string;
  communityName: string;
  kind: string;
  name: string;
  description: string;
  providerOrg: string | null;
  providerOrgName: string | null;
  providerName: string | null;
  quantity: number | null;
  unit: string | null;
  availableNote: string | null;
  status: string;
  createdAt: string;
}
export interface Team {
  id: number;
  communityCode: string;
  communityName: string;
  kind: string;
  name: string;
  description: string;
  leaderId: number | null;
  leaderName: string | null;
  members: number;
  createdAt: string;
}
export interface TeamDetail extends Team {
  memberList: { forceId: number; name: string | null; kind: string; role: string; joinedOn: string; skills: string[] }[];
}
export interface Contact {
  id: number;
  forceId: number;
  householdId: number;
  slot: number;
  since: string;
  until: string | null;
  roomCode: string;
  label: string;
  headName: string | null;
  residents: number;
}
export interface ContactSummary {
  communityCode: string;
  households: number;
  covered: number;
  members: number;
  freeSlots: number;
}
export interface CommunityRate {
  code: string;
  name: string;
  inService: number;
  registered: number;
  registrationRate: number | null;
  served: number;
  serviceRate: number | null;
}

export const forcesApi = {
  skills: () => api.get<{ items: Skill[] }>('/forces/skills'),
  postKinds: () => api.get<{ items: PostKind[] }>('/forces/post-kinds'),
  summary: (communityCode?: string) => api.get<{ total: number; active: number; byKind: Record<string, number> }>('/forces/summary', { communityCode }),
  person: (id: number) => api.get<ForcePerson>(`/forces/persons/${id}`),
  persons: (query: Record<string, string | number | undefined>) => api.get<Page<ForcePerson>>('/forces/persons', query),
  createPerson: (body: { personId: number; kind: string; skills?: string[]; availability?: Availability }) => api.post<ForcePerson>('/forces/persons', body),
  updatePerson: (id: number, body: { skills?: string[]; availability?: Availability; status?: string }) => api.patch<ForcePerson>(`/forces/persons/${id}`, body),
  createResource: (body: Record<string, unknown>) => api.post<Resource>('/forces/resources', body),
  updateResource: (id: number, body: Record<string, unknown>) => api.patch<Resource>(`/forces/resources/${id}`, body),
  withdrawResource: (id: number) => api.delete<void>(`/forces/resources/${id}`),
  team: (id: number) => api.get<TeamDetail>(`/forces/teams/${id}`),
  createTeam: (body: { communityCode: string; kind: string; name: string; description?: string }) => api.post<TeamDetail>('/forces/teams', body),
  deleteTeam: (id: number) => api.delete<void>(`/forces/teams/${id}`),
  addMember: (id: number, forceId: number, role: 'leader' | 'member') => api.post<TeamDetail>(`/forces/teams/${id}/members`, { forceId, role }),
  removeMember: (id: number, forceId: number) => api.delete<TeamDetail>(`/forces/teams/${id}/members/${forceId}`),
  contacts: (forceId: number) => api.get<{ items: Contact[] }>(`/forces/persons/${forceId}/contacts`),
  contactSummary: (communityCode: string) => api.get<ContactSummary>('/forces/contacts/summary', { communityCode }),
  assignContact: (forceId: number, householdId: number) => api.post<Contact>('/forces/contacts', { forceId, householdId }),
  endContact: (id: number) => api.post<Contact>(`/forces/contacts/${id}/end`),
  autoAssign: (communityCode: string) =>
    api.post<{ assigned: number; members: number; unassigned: number }>('/forces/contacts/auto-assign', { communityCode }),
  /** The communities in the caller's scope (the rates endpoint lists exactly those). */
  communities: () => api.get<{ items: CommunityRate[] }>('/service/rates'),
};

export function availabilityText(a: Availability | null | undefined): string {
  if (!a) return '—';
  const days = (a.days ?? []).map((d) => WEEKDAY_LABEL[d]).join('、');
  const periods = (a.periods ?? []).map((p) => PERIOD_LABEL[p] ?? p).join('、');
  return [days, periods, a.note].filter(Boolean).join(' ') || '—';
}
