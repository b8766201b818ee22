// The three lists and projects API (/service/needs, /service/projects, /service/communities/{code}/lists …).
import { api } from '../../api';
import type { Page } from '../../types';

const enc = encodeURIComponent;

export interface Need {
  id: number;
  communityCode: string;
  communityName: string;
  title: string;
  description: string;
  category: string;
  source: string;
  beneficiaries: number | null;
  status: string;
  projectCount: number;
  createdAt: string;
}

export interface ProjectItem {
  id: number;
  communityCode: string;
  communityName: string;
  needId: number | null;
  needTitle: string | null;
  title: string;
  description: string;
  kind: string;
  status: string;
  targetAmount: number | null;
  pledgedAmount: number;
  spentAmount: number;
  progress: { pledged: number | null; spent: number | null };
  startsOn: string | null;
  endsOn: string | null;
  unitCount: number;
  leadUnit: string | null;
  pledgeCount: number;
  createdAt: string;
}

export interface ProjectDetail extends ProjectItem {
  units: { orgCode: string; orgName: string; unitName: string | null; role: string; commitment: string; claimedAt: string }[];
  pledges: { id: number; orgCode: string | null; donorName: string; amount: number; pledgedAt: string }[];
  spending: { id: number; amount: number; purpose: string; spentOn: string; evidence: string[]; recordedAt: string }[];
  nextStatuses: string[];
  claimable: boolean;
}

export interface Count {
  key: string;
  count: number;
}

export interface ResourceItem {
  id: number;
  kind: string;
  name: string;
  providerOrg: string | null;
  providerName: string | null;
  quantity: number | null;
  unit: string | null;
  status: string;
  createdAt: string;
}

export interface CommunityLists {
  communityCode: string;
  communityName: string;
  needs: { total: number; byStatus: Count[]; byCategory: Count[]; latest: Need[] };
  resources: { total: number; byKind: Count[]; latest: ResourceItem[] };
  projects: {
    total: number;
    byStatus: Count[];
    byKind: Count[];
    pledgedAmount: number;
    spentAmount: number;
    targetAmount: number;
    unitsInvolved: number;
    latest: ProjectItem[];
  };
}

export interface ReachingUnit {
  orgCode: string;
  name: string;
  unitName: string | null;
  located: boolean;
  alliances: string[];
}

export interface OverviewRow {
  communityCode: string;
  communityName: string;
  streetName: string | null;
  openNeeds: number;
  needs: number;
  projects: number;
  projectsByStatus: Record<string, number>;
  pledgedAmount: number;
  spentAmount: number;
  unitsInvolved: number;
}

export interface Overview {
  scopeCode: string | null;
  items: OverviewRow[];
  totals: { openNeeds: number; projects: number; pledgedAmount: number; spentAmount: number; unitsInvolved: number };
}

export interface MoneyResult {
  id: number;
  projectId: number;
  amount: number;
  pledgedAmount: number;
  spentAmount: number;
}

export const projectsApi = {
  lists: (code: string) => api.get<CommunityLists>(`/service/communities/${enc(code)}/lists`),
  units: (code: string) => api.get<{ items: ReachingUnit[] }>(`/service/communities/${enc(code)}/units`),
  overview: (scopeCode?: string) => api.get<Overview>('/service/overview', { scopeCode }),
  createNeed: (body: Record<string, unknown>) => api.post<Need>('/service/needs', body),
  updateNeed: (id: number, body: Record<string, unknown>) => api.patch<Need>(`/service/needs/${id}`, body),
  project: (id: number) => api.get<ProjectDetail>(`/service/projects/${id}`),
  createProject: (body: Record<string, unknown>) => api.post<ProjectDetail>('/service/projects', body),
  setStatus: (id: number, status: string, note?: string) => api.post<ProjectDetail>(`/service/projects/${id}/status`, { status, note }),
  claim: (id: number, body: { orgCode?: string; commitment?: string }) =>
    api.post<{ projectId: number; orgName: string; role: string; status: string }>(`/service/projects/${id}/claims`, body),
  pledge: (id: number, body: { orgCode?: string; donorName: string; amount: number }) =>
    api.post<MoneyResult>(`/service/projects/${id}/pledges`, body),
  spend: (id: number, body: { amount: number; purpose: string; spentOn: string; evidence?: string[] }) =>
    api.post<MoneyResult>(`/service/projects/${id}/spending`, body),
};

export type { Page };

/** 12345.6 → "12,345.60 元" */
export function yuan(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${value.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;
}

/** A 0–1 ratio as a whole percent for antd <Progress> (capped at 100 for the bar; the text keeps the real figure). */
export function percent(ratio: number | null | undefined): number {
  if (ratio === null || ratio === undefined) return 0;
  return Math.round(ratio * 1000) / 10;
}
