// The desktop side menu as data: what each entry is called and where it goes. Whether an entry shows comes from the
// one table of page permissions (home.ts PAGE_PERMISSION) — the menu never offers a page that would refuse its user —
// so the shell, the landing and the browser test that opens every entry of every role read the same definition.
import { mayOpen, PAGE_PERMISSION } from './home.js';

export interface MenuItem {
  key: string;
  label: string;
  /** narrower than the page's own permission: the page opens for more people than the menu offers it to */
  permission?: string;
  children?: MenuItem[];
}

export const MENU: MenuItem[] = [
  { key: '/', label: '首页' },
  { key: '/territory', label: '区划网格' },
  { key: '/org', label: '党组织' },
  {
    key: 'archive',
    label: '档案',
    children: [
      { key: '/archive', label: '小区档案' },
      { key: '/archive/persons', label: '居民查询' },
    ],
  },
  {
    key: 'forces',
    label: '力量',
    children: [
      { key: '/forces', label: '力量图谱' },
      { key: '/forces/teams', label: '队伍' },
      { key: '/forces/resources', label: '资源' },
      { key: '/forces/contacts', label: '党群联系 1:8' },
    ],
  },
  {
    key: 'service',
    label: '双报到·服务',
    children: [
      { key: '/service/registrations', label: '报到审核' },
      { key: '/service/registration-qr', label: '报到二维码' },
      { key: '/service/posts', label: '服务岗位' },
      { key: '/service/rates', label: '报到率·服务率' },
      { key: '/service/unit', label: '报回单位', permission: 'service:unit' },
      { key: '/service/lists', label: '三张清单' },
      { key: '/service/overview', label: '社区服务概览' },
      { key: '/service/orders', label: '服务订单' },
      { key: '/service/tasks', label: '任务与召集' },
      { key: '/service/records', label: '服务记录' },
      { key: '/service/flags', label: '谈话提醒' },
      { key: '/service/honours', label: '表彰推荐' },
      { key: '/service/unit-projects', label: '共建项目认领' },
      { key: '/service/unit-flags', label: '党员谈话提醒' },
    ],
  },
  {
    key: 'cases',
    label: '案件·一网统管',
    children: [
      { key: '/cases', label: '案件台' },
      { key: '/cases/new', label: '登记案件' },
      { key: '/cases/rates', label: '三率统计' },
      { key: '/cases/map', label: '案件地图' },
      { key: '/cases/settings', label: '案件设置' },
      { key: '/cases/property', label: '物业案件' },
    ],
  },
  { key: '/imports', label: '数据导入' },
  { key: '/users', label: '用户管理' },
  { key: '/roles', label: '角色' },
  { key: '/audit', label: '审计日志' },
  { key: '/audit/unmask', label: '脱敏查看记录' },
  { key: '/login-log', label: '登录日志' },
  { key: '/account/password', label: '修改密码' },
  { key: '/account/totp', label: '两步验证' },
];

/** The permission an entry's page needs (none: every signed-in user). */
export function entryPermission(entry: MenuItem): string | string[] | undefined {
  return entry.permission ?? PAGE_PERMISSION[entry.key.replace(/^\//, '')];
}

/** The entries this person sees: those whose page they may open; a group when any of its entries shows. */
export function visibleMenu(permissions: readonly string[]): MenuItem[] {
  const allowed = (entry: MenuItem) => {
    const needed = entryPermission(entry);
    return needed === undefined || mayOpen(permissions, needed);
  };
  return MENU.flatMap((entry) => {
    if (!entry.children) return allowed(entry) ? [entry] : [];
    const children = entry.children.filter(allowed);
    return children.length > 0 ? [{ ...entry, children }] : [];
  });
}

/** Every page a person's menu leads to. */
export function menuPages(permissions: readonly string[]): string[] {
  return visibleMenu(permissions).flatMap((entry) => (entry.children ? entry.children.map((c) => c.key) : [entry.key]));
}
