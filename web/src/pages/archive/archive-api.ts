// The archive API (GET /archive/…): compounds, buildings, rooms, persons, households, visits, unmasking.
// Every person field arrives masked; only POST …/unmask returns raw values.
import { api } from '../../api';
import type { Page } from '../../types';

const enc = encodeURIComponent;

export interface PartyMemberCounts {
  inRegister: number;
  inService: number;
  inResidence: number;
  total: number;
}

export interface TagCount {
  code: string;
  name: string;
  count: number;
}

export interface Counts {
  buildings: number;
  units: number;
  rooms: number;
  households: number;
  residents: number;
  byRelation: { owner: number; tenant: number; family: number; registered: number; floating: number };
  partyMembers: PartyMemberCounts;
  tagged: number;
  tags: TagCount[];
}

export interface BuildingSummary {
  code: string;
  name: string;
  number: number | string | null;
  boundary: GeoJSON.Geometry | null;
  location: GeoJSON.Point | null;
  microGridCode: string | null;
  units: number;
  rooms: number;
  households: number;
  residents: number;
  partyMembers: PartyMemberCounts;
  tagged: number;
  tags: TagCount[];
}

export type PartnerKind = 'party_org' | 'owners_committee' | 'property_company';

export interface Partner {
  kind: PartnerKind;
  kindName: string;
  name: string;
  orgCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
  members: { personId: string | number; name: string; role: string }[];
}

export interface Post {
  post: string;
  postName: string;
  territoryCode: string;
  territoryName: string;
  personId: string | number | null;
  name: string | null;
  userId: string | number | null;
}

export interface CompoundArchive {
  code: string;
  name: string;
  communityCode: string;
  communityName: string;
  gridCode: string | null;
  gridName: string | null;
  boundary: GeoJSON.Geometry | null;
  location: GeoJSON.Point | null;
  buildings: BuildingSummary[];
  partners: Partner[];
  posts: Post[];
  counts: Counts;
}

export interface NodeCounts {
  code: string;
  name: string;
  kind: string;
  counts: Counts;
}

export interface RoomCell {
  code: string;
  label: string;
  floor: number;
  households: number;
  residents: number;
  partyMembers: number;
  tagged: number;
  tags: string[];
}

export interface BuildingArchive {
  code: string;
  name: string;
  number: number | string | null;
  compoundCode: string;
  compoundName: string;
  posts: Post[];
  units: { code: string; name: string; rooms: RoomCell[] }[];
}

export interface Resident {
  personId: string | number;
  name: string;
  gender: string | null;
  age: number | null;
  relation: string;
  movedIn: string | null;
  movedOut: string | null;
  idNumber: string | null;
  mobile: string | null;
  tags: { code: string; name: string }[];
  partyMemberType: string | null;
}

export interface Visit {
  id: string | number;
  visitedAt: string;
  kind: string;
  note: string;
  visitorName: string | null;
}

export interface RoomArchive {
  code: string;
  label: string;
  buildingCode: string;
  unitCode: string;
  address: string;
  households: { id: string | number; kind: string | null; registryNo: string | null; residents: Resident[] }[];
  visits: Visit[];
}

export interface PersonRow {
  id: string | number;
  name: string;
  gender: string | null;
  age: number | null;
  idNumber: string | null;
  mobile: string | null;
  address: string | null;
  communityCode: string | null;
  communityName: string | null;
  compoundName: string | null;
  buildingCode: string | null;
  relation: string | null;
  tags: { code: string; name: string }[];
  partyMemberType: string | null;
}

/** GET /archive/persons/{id}: one person, masked (addresses with the room number hidden). */
export interface PersonDetail {
  id: string | number;
  name: string | null;
  gender: string | null;
  age: number | null;
  idNumber: string | null;
  mobile: string | null;
  residences: { address: string | null; relation: string; movedIn: string; movedOut: string | null }[];
  tags: { code: string; name: string }[];
  partyMember: { type: string; orgName: string | null; workUnit: string | null } | null;
}

export interface HouseholdRow {
  id: string | number;
  roomCode: string;
  label: string;
  headName: string | null;
  residents: number;
  tags: { code: string; name: string }[];
  lastVisitAt: string | null;
}

export interface AttentionTag {
  code: string;
  name: string;
  category: string;
  sensitive: boolean;
}

export type UnmaskField = 'name' | 'idNumber' | 'mobile' | 'address';

export interface Unmasked {
  id: string | number;
  name?: string | null;
  idNumber?: string | null;
  mobile?: string | null;
  address?: string | null;
}

export const archiveApi = {
  compound: (code: string) => api.get<CompoundArchive>(`/archive/compounds/${enc(code)}`),
  counts: (code: string) => api.get<NodeCounts>(`/archive/counts/${enc(code)}`),
  building: (code: string) => api.get<BuildingArchive>(`/archive/buildings/${enc(code)}`),
  room: (code: string) => api.get<RoomArchive>(`/archive/rooms/${enc(code)}`),
  tags: () => api.get<{ items: AttentionTag[] }>('/archive/tags'),
  person: (id: string | number) => api.get<PersonDetail>(`/archive/persons/${enc(String(id))}`),
  households: (q: string, cursor: string | null, limit = 20, due = false) =>
    api.get<Page<HouseholdRow>>('/archive/households', { q, cursor, limit, ...(due ? { due: true } : {}) }),
  visit: (body: { roomCode: string; householdId?: string | number; kind?: string; note: string }) =>
    api.post<Visit>('/archive/visits', body),
  unmask: (id: string | number, body: { reason: string; fields: UnmaskField[] }) =>
    api.post<Unmasked>(`/archive/persons/${enc(String(id))}/unmask`, body),
};

/** The compound a building/unit/room code belongs to: everything before 'B'. */
export function compoundOf(code: string): string {
  const at = code.indexOf('B');
  return at > 0 ? code.slice(0, at) : code;
}

/** "3幢" for a building numbered 3 (falls back to its name). */
export function buildingLabel(building: { number: number | string | null; name: string }): string {
  if (building.number !== null && building.number !== undefined && String(building.number) !== '') {
    const n = String(building.number).replace(/^0+(?=\d)/, '');
    return /幢|栋|楼|号/.test(n) ? n : `${n}幢`;
  }
  return building.name;
}
