// Shapes of the /api/v1 responses the web shell uses.

export type ScopeKind = 'all' | 'subtree' | 'node' | 'custom' | 'self';

export interface Scope {
  kind: ScopeKind;
  codes: string[];
  /** Names of `codes`, in the same order (user list only). */
  names?: string[];
}

export interface CurrentUser {
  id: string | number;
  username: string;
  displayName: string;
  roles: string[];
  roleNames: string[];
  permissions: string[];
  scope: Scope;
  /** a grid worker: case:handle with a scope at a grid or below (street desks hold the permission only to grant it) */
  gridWorker?: boolean;
  mustChangePassword: boolean;
  /** two-step verification (TOTP) is on: asked for at login */
  totpEnabled?: boolean;
  /** a privileged account without it, outside demo mode: must set it up before anything else */
  totpEnrollmentRequired?: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface AppConfig {
  tileUrl: string | null;
  tileCrs: 'wgs84' | 'gcj02';
  tileAttribution: string | null;
  demoMode: boolean;
}

export type TerritoryKind =
  | 'district'
  | 'street'
  | 'community'
  | 'grid'
  | 'micro_grid'
  | 'compound'
  | 'building'
  | 'unit'
  | 'room';

export interface TerritoryNodeSummary {
  code: string;
  name: string;
  kind: TerritoryKind;
  parentCode: string | null;
  childCount: number;
  statCode: string | null;
}

export interface NodeRef {
  code: string;
  name: string;
  kind: string;
}

export interface TerritoryNodeDetail extends TerritoryNodeSummary {
  path: string;
  boundary: GeoJSON.Geometry | null;
  location: GeoJSON.Point | null;
  ancestors: NodeRef[];
}

export interface LocateResult {
  district: { code: string; name: string } | null;
  street: { code: string; name: string } | null;
  community: { code: string; name: string } | null;
  grid: { code: string; name: string } | null;
  microGrid: { code: string; name: string } | null;
}

export type OrgKind =
  | 'street_committee'
  | 'community_committee'
  | 'general_branch'
  | 'branch'
  | 'group'
  | 'functional_branch'
  | 'unit_org'
  | 'alliance';

export interface OrgSummary {
  code: string;
  name: string;
  kind: OrgKind;
  parentCode: string | null;
  territoryCode: string | null;
  territoryName: string | null;
  childCount: number;
}

export interface AllianceMember {
  code: string;
  name: string;
  kind: string;
  unitName: string | null;
  role: string;
  joinedOn: string;
}

export interface OrgDetail extends OrgSummary {
  path: string;
  territoryKind?: string | null;
  /** Alliances this organisation is a member of. */
  alliances?: { code: string; name: string; role: string }[];
  secretaryName: string | null;
  unitName: string | null;
  ancestors: NodeRef[];
  allianceMembers: AllianceMember[];
}

export interface UserRow {
  id: string | number;
  username: string;
  displayName: string;
  roles: string[];
  roleNames: string[];
  scope: Scope;
  status: 'active' | 'disabled';
  lockedUntil: string | null;
  lastLoginAt: string | null;
  mobile: string | null;
  mustChangePassword?: boolean;
  /** two-step verification is on */
  totpEnabled?: boolean;
  orgCode?: string | null;
}

export interface Role {
  code: string;
  name: string;
  description: string;
  permissions: string[];
  defaultScope: ScopeKind;
}

export interface AuditEntry {
  id: string | number;
  /** chain position; null for the second or so until the sequencer seals the record */
  seq: number | null;
  at: string;
  actorUsername: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: unknown;
  ip: string | null;
}

export interface LoginLogEntry {
  id: string | number;
  at: string;
  username: string;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
}
