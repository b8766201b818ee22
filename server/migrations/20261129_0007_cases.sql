-- Cases closed loop (一网统管, 吹哨报到, C6): intake from every channel, routing by position, tiered handling with
-- whistle-blowing, working-day deadlines with yellow and red cards, closure by the residents' rating, the three rates.
-- Steps follow the national practice of digital city management and 12345: 上报/采集 → 受理/立案 (or 作废) → 派遣/交办
-- → 处置 → 反馈 → 核查 → 评价 → 结案, with 上报 (one tier up), 退回, 抄告, 延期 and 督办.

-- ─── Line departments (职能部门) ─────────────────────────────────────────────
-- 城管、市场监管、公安、住建… They answer whistles (吹哨报到) and take cases handed to them (交办). A department
-- serves a district (its territory code); its staff are app users with department_code set.
create table department (
  code            text primary key check (code ~ '^[0-9A-Z]{4,40}$'),
  name            text not null check (length(name) between 2 and 60),
  short_name      text not null check (length(short_name) between 1 and 20),
  kind            text not null check (kind ~ '^[a-z_]{2,30}$'),   -- chengguan, market, police, housing, fire, ecology …
  territory_code  text not null references territory_node (code),
  duty            text not null default '',
  sort_order      integer not null default 0,
  active          boolean not null default true
);
alter table app_user add column department_code text references department (code);

-- ─── Working-day calendar ───────────────────────────────────────────────────
-- Chinese public holidays and make-up working days come from `chinese-days`; a row here overrides a day for
-- the whole platform (a local holiday, a day the office is closed, a correction before the library catches up).
create table work_calendar_day (
  day      date primary key,
  workday  boolean not null,
  name     text not null default '' check (length(name) <= 40),
  updated_by bigint references app_user (id),
  updated_at timestamptz not null default now()
);

-- ─── Categories (事件/部件, 大类/小类) ─────────────────────────────────────
create table case_category (
  code             text primary key check (code ~ '^[A-Z0-9]{2,12}$'),
  parent_code      text references case_category (code),
  name             text not null check (length(name) between 2 and 40),
  kind             text not null check (kind in ('event', 'component')),   -- 事件 / 部件
  default_tier     text not null default 'micro_grid'
                   check (default_tier in ('micro_grid', 'grid', 'community', 'street', 'department')),
  department_kind  text check (department_kind ~ '^[a-z_]{2,30}$'),   -- the kind of line department usually concerned
  -- deadlines per step in working days
  accept_days      integer not null default 1 check (accept_days between 1 and 30),
  handle_days      integer not null default 3 check (handle_days between 1 and 90),
  verify_days      integer not null default 1 check (verify_days between 1 and 30),
  report_in_days   integer not null default 1 check (report_in_days between 1 and 10),   -- whistled department: 报到
  respond_days     integer not null default 3 check (respond_days between 1 and 60),     -- whistled department: 反馈
  camera_events    text[] not null default '{}',         -- detector event types mapped here (非机动车乱停放 …)
  open311          boolean not null default true,        -- listed as an Open311 service
  keywords         text[] not null default '{}',
  sort_order       integer not null default 0,
  active           boolean not null default true,
  check ((parent_code is null) = (code ~ '^[A-Z0-9]{2}$'))
);
create index case_category_parent on case_category (parent_code, sort_order);

-- The dictionary every installation starts from (the district may add, rename or retire entries).
insert into case_category (code, parent_code, name, kind, default_tier, department_kind, accept_days, handle_days, verify_days, camera_events, keywords, sort_order) values
  ('01', null, '市容环境',   'event',     'micro_grid', 'chengguan', 1, 3, 1, '{}', '{}', 1),
  ('0101', '01', '暴露垃圾',       'event', 'micro_grid', 'chengguan', 1, 1, 1, '{暴露垃圾,垃圾满溢}', '{垃圾,满溢,乱扔}', 1),
  ('0102', '01', '乱堆物堆料',     'event', 'micro_grid', 'chengguan', 1, 2, 1, '{乱堆物堆料}', '{堆物,杂物,建筑垃圾}', 2),
  ('0103', '01', '非机动车乱停放', 'event', 'micro_grid', 'chengguan', 1, 1, 1, '{非机动车乱停放}', '{电动车,自行车,单车,乱停}', 3),
  ('0104', '01', '跨门经营',       'event', 'community',  'chengguan', 1, 2, 1, '{跨门经营,出店经营}', '{出店,跨门,摆放}', 4),
  ('0105', '01', '占道经营',       'event', 'community',  'chengguan', 1, 2, 1, '{占道经营,流动摊贩}', '{摊贩,占道,摆摊}', 5),
  ('0106', '01', '乱张贴乱涂写',   'event', 'micro_grid', 'chengguan', 1, 2, 1, '{}', '{小广告,涂写,张贴}', 6),
  ('02', null, '公共设施',   'component', 'community',  'housing',   1, 5, 1, '{}', '{}', 2),
  ('0201', '02', '井盖破损缺失',   'component', 'community', 'housing', 1, 2, 1, '{}', '{井盖}', 1),
  ('0202', '02', '路灯不亮',       'component', 'community', 'housing', 1, 3, 1, '{}', '{路灯,照明}', 2),
  ('0203', '02', '道路破损',       'component', 'street',    'housing', 1, 5, 1, '{}', '{坑洼,路面,破损}', 3),
  ('0204', '02', '消防设施损坏',   'component', 'community', 'fire',    1, 3, 1, '{}', '{消防栓,灭火器}', 4),
  ('0205', '02', '健身器材损坏',   'component', 'community', 'housing', 1, 5, 1, '{}', '{健身,器材}', 5),
  ('03', null, '物业小区',   'event',     'micro_grid', 'housing',   1, 3, 1, '{}', '{}', 3),
  ('0301', '03', '电梯故障',       'event', 'grid',       'market',  1, 2, 1, '{电梯困人}', '{电梯}', 1),
  ('0302', '03', '楼道堆物',       'event', 'micro_grid', 'fire',    1, 2, 1, '{楼道堆物}', '{楼道,杂物}', 2),
  ('0303', '03', '漏水渗水',       'event', 'grid',       'housing', 1, 5, 1, '{}', '{漏水,渗水,水管}', 3),
  ('0304', '03', '停车管理',       'event', 'grid',       'police',  1, 3, 1, '{机动车乱停放}', '{停车,车位}', 4),
  ('0305', '03', '绿化毁损',       'event', 'micro_grid', 'housing', 1, 3, 1, '{}', '{绿化,毁绿,种菜}', 5),
  ('04', null, '安全隐患',   'event',     'grid',       'fire',      1, 2, 1, '{}', '{}', 4),
  ('0401', '04', '电动车违规充电', 'event', 'micro_grid', 'fire',    1, 1, 1, '{电动车进电梯,飞线充电}', '{充电,飞线,电瓶}', 1),
  ('0402', '04', '高空抛物',       'event', 'grid',       'police',  1, 2, 1, '{高空抛物}', '{抛物}', 2),
  ('0403', '04', '违章搭建',       'event', 'street',     'chengguan', 1, 10, 1, '{}', '{违建,搭建}', 3),
  ('0404', '04', '燃气安全',       'event', 'community',  'housing', 1, 1, 1, '{}', '{燃气,煤气}', 4),
  ('05', null, '民生诉求',   'event',     'micro_grid', null,        1, 5, 1, '{}', '{}', 5),
  ('0501', '05', '噪声扰民',       'event', 'grid',       'ecology', 1, 3, 1, '{}', '{噪声,噪音,施工}', 1),
  ('0502', '05', '邻里纠纷',       'event', 'micro_grid', null,      1, 5, 1, '{}', '{纠纷,矛盾}', 2),   -- not on Open311: private
  ('0503', '05', '不文明养犬',     'event', 'micro_grid', 'police',  1, 3, 1, '{}', '{狗,犬}', 3),
  ('0504', '05', '困难帮扶',       'event', 'community',  null,      1, 5, 1, '{}', '{困难,帮扶,救助}', 4),
  ('06', null, '心愿建议',   'event',     'community',  null,        1, 10, 1, '{}', '{}', 6),
  ('0601', '06', '微心愿',         'event', 'community',  null,      1, 10, 1, '{}', '{心愿}', 1),
  ('0602', '06', '意见建议',       'event', 'community',  null,      1, 10, 1, '{}', '{建议,意见}', 2);

-- Open311 service definitions: extra attributes a client fills in (GeoReport v2 service definition).
create table case_category_attribute (
  category_code  text not null references case_category (code),
  code           text not null check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
  datatype       text not null check (datatype in ('string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
  required       boolean not null default false,
  description    text not null,
  sort_order     integer not null default 0,
  values_json    jsonb not null default '[]',            -- [{key, name}] for value lists
  primary key (category_code, code)
);

-- Disputes between neighbours and requests for help concern private lives: filed in the app, never listed publicly.
update case_category set open311 = false where code in ('0502', '0504');

insert into case_category_attribute (category_code, code, datatype, required, description, sort_order, values_json) values
  ('0103', 'vehicle_count', 'number', false, '大约停放了多少辆车', 1, '[]'),
  ('0201', 'cover_state', 'singlevaluelist', true, '井盖情况', 1, '[{"key":"missing","name":"缺失"},{"key":"broken","name":"破损"},{"key":"loose","name":"松动"}]'),
  ('0301', 'trapped', 'singlevaluelist', true, '是否有人被困', 1, '[{"key":"yes","name":"有人被困"},{"key":"no","name":"无人被困"}]'),
  ('0501', 'noise_time', 'singlevaluelist', false, '扰民时段', 1, '[{"key":"day","name":"白天"},{"key":"night","name":"夜间（22时至次日6时）"}]');

-- One policy row: thresholds and windows the district may tune (`PUT /api/v1/cases/policy`).
create table case_policy (
  id                     integer primary key default 1 check (id = 1),
  yellow_after_days      integer not null default 0 check (yellow_after_days between 0 and 30),   -- working days overdue
  red_after_days         integer not null default 2 check (red_after_days between 1 and 60),
  rating_window_days     integer not null default 5 check (rating_window_days between 1 and 30),
  unrated_policy         text not null default 'close_unrated' check (unrated_policy in ('close_unrated', 'close_satisfied')),
  duplicate_radius_m     integer not null default 50 check (duplicate_radius_m between 5 and 1000),
  duplicate_window_hours integer not null default 72 check (duplicate_window_hours between 1 and 720),
  updated_by             bigint references app_user (id),
  updated_at             timestamptz not null default now(),
  check (red_after_days > yellow_after_days)
);
insert into case_policy default values;

-- API keys for machine intake: Open311 clients and camera/detector webhooks. Only the SHA-256 is stored.
create table case_api_key (
  key_hash     text primary key check (key_hash ~ '^[0-9a-f]{64}$'),
  kind         text not null check (kind in ('open311', 'camera')),
  name         text not null,
  jurisdiction_code text not null references territory_node (code),   -- what the key may file into
  created_at   timestamptz not null default now(),
  revoked_at   timestamptz
);

-- ─── States and transitions, as data ────────────────────────────────────────
create table case_state (
  code        text primary key,
  name        text not null,
  terminal    boolean not null default false,
  open311     text not null check (open311 in ('open', 'closed')),
  sort_order  integer not null default 0
);
insert into case_state (code, name, terminal, open311, sort_order) values
  ('reported', '待受理', false, 'open',   10),
  ('handling', '处置中', false, 'open',   20),
  ('resolved', '待核查', false, 'open',   30),
  ('rating',   '待评价', false, 'open',   40),
  ('closed',   '已结案', true,  'closed', 50),
  ('voided',   '已作废', true,  'closed', 60),
  ('merged',   '已合并', true,  'closed', 70);

-- actor: reporter (who filed it), handler (the current handling seat), superior (the seat above the handler),
-- department (a whistled department), rater (the reporter, or for patrol/camera cases a resident of the grid),
-- system (the supervision clock).
create table case_transition (
  from_state  text not null references case_state (code),
  action      text not null,
  to_state    text not null references case_state (code),
  actor       text not null check (actor in ('reporter', 'handler', 'superior', 'department', 'rater', 'system')),
  name        text not null,
  primary key (from_state, action, actor)
);
insert into case_transition (from_state, action, to_state, actor, name) values
  ('reported', 'accept',     'handling', 'handler',    '受理立案'),
  ('reported', 'void',       'voided',   'handler',    '不予立案（作废）'),
  ('reported', 'void',       'voided',   'superior',   '不予立案（作废）'),
  ('reported', 'merge',      'merged',   'handler',    '合并到重复案件'),
  ('reported', 'merge',      'merged',   'superior',   '合并到重复案件'),
  ('reported', 'withdraw',   'voided',   'reporter',   '撤回'),
  ('reported', 'escalate',   'reported', 'handler',    '上报上一级'),
  ('handling', 'resolve',    'resolved', 'handler',    '处置反馈'),
  ('handling', 'convene',    'handling', 'handler',    '会商'),
  ('handling', 'escalate',   'handling', 'handler',    '上报上一级'),
  ('handling', 'assign',     'handling', 'handler',    '交办'),
  ('handling', 'assign',     'handling', 'superior',   '交办'),
  ('handling', 'return',     'handling', 'handler',    '退回'),
  ('handling', 'whistle',    'handling', 'handler',    '吹哨'),
  ('handling', 'copy',       'handling', 'handler',    '抄告'),
  ('handling', 'copy',       'handling', 'superior',   '抄告'),
  ('handling', 'extend',     'handling', 'handler',    '申请延期'),
  ('handling', 'approve_extension', 'handling', 'superior', '同意延期'),
  ('handling', 'refuse_extension',  'handling', 'superior', '不同意延期'),
  ('handling', 'supervise',  'handling', 'superior',   '督办'),
  ('handling', 'report_in',  'handling', 'department', '部门报到'),
  ('handling', 'respond',    'handling', 'department', '部门反馈'),
  ('handling', 'card',       'handling', 'system',     '超期亮牌'),
  ('reported', 'card',       'reported', 'system',     '超期亮牌'),
  ('resolved', 'card',       'resolved', 'system',     '超期亮牌'),
  ('resolved', 'verify',     'rating',   'superior',   '核查通过'),
  ('resolved', 'reject',     'handling', 'superior',   '核查不通过，重新处置'),
  ('rating',   'rate',       'closed',   'rater',      '评价结案'),
  ('rating',   'reopen',     'handling', 'rater',      '不满意，重新办理'),
  ('rating',   'auto_close', 'closed',   'system',     '评价期满结案');

-- ─── Cases ──────────────────────────────────────────────────────────────────
create sequence civic_case_no;
create table civic_case (
  id                bigint generated always as identity primary key,
  service_no        text not null unique,                  -- 服务单号 AJ + Beijing date + 6 digits
  channel           text not null check (channel in ('h5', 'patrol', 'wish', 'camera', 'hotline', 'open311', 'web')),
  category_code     text not null references case_category (code),
  description       text not null check (length(description) between 2 and 2000),
  address           text not null default '' check (length(address) <= 200),
  location          geometry(Point, 4326),
  -- where it lies: the micro-grid it was routed to and its ancestors, kept for scoping and the rates
  territory_path    ltree not null,
  street_code       text not null references territory_node (code),
  community_code    text references territory_node (code),
  grid_code         text references territory_node (code),
  micro_grid_code   text references territory_node (code),
  photos            jsonb not null default '[]',            -- stored_file ids from the report
  result_photos     jsonb not null default '[]',            -- stored_file ids from the handler's feedback
  attributes        jsonb not null default '{}',            -- Open311 attribute values, camera id, hotline number …
  external_id       text,                                   -- the channel's own number (hotline 工单号, camera event id, Open311 token)
  reporter_user_id  bigint references app_user (id),
  reporter_name     text,                                   -- as given on a hotline or Open311 request (personal data)
  reporter_phone    text,
  state             text not null default 'reported' references case_state (code),
  handler_tier      text not null check (handler_tier in ('micro_grid', 'grid', 'community', 'street', 'department')),
  handler_code      text not null,                          -- territory code, or department code
  assigned_by_tier  text check (assigned_by_tier in ('micro_grid', 'grid', 'community', 'street')),
  assigned_by_code  text,
  merged_into       bigint references civic_case (id),
  duplicate_of_hint bigint references civic_case (id),      -- a likely duplicate offered on intake
  -- the clock: the current step's deadline, and the case's own deadline for the rates
  reported_at       timestamptz not null default now(),
  step_started_at   timestamptz not null default now(),
  step_deadline     timestamptz not null,
  accept_deadline   timestamptz not null,
  handle_deadline   timestamptz,
  extended_days     integer not null default 0 check (extended_days between 0 and 90),
  card              text not null default 'none' check (card in ('none', 'yellow', 'red')),
  -- outcomes, kept on the case so that the rates over a year are one indexed aggregate
  accepted_at       timestamptz,
  responded_at      timestamptz,                            -- first 受理 or 作废
  resolved_at       timestamptz,                            -- last accepted 处置反馈 (核查通过)
  closed_at         timestamptz,
  satisfaction      text check (satisfaction in ('satisfied', 'basically', 'unsatisfied')),
  closed_unrated    boolean not null default false,
  reopen_count      integer not null default 0 check (reopen_count between 0 and 1),
  rated_by          bigint references app_user (id),
  rating_comment    text,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  check (location is null or (ST_X(location) between 73 and 136 and ST_Y(location) between 3 and 54)),
  check ((state = 'merged') = (merged_into is not null)),
  check ((state = 'closed') = (closed_at is not null))
);
-- The rates of an area over a period read only these indexes (index-only scans): they carry the outcome columns.
create index civic_case_street on civic_case (street_code, reported_at)
  include (state, accept_deadline, responded_at, accepted_at, resolved_at, satisfaction, step_deadline);
create index civic_case_community on civic_case (community_code, reported_at)
  include (state, accept_deadline, responded_at, accepted_at, resolved_at, satisfaction, step_deadline);
create index civic_case_grid on civic_case (grid_code, reported_at)
  include (state, accept_deadline, responded_at, accepted_at, resolved_at, satisfaction, step_deadline);
create index civic_case_category on civic_case (category_code, reported_at desc);   -- Open311 lists by service_code
create index civic_case_wishes on civic_case (community_code, reported_at desc) where channel = 'wish';   -- the wish wall
create index civic_case_path on civic_case using gist (territory_path);
create index civic_case_recent on civic_case (reported_at desc, id desc);   -- the desk's newest-first pages
create index civic_case_location on civic_case using gist (location);
create index civic_case_open on civic_case (handler_tier, handler_code, step_deadline) where state in ('reported', 'handling', 'resolved');
create index civic_case_due on civic_case (step_deadline) where state in ('reported', 'handling', 'resolved', 'rating');
create index civic_case_reporter on civic_case (reporter_user_id, reported_at desc) where reporter_user_id is not null;
create index civic_case_dup on civic_case (category_code, reported_at) where state in ('reported', 'handling');
create unique index civic_case_external on civic_case (channel, external_id) where external_id is not null;

-- Every step: who (user and seat), which org, when, what, the note; the timeline on the case page.
create table civic_case_step (
  id           bigint generated always as identity primary key,
  case_id      bigint not null references civic_case (id),
  action       text not null,
  from_state   text references case_state (code),
  to_state     text not null references case_state (code),
  actor_id     bigint references app_user (id),
  actor_kind   text not null check (actor_kind in ('reporter', 'handler', 'superior', 'department', 'rater', 'system', 'channel')),
  actor_org    text not null default '',                    -- the seat as words: 西陵社区第一网格 / 滨江区城管局
  tier_from    text,
  tier_to      text,
  handler_to   text,
  target       text,                                        -- department codes whistled, copied org, merged case …
  note         text,
  photos       jsonb not null default '[]',
  deadline     timestamptz,                                 -- the deadline this step set, if any
  at           timestamptz not null default now()
);
create index civic_case_step_case on civic_case_step (case_id, id);

-- 吹哨报到: each department the whistle names must report in (报到) and then respond (反馈) by its deadlines.
create table case_whistle (
  id                 bigint generated always as identity primary key,
  case_id            bigint not null references civic_case (id),
  department_code    text not null references department (code),
  blown_by           bigint references app_user (id),
  blown_at           timestamptz not null default now(),
  report_in_deadline timestamptz not null,
  reported_in_at     timestamptz,
  reported_in_by     bigint references app_user (id),
  respond_deadline   timestamptz not null,
  responded_at       timestamptz,
  responded_by       bigint references app_user (id),
  response           text,
  card               text not null default 'none' check (card in ('none', 'yellow', 'red')),
  check (responded_at is null or reported_in_at is not null)
);
create unique index case_whistle_open on case_whistle (case_id, department_code) where responded_at is null;
create index case_whistle_department on case_whistle (department_code, blown_at desc);

-- 会商: the micro-grid/grid leader convenes the three teams (or others); participants, time, conclusion.
create table case_consultation (
  id            bigint generated always as identity primary key,
  case_id       bigint not null references civic_case (id),
  convened_by   bigint references app_user (id),
  held_at       timestamptz not null,
  participants  text[] not null check (cardinality(participants) between 1 and 50),
  conclusion    text not null check (length(conclusion) between 2 and 2000),
  created_at    timestamptz not null default now()
);
create index case_consultation_case on case_consultation (case_id);

-- 延期: the handler asks, a superior approves or refuses; one pending request at a time.
create table case_extension (
  id            bigint generated always as identity primary key,
  case_id       bigint not null references civic_case (id),
  days          integer not null check (days between 1 and 30),
  reason        text not null check (length(reason) between 2 and 500),
  requested_by  bigint references app_user (id),
  requested_at  timestamptz not null default now(),
  decision      text check (decision in ('approved', 'refused')),
  decided_by    bigint references app_user (id),
  decided_at    timestamptz,
  decision_note text
);
create unique index case_extension_pending on case_extension (case_id) where decision is null;

-- 督办 cards: one row per card raised (by the clock or by a superior), so a case's history shows them all.
create table case_card (
  id          bigint generated always as identity primary key,
  case_id     bigint not null references civic_case (id),
  whistle_id  bigint references case_whistle (id),
  color       text not null check (color in ('yellow', 'red', 'supervise')),
  step_state  text not null,
  deadline    timestamptz,
  raised_by   bigint references app_user (id),
  note        text,
  at          timestamptz not null default now()
);
create unique index case_card_once on case_card (case_id, step_state, deadline, color) where whistle_id is null and color <> 'supervise';
create unique index case_card_whistle_once on case_card (whistle_id, color) where whistle_id is not null;

-- 心愿墙: +1 from neighbours on a public wish or a reported problem ("我也遇到了").
create table case_follow (
  case_id   bigint not null references civic_case (id),
  user_id   bigint not null references app_user (id),
  at        timestamptz not null default now(),
  primary key (case_id, user_id)
);

-- Permissions: report (residents, grid workers), handle (grid workers), desk (community/street staff),
-- supervise (street, district), department (line departments), admin (categories, calendar, policy, keys).
update role set permissions = permissions || '{case:read,case:report,case:desk}'
  where code in ('community_staff', 'street_staff');
update role set permissions = permissions || '{case:supervise}' where code = 'street_staff';
update role set permissions = permissions || '{case:read,case:report,case:desk,case:supervise,case:admin}' where code = 'district_admin';
update role set permissions = permissions || '{case:read,case:report,case:handle}' where code = 'grid_worker';
update role set permissions = permissions || '{case:read,case:department}' where code = 'department_staff';
update role set permissions = permissions || '{case:read}' where code = 'part_time_member';
update role set permissions = permissions || '{case:report}' where code in ('resident', 'party_member');

alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
  check (kind in ('dispatch', 'call', 'reminder', 'registration', 'order', 'rating', 'flag', 'system', 'case'));
