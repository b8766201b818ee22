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

/** Every permission a role may hold, by its whole code: what a person reads on /roles (the code is its tooltip). */
export const PERMISSION_LABEL: Record<string, string> = {
  'territory:read': '区划网格·查看', 'territory:write': '区划网格·编辑',
  'org:read': '党组织·查看', 'org:write': '党组织·编辑',
  'user:read': '用户·查看', 'user:write': '用户·管理（建号、授权、重置密码）',
  'audit:read': '审计日志·查看',
  'people:read': '人口档案·查看（脱敏）', 'people:unmask': '人口档案·查看明文（须说明理由，记入审计）',
  'archive:write': '档案·编辑', 'visit:write': '走访·记录', 'import:run': '数据·批量导入',
  'forces:write': '力量名册·编辑',
  'service:read': '双报到·服务·查看', 'service:write': '双报到·服务·管理（审核、派单、发布任务）',
  'service:order': '居民点单', 'service:claim': '党员接单、认领任务', 'service:unit': '本单位党员报到与服务情况',
  'case:read': '案件·查看', 'case:report': '案件·上报（随手拍、心愿）', 'case:handle': '案件·网格处置',
  'case:desk': '案件·受理（社区、街道案件台）', 'case:supervise': '案件·督办', 'case:department': '案件·职能部门承办（吹哨报到）',
  'case:admin': '案件·设置（类别、时限、日历、接入密钥）',
  'case:property': '案件·物业承办（所服务小区的物业类案件）', 'archive:compound': '小区概况·查看（楼幢与统计，不含个人）',
};

/** "territory:read" → "区划网格·查看": the whole code's label, else module·action, else the raw code. */
export function permissionLabel(permission: string): string {
  if (permission === '*') return '全部权限';
  if (PERMISSION_LABEL[permission]) return PERMISSION_LABEL[permission];
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

/** Audit actions (platform/audit.ts callers) as a person reads them; `case.<action>` and `service_order.<action>` below. */
export const AUDIT_ACTION_LABEL: Record<string, string> = {
  'user.create': '新建用户', 'user.update': '修改用户', 'user.lock': '锁定用户', 'user.unlock': '解锁用户',
  'user.password_change': '修改密码', 'user.password_reset': '重置密码', 'user.totp_enroll': '开始设置两步验证',
  'user.totp_confirm': '开启两步验证', 'user.totp_reset': '重置两步验证', 'user.totp_recovery_used': '使用恢复码登录',
  'territory.create': '新增区划节点', 'territory.update': '修改区划节点', 'territory.delete': '删除区划节点',
  'org.create': '新增党组织', 'org.alliance_join': '加入联盟', 'org.alliance_leave': '退出联盟',
  'person.unmask': '查看个人信息明文', 'person_search.unmask': '按部分号码查找人员', 'person.export': '导出人员',
  'import.run': '批量导入', 'visit.create': '登记走访', 'file.upload': '上传文件',
  'force.create': '登记力量', 'force.update': '修改力量', 'force.export': '导出力量名册',
  'resource.create': '登记资源', 'resource.update': '修改资源', 'resource.withdraw': '撤下资源',
  'team.create': '新建队伍', 'team.update': '修改队伍', 'team.delete': '解散队伍', 'team.member.add': '队伍加人', 'team.member.remove': '队伍减人',
  'contact.assign': '结对联户', 'contact.auto_assign': '自动结对联户', 'contact.end': '结束联户',
  'registration.create': '提交报到', 'registration.approve': '报到审核通过', 'registration.reject': '报到审核不通过',
  'registration.withdraw': '撤回报到', 'registration.unit_export': '导出本单位报到情况',
  'post.create': '发布岗位', 'post.close': '关闭岗位', 'post.take': '认领岗位', 'post.leave': '离开岗位',
  'need.create': '登记需求', 'need.update': '修改需求', 'project.create': '新建项目', 'project.status': '项目状态变更',
  'project.claim': '单位认领项目', 'project.pledge': '认捐', 'project.spend': '项目支出',
  'service_order.create': '居民点单', 'service_rating.create': '服务评价', 'service_record.confirm': '确认服务记录',
  'service_record.reject': '退回服务记录', 'member_negative_item.create': '记录负面清单事项', 'member_talk.create': '记录提醒谈话',
  'task.create': '发布任务', 'task.claim.done': '完成认领的任务', 'task.claim.check_in': '任务签到（选填）', 'task.claim.check_out': '任务签退（选填）', 'call.create': '发出召集', 'call.close': '结束召集',
  'case.report': '案件上报', 'case.export': '导出案件清单', 'case.hotline_import': '导入热线工单', 'case.policy': '修改案件规则',
  'case.calendar': '调整工作日历', 'case.calendar_reset': '恢复国家日历', 'case.api_key.issue': '发放接入密钥', 'case.api_key.revoke': '吊销接入密钥',
  'case.auto_close': '评价期满自动结案', 'case.card_yellow': '亮黄牌', 'case.card_red': '亮红牌',
  seed: '生成演示数据',
};
/** The case loop's actions (case_transition), for `case.<action>` audit records. */
export const CASE_ACTION_LABEL: Record<string, string> = {
  accept: '受理立案', approve_extension: '同意延期', assign: '交办', auto_close: '评价期满结案', card: '超期亮牌', convene: '会商',
  copy: '抄告', escalate: '上报上一级', extend: '申请延期', merge: '合并到重复案件', rate: '评价结案', refuse_extension: '不同意延期',
  reject: '核查不通过', reopen: '不满意，重新办理', report_in: '部门报到', resolve: '处置反馈', respond: '部门反馈', return: '退回',
  supervise: '督办', verify: '核查通过', void: '不予立案（作废）', whistle: '吹哨', withdraw: '撤回',
};
/** The four-order loop's actions (order_transition), for `service_order.<action>` audit records. */
export const ORDER_ACTION_LABEL: Record<string, string> = {
  accept: '接单', cancel: '取消', close: '关闭', complete: '完成', decline: '拒单', dispatch: '派单', expire: '超时退回社区',
  reclaim: '收回', redispatch: '改派', reject: '退回', republish: '超时后面向全社区重新发布', withdraw: '撤回',
};
export const AUDIT_TARGET_LABEL: Record<string, string> = {
  user: '用户', territory_node: '区划节点', party_org: '党组织', person: '人员', visit: '走访', file: '文件', import_job: '导入任务',
  force_person: '力量人员', force_resource: '资源', force_team: '队伍', party_mass_contact: '联户', member_registration: '报到',
  service_post: '岗位', community_need: '需求', coop_project: '项目', service_order: '服务订单', service_record: '服务记录',
  service_task: '任务', task_claim: '任务认领', mobilisation_call: '召集', civic_case: '案件', case_policy: '案件规则',
  case_api_key: '接入密钥', work_calendar_day: '工作日历', database: '数据库',
};

export function auditActionLabel(code: string): string {
  if (AUDIT_ACTION_LABEL[code]) return AUDIT_ACTION_LABEL[code];
  const [head, ...rest] = code.split('.');
  const tail = rest.join('.');
  if (head === 'case' && CASE_ACTION_LABEL[tail]) return `案件${CASE_ACTION_LABEL[tail]}`;
  if (head === 'service_order' && ORDER_ACTION_LABEL[tail]) return `服务订单${ORDER_ACTION_LABEL[tail]}`;
  return code;
}

/** The words of an audit summary's keys; values stay as written (codes among them are shown beside their label). */
export const AUDIT_SUMMARY_KEY_LABEL: Record<string, string> = {
  name: '名称', kind: '类别', communityCode: '社区', forceId: '力量编号', serviceNo: '服务单号', title: '标题', personId: '人员编号',
  username: '用户名', skills: '技能', householdId: '户编号', from: '从', to: '到', capacity: '名额', scopeCode: '范围', rows: '行数',
  reason: '理由', parentCode: '上级', hours: '时长（小时）', fileName: '文件名', changes: '改动', amount: '金额', via: '经由',
  territoryCode: '区划', tasks: '任务', target: '对象', status: '状态', note: '说明', roles: '角色', scopeKind: '数据范围', q: '查询',
  filters: '筛选条件', channel: '渠道', categoryCode: '案件类别', orderId: '订单编号', members: '成员', masked: '脱敏显示', score: '评分',
  total: '合计', created: '新建', duplicates: '重复', failed: '失败', field: '字段', orgCode: '组织', roomCode: '房间', slot: '序号',
  policy: '规则', size: '大小', left: '剩余', wasEnabled: '此前已开启', recoveryCodes: '恢复码数',
  queue: '队列', state: '状态', overdue: '超期', card: '督办牌', measure: '口径', met: '计入分子', departmentCode: '部门',
  seed: '随机种子', scale: '规模', cases: '案件', open: '在办', merged: '已合并', voided: '已作废', steps: '步骤', cards: '督办牌',
};

// ─── notifications (the inbox) ───
export const NOTIFICATION_KIND_LABEL: Record<string, string> = {
  dispatch: '派单', call: '召集令', reminder: '提醒', registration: '报到', order: '点单', rating: '评价', flag: '提示', system: '系统',
};
// ─── double registration ───
export const REGISTRATION_STATUS_LABEL: Record<string, { text: string; color: string }> = {
  pending: { text: '待审核', color: 'orange' },
  approved: { text: '已通过', color: 'green' },
  rejected: { text: '未通过', color: 'red' },
  withdrawn: { text: '已撤回', color: 'default' },
  unregistered: { text: '未报到', color: 'default' },
};
// ─── cases (一网统管) ───
// ─── Labels ────────────────────────────────────────────────────────────────
export const CASE_STATE_LABEL: Record<string, string> = {
  reported: '待受理', handling: '处置中', resolved: '待核查', rating: '待评价', closed: '已结案', voided: '已作废', merged: '已合并',
};
export const CASE_STATE_COLOR: Record<string, string> = {
  reported: 'orange', handling: 'blue', resolved: 'purple', rating: 'cyan', closed: 'green', voided: 'default', merged: 'default',
};
export const CHANNEL_LABEL: Record<string, string> = {
  h5: '随手拍', patrol: '网格巡查', wish: '心愿墙', camera: '视频发现', hotline: '12345 热线', open311: 'Open311', web: '平台登记',
};
export const TIER_LABEL: Record<string, string> = {
  micro_grid: '微网格', grid: '网格', community: '社区', street: '街道', department: '职能部门', property: '小区物业',
};
export const CASE_ACTOR_KIND_LABEL: Record<string, string> = {
  reporter: '上报人', handler: '承办', superior: '上级', department: '职能部门', rater: '评价人', system: '系统', channel: '渠道', property: '物业',
};
export const SATISFACTION_LABEL: Record<string, string> = { satisfied: '满意', basically: '基本满意', unsatisfied: '不满意' };
export const CARD_LABEL: Record<string, string> = { yellow: '黄牌', red: '红牌', supervise: '督办' };
export const MEASURE_LABEL: Record<string, string> = { response: '响应率', resolution: '解决率', satisfaction: '满意率' };
// ─── tasks and claims ───
export const TASK_STATUS_LABEL: Record<string, string> = { open: '招募中', closed: '已结束', cancelled: '已取消' };
export const TASK_SIZE_LABEL: Record<string, string> = { micro: '微服务', project: '实项目', activity: '大活动' };
export const CLAIM_STATUS_LABEL: Record<string, string> = { claimed: '已认领', done: '已完成', cancelled: '已取消' };
// ─── orders and records ───
export const ORDER_STATE_COLOR: Record<string, string> = {
  ordered: 'orange',
  dispatched: 'gold',
  accepted: 'blue',
  done: 'cyan',
  rated: 'green',
  cancelled: 'default',
};
export const ORDER_SIZE_LABEL: Record<string, string> = { micro: '微服务', project: '实项目', activity: '大活动' };
export const DISPATCH_MODE_LABEL: Record<string, string> = { member: '派给党员', branch: '派给支部', open: '公开招募' };
export const ORDER_ACTOR_KIND_LABEL: Record<string, string> = { resident: '居民', community: '社区', assignee: '接单人', system: '系统' };
export const RATER_KIND_LABEL: Record<string, string> = { resident: '居民评价', community: '社区评价', branch: '支部评价' };
export const RECORD_SOURCE_LABEL: Record<string, string> = { order: '点单服务', task: '任务/召集', post: '岗位服务' };
// ─── forces ───
export const FORCE_KIND_LABEL: Record<string, string> = {
  in_service_member: '在职党员',
  volunteer: '志愿者',
  craftsman: '能工巧匠',
  professional: '专业人士',
  department_staff: '下沉干部',
};
export const FORCE_KIND_COLOR: Record<string, string> = {
  in_service_member: 'red',
  volunteer: 'green',
  craftsman: 'orange',
  professional: 'blue',
  department_staff: 'purple',
};
export const FORCE_STATUS_LABEL: Record<string, { text: string; color: string }> = {
  active: { text: '在岗', color: 'green' },
  paused: { text: '暂停', color: 'orange' },
  left: { text: '已退出', color: 'default' },
};
export const TEAM_KIND_LABEL: Record<string, string> = { volunteer: '志愿服务队', governance: '社会治理队伍', club: '兴趣社团' };
export const PERIOD_LABEL: Record<string, string> = { morning: '上午', afternoon: '下午', evening: '晚上' };
export const WEEKDAY_LABEL = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
