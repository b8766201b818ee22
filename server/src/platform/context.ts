/** Who is calling: the authenticated user with their permissions and data scope, attached to each request. */

export type ScopeKind = 'all' | 'subtree' | 'node' | 'custom' | 'self';

export interface AuthContext {
  userId: number;
  username: string;
  displayName: string;
  roles: string[];
  roleNames: string[];
  permissions: ReadonlySet<string>;
  scope: {
    kind: ScopeKind;
    /** territory codes the scope is rooted at */
    codes: string[];
    /** their materialised paths, resolved at session load */
    paths: string[];
  };
  /** party org the user acts for (unit party orgs) and its path */
  orgCode: string | null;
  orgPath: string | null;
  personId: number | null;
  /** the line department the user works for (职能部门人员), if any */
  departmentCode: string | null;
  mustChangePassword: boolean;
  /** a second factor (TOTP) is enrolled and asked for at login */
  totpEnabled: boolean;
  /** privileged (people:unmask, user:write) without a second factor, outside demo mode: must enrol first */
  totpEnrollmentRequired: boolean;
  sessionKind: 'web' | 'api';
}

export interface RequestMeta {
  ip: string;
  requestId: string;
  userAgent: string | undefined;
}
