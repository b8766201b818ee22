import { api } from '../../api';
import type { Role, ScopeKind, UserRow } from '../../types';

export interface UserInput {
  username?: string;
  displayName: string;
  roles: string[];
  scopeKind: ScopeKind;
  scopeCodes: string[];
  mobile?: string;
}

let rolesPromise: Promise<Role[]> | null = null;

export const usersApi = {
  /** All roles (cached for the session: they change only with a release). */
  roles: () => {
    rolesPromise ??= api
      .get<{ items: Role[] }>('/roles')
      .then((r) => r.items)
      .catch((e: unknown) => {
        rolesPromise = null;
        throw e;
      });
    return rolesPromise;
  },
  create: (body: UserInput) => api.post<{ user: UserRow; initialPassword: string }>('/users', body),
  update: (id: UserRow['id'], body: Partial<UserInput> & { status?: UserRow['status'] }) =>
    api.patch<UserRow>(`/users/${encodeURIComponent(String(id))}`, body),
  resetPassword: (id: UserRow['id']) =>
    api.post<{ initialPassword: string }>(`/users/${encodeURIComponent(String(id))}/reset-password`),
  unlock: (id: UserRow['id']) => api.post<UserRow>(`/users/${encodeURIComponent(String(id))}/unlock`),
  resetTotp: (id: UserRow['id']) => api.post<UserRow>(`/users/${encodeURIComponent(String(id))}/reset-totp`),
};
