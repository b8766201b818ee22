import { api } from '../../api';
import type { LocateResult, Page, TerritoryNodeDetail, TerritoryNodeSummary } from '../../types';
import type { TerritoryFeatureCollection } from './territory-map';

const enc = encodeURIComponent;

export const territoryApi = {
  roots: () => api.get<{ items: TerritoryNodeSummary[] }>('/territory/roots'),
  node: (code: string) => api.get<TerritoryNodeDetail>(`/territory/nodes/${enc(code)}`),
  children: (code: string, cursor: string | null, limit: number) =>
    api.get<Page<TerritoryNodeSummary>>(`/territory/nodes/${enc(code)}/children`, { limit, cursor }),
  map: (code: string) => api.get<TerritoryFeatureCollection>(`/territory/nodes/${enc(code)}/map`, { crs: 'wgs84' }),
  search: (q: string, limit = 20) => api.get<{ items: TerritoryNodeSummary[] }>('/territory/search', { q, limit }),
  locate: (lng: number, lat: number) =>
    api.get<LocateResult>('/territory/locate', { lng: lng.toFixed(7), lat: lat.toFixed(7) }),
  create: (body: { parentCode: string; kind: string; name: string; code?: string }) =>
    api.post<TerritoryNodeSummary>('/territory/nodes', body),
  update: (code: string, body: { name?: string }) =>
    api.patch<TerritoryNodeSummary>(`/territory/nodes/${enc(code)}`, body),
};
