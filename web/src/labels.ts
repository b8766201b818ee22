// Chinese labels for the codes the API returns. One place, reused by every page.
import { beijingTime } from './time';

export const TERRITORY_KIND_LABEL: Record<string, string> = {
  district: '区',
  street: '街道',
  community: '社区',
  grid: '网格',
  micro_grid: '微网格',
  compound: '小区',
  building: '楼幢',
  unit: '单元',
  room: '户',
};

/** Which kinds may be created under a parent kind (mirrors territory_kind_rule on the server). */
export const TERRITORY_CHILD_KINDS: Record<string, string[]> = {
  district: ['street'],
  street: ['community'],
  community: ['grid', 'compound'],
  grid: ['micro_grid'],
  compound: ['building'],
  building: ['unit'],
  unit: ['room'],
};

export const TERRITORY_KIND_COLOR: Record<string, string> = {
  district: 'red',
  street: 'volcano',
  community: 'orange',
  grid: 'gold',
  micro_grid: 'lime',
  compound: 'green',
  building: 'cyan',
  unit: 'blue',
  room: 'geekblue',
};

export const ORG_KIND_LABEL: Record<string, string> = {
  street_committee: '街道党工委',
  community_committee: '社区党委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组',
  functional_branch: '功能型党支部',
  unit_org: '单位党组织',
  alliance: '党建联盟',
};

export const ALLIANCE_ROLE_LABEL: Record<string, string> = {
  chair: '主席单位',
  vice_chair: '副主席单位',
  member: '成员单位',
};

export const SCOPE_KIND_LABEL: Record<string, string> = {
  all: '全部',
  subtree: '本级及下级',
  node: '仅本级',
  custom: '自定义',
  self: '仅本人',
};

export const USER_STATUS_LABEL: Record<string, string> = {
  active: '正常',
  disabled: '已停用',
};

export const LOGIN_OUTCOME_LABEL: Record<string, { text: string; color: string }> = {
  ok: { text: '登录成功', color: 'success' },
  bad_password: { text: '密码错误', color: 'error' },
  unknown_user: { text: '用户不存在', color: 'error' },
  locked: { text: '账号锁定', color: 'warning' },
  disabled: { text: '账号停用', color: 'default' },
  logout: { text: '退出登录', color: 'processing' },
  bad_totp: { text: '验证码错误', color: 'error' },
  totp_required: { text: '待输入验证码', color: 'processing' },
  throttled: { text: '尝试过频被拒', color: 'warning' },
  unlock: { text: '管理员解锁', color: 'processing' },
};

export const PERMISSION_MODULE_LABEL: Record<string, string> = {
  territory: '区划网格',
  org: '党组织',
  user: '用户',
  audit: '审计',
  people: '人口',
  archive: '档案',
  service: '服务',
  cases: '事件',
  deliberation: '议事',
  credit: '信用',
  affairs: '事项',
  evaluation: '评价',
  cockpit: '驾驶舱',
  reports: '报表',
  pii: '个人信息',
};

export const PERMISSION_ACTION_LABEL: Record<string, string> = {
  read: '查看',
  write: '编辑',
  admin: '管理',
  unmask: '查看明文',
  export: '导出',
  import: '导入',
  handle: '处置',
  assign: '派遣',
};

/** "territory:read" → "区划网格·查看" (falls back to the raw code). */
export function permissionLabel(permission: string): string {
  if (permission === '*') return '全部权限';
  const [module, action] = permission.split(':');
  const moduleLabel = module ? PERMISSION_MODULE_LABEL[module] : undefined;
  const actionLabel = action ? (action === '*' ? '全部' : PERMISSION_ACTION_LABEL[action]) : undefined;
  if (moduleLabel && actionLabel) return `${moduleLabel}·${actionLabel}`;
  return permission;
}

export function label(map: Record<string, string>, code: string | null | undefined): string {
  if (!code) return '—';
  return map[code] ?? code;
}

/** A time on Beijing time, whatever the browser's zone ('—' when empty). */
export const formatTime = (value: string | null | undefined): string => beijingTime(value);

// ── Archive (档案) ───────────────────────────────────────────────────────────

export const RELATION_LABEL: Record<string, string> = {
  owner: '业主',
  tenant: '租客',
  family: '家庭成员',
  registered: '户籍人口',
  floating: '流动人口',
};

export const MEMBER_TYPE_LABEL: Record<string, string> = {
  in_register: '在册党员',
  in_service: '在职党员',
  in_residence: '在地党员',
};

export const MEMBER_TYPE_SHORT: Record<string, string> = {
  in_register: '在册',
  in_service: '在职',
  in_residence: '在地',
};

export const PARTNER_KIND_LABEL: Record<string, string> = {
  party_org: '党组织',
  owners_committee: '业委会',
  property_company: '物业',
};

export const POST_LABEL: Record<string, string> = {
  compound_commissioner: '小区专员',
  building_leader: '楼长',
  unit_leader: '单元长',
  grid_leader: '网格长',
  grid_member: '专职网格员',
  grid_part_time: '兼职网格员',
  grid_instructor: '网格指导员',
};

export const GENDER_LABEL: Record<string, string> = { M: '男', F: '女', male: '男', female: '女', m: '男', f: '女' };

export const HOUSEHOLD_KIND_LABEL: Record<string, string> = {
  resident: '自住户',
  rented: '出租户',
  vacant: '空置户',
  collective: '集体户',
};

export const VISIT_KIND_LABEL: Record<string, string> = {
  visit: '走访',
  follow_up: '回访',
  inspection: '巡查',
};

export const UNMASK_FIELD_LABEL: Record<string, string> = {
  name: '姓名',
  idNumber: '身份证号',
  mobile: '手机号',
  address: '地址',
};

export const IMPORT_KIND_LABEL: Record<string, string> = {
  rooms: '楼栋房屋',
  residents: '居民户籍',
  party_members: '党员',
  owners: '产权业主',
  registry: '户籍公安数据',
};

export const IMPORT_MODE_LABEL: Record<string, string> = {
  all_or_nothing: '整体导入',
  valid_rows: '仅导入正确的行',
};

export const IMPORT_STATUS_LABEL: Record<string, { text: string; color: string }> = {
  queued: { text: '排队中', color: 'default' },
  running: { text: '导入中', color: 'processing' },
  succeeded: { text: '已完成', color: 'success' },
  failed: { text: '失败', color: 'error' },
};

// ── Three lists and projects (三张清单, 共建项目, 公益众筹) ─────────────────────

export const NEED_STATUS_LABEL: Record<string, { text: string; color: string }> = {
  open: { text: '待认领', color: 'orange' },
  in_project: { text: '已立项', color: 'processing' },
  met: { text: '已满足', color: 'success' },
  closed: { text: '已关闭', color: 'default' },
};

export const NEED_CATEGORY_LABEL: Record<string, string> = {
  elderly: '为老服务',
  children: '儿童关爱',
  environment: '环境整治',
  facility: '设施改造',
  culture: '文体活动',
  safety: '平安建设',
  health: '健康服务',
  other: '其他',
};

export const NEED_SOURCE_LABEL: Record<string, string> = {
  resident: '居民提出',
  visit: '走访收集',
  staff: '社区梳理',
  deliberation: '议事协商',
  order: '居民点单',
};

export const PROJECT_STATUS_LABEL: Record<string, { text: string; color: string }> = {
  published: { text: '已发布', color: 'orange' },
  claimed: { text: '已认领', color: 'cyan' },
  in_progress: { text: '实施中', color: 'processing' },
  done: { text: '已完成', color: 'success' },
  cancelled: { text: '已取消', color: 'default' },
};

export const PROJECT_KIND_LABEL: Record<string, string> = {
  co_build: '共建项目',
  crowdfunding: '公益众筹',
  menu: '服务菜单',
};

export const PROJECT_UNIT_ROLE_LABEL: Record<string, string> = {
  lead: '牵头单位',
  co_builder: '共建单位',
};

export const FORCE_RESOURCE_KIND_LABEL: Record<string, string> = {
  venue: '场地',
  funds: '资金',
  equipment: '设备物资',
  service: '服务',
};

export const FORCE_RESOURCE_STATUS_LABEL: Record<string, string> = {
  available: '可用',
  in_use: '使用中',
  withdrawn: '已撤回',
};
