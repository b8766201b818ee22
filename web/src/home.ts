// Where a person lands: their home by role and device, and whether a page asked for after login is one they may open.
import { matchPath } from 'react-router-dom';
import { hasPermission } from './permissions.js';

/** What the landing needs of the signed-in person (a CurrentUser fits; kept local so Node tests can import this file). */
interface CurrentUser { roles: readonly string[]; permissions: readonly string[]; gridWorker?: boolean | undefined }

/**
 * The desktop pages behind a permission — any one of a list (routes.tsx guards each with it; the landing checks a
 * `next` against it).
 */
export const PAGE_PERMISSION: Record<string, string | string[]> = {
  // a unit's party org reports on its own members; staff on the units visible to them
  'service/unit': ['service:unit', 'service:read'],
  'territory': 'territory:read',
  'org': 'org:read',
  'users': 'user:read',
  'roles': 'user:read',
  'archive': 'people:read',
  'archive/compounds/:code': 'archive:compound',
  'archive/persons': 'people:read',
  'imports': 'import:run',
  'audit': 'audit:read',
  'audit/unmask': 'audit:read',
  'login-log': 'audit:read',
  'service/lists': 'service:read',
  'service/overview': 'service:read',
  'service/unit-projects': 'service:unit',
  'service/orders': 'service:read',
  'service/tasks': 'service:read',
  'service/tasks/calls/:id': 'service:read',
  'service/records': 'service:read',
  'service/flags': 'service:read',
  'service/honours': 'service:read',
  'service/unit-flags': 'service:unit',
  'forces': 'service:read',
  'forces/teams': 'service:read',
  'forces/resources': 'service:read',
  'forces/contacts': 'service:read',
  'service/registrations': 'service:read',
  'service/registration-qr': 'service:read',
  'service/posts': 'service:read',
  'service/rates': 'service:read',
  'cases': 'case:read',
  'cases/new': 'case:report',
  'cases/rates': 'case:read',
  'cases/map': 'case:read',
  'cases/settings': 'case:read',
  'cases/property': 'case:property',
  'cases/:id': ['case:read', 'case:property'],
};

/** A phone-sized screen (or a touch-first one): the H5 is the app there. */
export function isPhone(): boolean {
  if (typeof window === 'undefined') return false;
  return window.innerWidth <= 768 || window.matchMedia?.('(pointer: coarse) and (max-width: 1024px)').matches === true;
}

const PHONE_ROLES = new Set(['party_member', 'resident']);

/** Members and residents have only the H5; a grid worker has both and takes the H5 on a phone. */
export function phoneOnly(user: CurrentUser): boolean {
  return user.roles.length > 0 && user.roles.every((r) => PHONE_ROLES.has(r));
}

/**
 * A person's home: the H5 (`/m`) for members and residents, and for grid workers on a phone; everyone else the
 * desktop 工作台 (`/`), whose to-dos follow their permissions (a unit's party org: its members' registration).
 */
export function homeOf(user: CurrentUser, phone: boolean): string {
  if (phoneOnly(user)) return '/m';
  if (phone && (user.gridWorker || user.roles.includes('grid_worker'))) return '/m';
  return '/';
}

/** Holding the page's permission, or one of its list. */
export function mayOpen(permissions: readonly string[], needed: string | string[]): boolean {
  return (Array.isArray(needed) ? needed : [needed]).some((p) => hasPermission(permissions, p));
}

/** Whether `path` opens for this person (a page they lack the permission for would only say so). */
export function canOpen(user: CurrentUser, path: string): boolean {
  const pathname = path.split(/[?#]/)[0] ?? '/';
  if (pathname === '/m' || pathname.startsWith('/m/')) return true;
  for (const [page, permission] of Object.entries(PAGE_PERMISSION)) {
    if (matchPath({ path: `/${page}`, end: true }, pathname)) return mayOpen(user.permissions, permission);
  }
  return true;
}

/**
 * After login: the page that was asked for when this person may open it there — never a desktop page for a
 * phone-only role, never the desktop home for a grid worker on a phone — else their home.
 */
export function landing(user: CurrentUser, next: string | null, phone: boolean): string {
  const home = homeOf(user, phone);
  const asked = next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : null;
  if (!asked) return home;
  const pathname = asked.split(/[?#]/)[0] ?? '/';
  if (pathname === '/') return home;
  const mobilePage = pathname === '/m' || pathname.startsWith('/m/');
  if (phoneOnly(user) && !mobilePage) return home;
  return canOpen(user, asked) ? asked : home;
}
