-- Residents' archive on the map (C8, seed 004 红色三方在线): attention tags, party members by type,
-- the tripartite partners of each compound, posts held in the territory (小区专员, 楼长/单元长, 一长三员),
-- household visits, and import jobs. Counts shown anywhere are derived from these rows, never typed in.

-- ─── Searching people: pinyin prefixes and ID-number suffixes ───────────────
create index person_pinyin_prefix on person (name_pinyin text_pattern_ops);
create index person_initials_prefix on person (name_initials text_pattern_ops);
create index person_id_suffix on person (reverse(id_number) text_pattern_ops);
create index person_mobile on person (mobile);
create index residence_current on residence (room_code) where moved_out is null;

-- Registry household number (户号) and the source a household record came from.
alter table household add column registry_no text;
alter table household add column source text not null default 'manual'
  check (source in ('manual', 'import', 'registry', 'property', 'seed'));

-- ─── Attention tags (关爱/重点人群), a dictionary ─────────────────────────────
create table attention_tag (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text not null unique,
  category    text not null check (category in ('care', 'assistance', 'safety')),
  sensitive   boolean not null default false,   -- visible only to holders of people:unmask, even masked
  sort_order  integer not null default 0,
  active      boolean not null default true
);
insert into attention_tag (code, name, category, sensitive, sort_order) values
  ('elderly_alone',      '独居老人',       'care', false, 10),
  ('elderly_empty_nest', '空巢老人',       'care', false, 20),
  ('elderly_advanced',   '高龄老人',       'care', false, 30),
  ('disabled',           '残疾人',         'care', false, 40),
  ('left_behind_child',  '留守儿童',       'care', false, 50),
  ('serious_illness',    '大病患者',       'care', false, 60),
  ('low_income',         '低保户',         'assistance', false, 70),
  ('low_income_edge',    '低边户',         'assistance', false, 80),
  ('special_hardship',   '特困人员',       'assistance', false, 90),
  ('unemployed',         '失业人员',       'assistance', false, 100),
  ('veteran',            '退役军人',       'assistance', false, 110),
  ('mental_disorder',    '严重精神障碍患者', 'safety', true, 120),
  ('community_correction', '社区矫正对象', 'safety', true, 130),
  ('drug_rehab',         '社区戒毒康复人员', 'safety', true, 140);

create table person_tag (
  person_id  bigint not null references person (id),
  tag_code   text not null references attention_tag (code),
  since      date,
  note       text,
  source     text not null default 'manual' check (source in ('manual', 'import', 'seed')),
  created_at timestamptz not null default now(),
  primary key (person_id, tag_code)
);
create index person_tag_tag on person_tag (tag_code);

-- ─── Party members: in-register / in-service / in-residence (在册/在职/在地) ───
create table party_member (
  person_id   bigint primary key references person (id),
  member_type text not null check (member_type in ('in_register', 'in_service', 'in_residence')),
  org_code    text references party_org (code),   -- where the membership is kept
  work_unit   text,
  joined_on   date,
  source      text not null default 'manual' check (source in ('manual', 'import', 'seed')),
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index party_member_type on party_member (member_type);

-- ─── Tripartite partners of a compound (三方: 党组织, 业委会, 物业) ────────────
create table compound_partner (
  id             bigint generated always as identity primary key,
  compound_code  text not null references territory_node (code),
  kind           text not null check (kind in ('party_org', 'owners_committee', 'property_company')),
  name           text not null,
  org_code       text references party_org (code),
  contact_name   text,
  contact_phone  text check (contact_phone ~ '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$'),
  since          date,
  unique (compound_code, kind)
);

create table compound_partner_member (
  partner_id bigint not null references compound_partner (id),
  person_id  bigint not null references person (id),
  role       text not null,                      -- 书记, 主任, 委员, 项目经理 …
  since      date,
  primary key (partner_id, person_id)
);

-- ─── Posts held in the territory: 小区专员, 楼长, 单元长 and the grid's 一长三员 ──
create table territory_post (
  id             bigint generated always as identity primary key,
  territory_code text not null references territory_node (code),
  post           text not null check (post in ('compound_commissioner', 'building_leader', 'unit_leader',
                                               'grid_leader', 'grid_member', 'grid_part_time', 'grid_instructor')),
  person_id      bigint references person (id),
  user_id        bigint references app_user (id),
  since          date not null default current_date,
  until          date,
  check (person_id is not null or user_id is not null),
  check (until is null or until >= since)
);
create index territory_post_node on territory_post (territory_code) where until is null;

-- ─── Household visits (走访: 提户知人、提人知事) ───────────────────────────────
create table visit (
  id              bigint generated always as identity primary key,
  room_code       text not null references territory_node (code),
  household_id    bigint references household (id),
  visitor_user_id bigint not null references app_user (id),
  kind            text not null default 'visit' check (kind in ('visit', 'follow_up', 'inspection')),
  note            text not null check (length(note) between 1 and 2000),
  visited_at      timestamptz not null default now()
);
create index visit_room on visit (room_code, visited_at desc);

-- ─── Import jobs (Excel/CSV with row-level error reports) ───────────────────
create table import_job (
  id             uuid primary key default gen_random_uuid(),
  kind           text not null check (kind in ('rooms', 'residents', 'party_members', 'owners', 'registry')),
  mode           text not null check (mode in ('all_or_nothing', 'valid_rows')),
  status         text not null default 'queued' check (status in ('queued', 'running', 'succeeded', 'failed')),
  file_name      text not null,
  file_size      bigint not null default 0,
  total          integer not null default 0,
  processed      integer not null default 0,
  imported       integer not null default 0,
  updated        integer not null default 0,
  rejected       integer not null default 0,
  message        text,
  error_report   bytea,                           -- .xlsx: row, column, reason
  created_by     bigint not null references app_user (id),
  created_at     timestamptz not null default now(),
  started_at     timestamptz,
  finished_at    timestamptz
);
create index import_job_creator on import_job (created_by, created_at desc);

-- ─── Permissions for the archive ────────────────────────────────────────────
-- people:unmask is a permission of its own (never "is admin"); every use also needs a reason and is audited.
update role set permissions = permissions || '{people:unmask,archive:write,import:run}' where code in ('district_admin', 'street_staff', 'community_staff');
update role set permissions = permissions || '{visit:write}' where code in ('district_admin', 'street_staff', 'community_staff', 'grid_worker');
