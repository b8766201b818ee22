// Permission checks shared by the shell, the landing and the menu (no React here: tests import it in Node).

/** True when `permissions` grants `wanted`; supports "*" and "module:*" wildcards. */
export function hasPermission(permissions: readonly string[] | undefined, wanted: string): boolean {
  if (!permissions) return false;
  if (permissions.includes(wanted) || permissions.includes('*')) return true;
  const [module] = wanted.split(':');
  return permissions.includes(`${module}:*`);
}
