// Cases (一网统管, 吹哨报到): the shapes of /api/v1/cases (server/src/modules/cases/cases.schema.ts) and the calls the
// desktop pages make. Times are ISO 8601 UTC; screens show them on Beijing time (../../time).
import { api } from '../../api';
import type { Page } from '../../types';
export { CASE_STATE_LABEL, CASE_STATE_COLOR, CHANNEL_LABEL, TIER_LABEL, CASE_ACTOR_KIND_LABEL as ACTOR_KIND_LABEL, SATISFACTION_LABEL, CARD_LABEL, MEASURE_LABEL } from '../../labels';

export interface CasePhoto { id: string; url: string }

export interface CaseItem {
  id: number;
  serviceNo: string;
  channel: string; channelName: string;
  categoryCode: string; categoryName: string; majorName: string; kind: string;
  description: string; address: string; lng: number | null; lat: number | null;
  streetCode: string; streetName: string; communityCode: string | null; communityName: string | null;
  gridCode: string | null; gridName: string | null; microGridCode: string | null; microGridName: string | null;
  state: string; stateName: string;
  handlerTier: string; handlerCode: string; handlerName: string;
  reporterName: string | null;
  photos: CasePhoto[]; resultPhotos: CasePhoto[];
  reportedAt: string; stepDeadline: string; deadline: string;
  overdue: boolean; card: 'none' | 'yellow' | 'red';
  satisfaction: string | null; reopenCount: number; followers: number;
  duplicateOf: number | null;
  updatedAt: string;
}

export interface CaseStep {
  id: number; action: string; actionName: string; from: string | null; to: string;
  actorKind: string; actorName: string | null; actorOrg: string;
  tierFrom: string | null; tierTo: string | null; target: string | null; targetName: string | null;
  note: string | null; photos: CasePhoto[]; deadline: string | null; at: string;
}

export interface Whistle {
  id: number; departmentCode: string; departmentName: string; blownAt: string;
  reportInDeadline: string; reportedInAt: string | null; respondDeadline: string; respondedAt: string | null;
  response: string | null; card: string;
}

export interface Duplicate { id: number; serviceNo: string; distanceM: number; state: string; reportedAt: string }

export interface AllowedAction { action: string; name: string; to: string; as: string }

export interface CaseDetail {
  case: CaseItem;
  steps: CaseStep[];
  whistles: Whistle[];
  consultations: { id: number; heldAt: string; participants: string[]; conclusion: string }[];
  extensions: { id: number; days: number; reason: string; requestedAt: string; decision: string | null; decidedAt: string | null; decisionNote: string | null }[];
  cards: { id: number; color: string; stepState: string; note: string | null; at: string }[];
  duplicates: Duplicate[];
  allowedActions: AllowedAction[];
  viewerKinds: string[];
}

export interface CreatedCase {
  id: number; serviceNo: string; state: string;
  gridCode: string | null; microGridCode: string | null; communityCode: string | null; streetCode: string;
  handlerTier: string; handlerName: string; deadline: string;
  duplicates: Duplicate[];
  case: CaseItem;
}

export interface CreateCaseInput {
  categoryCode: string; lng: number; lat: number; description: string;
  photos?: string[]; address?: string; channel?: 'web';
  attributes?: Record<string, string | number | string[]>;
}

export interface ActionInput {
  action: string;
  note?: string;
  targetOrg?: string | string[];
  photos?: string[];
  days?: number;
  mergeInto?: number;
  participants?: string[];
  heldAt?: string;
  conclusion?: string;
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied';
}

export interface CategoryAttribute {
  code: string; datatype: string; required: boolean; description: string;
  values: { key: string; name: string }[];
}

/** A category of the dictionary: a major (2 characters) with its minors in `children`; deadlines in working days. */
export interface Category {
  code: string; name: string; kind: string;
  defaultTier: string; departmentKind: string | null;
  deadlines: { accept: number; handle: number; verify: number; reportIn: number; respond: number };
  cameraEvents?: string[]; keywords?: string[]; open311?: boolean;
  attributes?: CategoryAttribute[];
  children?: Category[];
}

export interface Department { code: string; name: string; shortName: string; kind: string; duty?: string }

export interface CasePolicy {
  yellowAfterDays: number; redAfterDays: number; ratingWindowDays: number;
  unratedPolicy: 'close_unrated' | 'close_satisfied';
  duplicateRadiusM: number; duplicateWindowHours: number;
  updatedAt?: string | null; updatedByName?: string | null;
}

/** One day of the working-day calendar that differs from a plain Monday–Friday week, or that carries an override. */
export interface CalendarDay { day: string; workday: boolean; name: string; source: 'national' | 'override' }

export interface CalendarYear {
  year: number;
  days: CalendarDay[];
  overrides: { day: string; workday: boolean; name: string }[];
  /** working days in each month */
  workdays: number[];
}

export interface RateCounts {
  reported: number; responseDue: number; respondedOnTime: number; accepted: number; resolved: number;
  rated: number; satisfied: number; open: number; overdue: number;
}

export interface Rates {
  scopeCode: string; scopeName: string; from: string; to: string;
  responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null;
  counts: RateCounts;
}

export interface RatesQuery { scopeCode?: string; from: string; to: string }

export interface BreakdownItem extends Rates { code: string; name: string; kind: string }
export interface Breakdown { scopeCode: string; scopeName: string; from: string; to: string; by: string; items: BreakdownItem[] }

export interface TrendPoint {
  period: string; from: string; to: string;
  responseRate: number | null; resolutionRate: number | null; satisfactionRate: number | null; counts: RateCounts;
}
export interface Trend { scopeCode: string; scopeName: string; from: string; to: string; interval: string; items: TrendPoint[] }

export interface MapQuery {
  scopeCode?: string; bbox?: string; zoom?: number; categoryCode?: string; state?: string; overdue?: boolean; from?: string; to?: string;
}
export interface CaseMap {
  clusters: { lng: number; lat: number; count: number; overdue: number; ids?: number[] }[];
  total: number; cellDegrees: number; truncated: boolean;
}
export interface CaseHeat { points: [number, number, number][]; total: number; cellDegrees: number; truncated: boolean }

export type ListFilters = Record<string, string | number | undefined>;

/** A rate as counts: the cases in its numerator over those in its denominator (rate null when there are none). */
export interface RateFigure { numerator: number; denominator: number; rate: number | null }

/** GET /cases/property/summary: a property company's compounds, its cases by state and its three rates. */
export interface PropertySummary {
  compounds: { code: string; name: string; company: string | null }[];
  states: { reported: number; handling: number; resolved: number; rating: number; closed: number; overdue: number };
  response: RateFigure; resolution: RateFigure; satisfaction: RateFigure;
}

/** A compound whose property company may be handed a case (交办物业). */
export interface PropertyTarget { code: string; name: string; company: string | null }

const path = (id: number) => `/cases/${id}`;

export const casesApi = {
  get: (id: number) => api.get<CaseDetail>(path(id)),
  act: (id: number, input: ActionInput) => api.post<CaseDetail>(`${path(id)}/actions`, input),
  create: (input: CreateCaseInput) => api.post<CreatedCase>('/cases', input),
  list: (filters: ListFilters) => api.get<Page<CaseItem>>('/cases', filters),
  counts: () => api.get<Record<string, number>>('/cases/counts'),
  categories: () => api.get<{ items: Category[] } | Category[]>('/cases/categories').then((r) => (Array.isArray(r) ? r : r.items)),
  departments: () => api.get<{ items: Department[] } | Department[]>('/cases/departments').then((r) => (Array.isArray(r) ? r : r.items)),
  policy: () => api.get<CasePolicy>('/cases/policy'),
  savePolicy: (policy: CasePolicy) => api.put<CasePolicy>('/cases/policy', policy),
  calendar: (year: number) => api.get<CalendarYear>('/cases/calendar', { year }),
  setDay: (day: string, body: { workday: boolean; name: string }) => api.put<CalendarDay>(`/cases/calendar/${day}`, body),
  clearDay: (day: string) => api.delete<CalendarDay>(`/cases/calendar/${day}`),
  rates: (query: RatesQuery) => api.get<Rates>('/cases/rates', { ...query }),
  breakdown: (query: RatesQuery & { by: 'children' | 'departments' }) => api.get<Breakdown>('/cases/rates/breakdown', { ...query }),
  trend: (query: RatesQuery & { interval?: 'month' | 'week' | 'day' }) => api.get<Trend>('/cases/rates/trend', { ...query }),
  map: (query: MapQuery) => api.get<CaseMap>('/cases/map', { ...query }),
  heat: (query: MapQuery) => api.get<CaseHeat>('/cases/heat', { ...query }),
  propertySummary: () => api.get<PropertySummary>('/cases/property/summary'),
  propertyTargets: (id: number) => api.get<{ items: PropertyTarget[] }>(`${path(id)}/property-targets`).then((r) => r.items),
};


export function percentText(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}
