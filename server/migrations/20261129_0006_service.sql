-- Double registration and the service loop (双报到·通通在, C3–C5; seeds 000–003).
-- The forces register, members' registration at their home community, posts, the three lists with co-build
-- and crowd-funded projects, the four-order loop, emergency mobilisation with limited slots, service records
-- with multi-party ratings, and the in-app inbox. Invariants (slots, one claim per member, 1:8, money spent
-- ≤ pledged, one rating per party) are held here, not in application memory.

-- ─── Dictionaries ───────────────────────────────────────────────────────────
create table skill (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text not null unique,
  category    text not null check (category in ('professional', 'craft', 'care', 'culture', 'general')),
  sort_order  integer not null default 0
);
insert into skill (code, name, category, sort_order) values
  ('legal',        '法律咨询',   'professional', 10),
  ('medical',      '医疗保健',   'professional', 20),
  ('psychology',   '心理疏导',   'professional', 30),
  ('education',    '教育辅导',   'professional', 40),
  ('finance',      '财务税务',   'professional', 50),
  ('policy',       '政策宣讲',   'professional', 60),
  ('mediation',    '矛盾调解',   'professional', 70),
  ('it',           '电脑网络',   'craft', 80),
  ('appliance',    '家电维修',   'craft', 90),
  ('plumbing',     '水电维修',   'craft', 100),
  ('haircut',      '理发',       'craft', 110),
  ('elderly_care', '助老陪护',   'care', 120),
  ('child_care',   '儿童托管',   'care', 130),
  ('disability',   '助残服务',   'care', 140),
  ('culture',      '文体活动',   'culture', 150),
  ('photography',  '摄影摄像',   'culture', 160),
  ('publicity',    '宣传文案',   'culture', 170),
  ('patrol',       '治安巡防',   'general', 180),
  ('environment',  '环境整治',   'general', 190),
  ('driving',      '驾驶接送',   'general', 200),
  ('logistics',    '物资搬运',   'general', 210),
  ('epidemic',     '防疫值守',   'general', 220);

-- The eight post kinds of Nantong's 岗位式报到.
create table post_kind (
  code        text primary key check (code ~ '^[a-z][a-z0-9_]{1,39}$'),
  name        text not null unique,
  skills      text[] not null default '{}',   -- skills that fit the post (matching, wishes)
  sort_order  integer not null default 0
);
insert into post_kind (code, name, skills, sort_order) values
  ('legal_aid',      '法律援助岗', '{legal,mediation}', 10),
  ('policy',         '政策宣传岗', '{policy,publicity}', 20),
  ('assistance',     '帮扶助困岗', '{elderly_care,disability,child_care}', 30),
  ('mediation',      '矛盾调解岗', '{mediation,legal,psychology}', 40),
  ('safety',         '平安巡防岗', '{patrol}', 50),
  ('environment',    '环境整治岗', '{environment,logistics}', 60),
  ('culture',        '文体服务岗', '{culture,photography,education}', 70),
  ('health',         '健康服务岗', '{medical,psychology,elderly_care}', 80);

-- ─── Forces register (力量图谱, C3.1) ─────────────────────────────────────────
-- One row per person who serves: in-service members (registered through double registration), volunteers,
-- craftsmen, professionals, department staff sunk to grids. Home location is where matching measures from.
create table force_person (
  id               bigint generated always as identity primary key,
  person_id        bigint not null unique references person (id),
  user_id          bigint unique references app_user (id),
  kind             text not null check (kind in ('in_service_member', 'volunteer', 'craftsman', 'professional', 'department_staff')),
  community_code   text not null references territory_node (code),   -- where they serve
  community_path   ltree not null,                                    -- scope filter without a join
  home_code        text references territory_node (code),             -- compound, building, unit or room
  home_location    geometry(Point, 4326),
  micro_grid_code  text references territory_node (code),
  skills           text[] not null default '{}',
  availability     jsonb not null default '{}',   -- {"days":[6,7],"periods":["morning","evening"]}
  status           text not null default 'active' check (status in ('active', 'paused', 'left')),
  open_load        integer not null default 0 check (open_load >= 0),  -- claims and orders not yet finished (trigger-kept)
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index force_person_path on force_person using gist (community_path);
create index force_person_skills on force_person using gin (skills);
create index force_person_home on force_person using gist (home_location);
create index force_person_community on force_person (community_code) where status = 'active';

create table force_resource (
  id              bigint generated always as identity primary key,
  community_code  text not null references territory_node (code),
  kind            text not null check (kind in ('venue', 'funds', 'equipment', 'service')),
  name            text not null check (length(name) between 1 and 100),
  description     text not null default '',
  provider_org    text references party_org (code),   -- the unit that offers it
  provider_name   text,
  quantity        numeric check (quantity is null or quantity >= 0),
  unit            text,
  location        geometry(Point, 4326),
  available_note  text,
  status          text not null default 'available' check (status in ('available', 'in_use', 'withdrawn')),
  created_by      bigint references app_user (id),
  created_at      timestamptz not null default now()
);
create index force_resource_community on force_resource (community_code);

-- Teams (志愿服务队, 社会治理队伍, 兴趣社团) and their members.
create table force_team (
  id              bigint generated always as identity primary key,
  community_code  text not null references territory_node (code),
  kind            text not null check (kind in ('volunteer', 'governance', 'club')),
  name            text not null check (length(name) between 1 and 100),
  description     text not null default '',
  leader_id       bigint references force_person (id),
  created_at      timestamptz not null default now(),
  unique (community_code, name)
);

create table force_team_member (
  team_id    bigint not null references force_team (id),
  force_id   bigint not null references force_person (id),
  role       text not null default 'member' check (role in ('leader', 'member')),
  joined_on  date not null default current_date,
  primary key (team_id, force_id)
);
create index force_team_member_force on force_team_member (force_id);

-- Party–mass contact 1:8: a member keeps in touch with up to eight households. The slot number makes the
-- limit a unique constraint: a ninth household has no free slot.
create table party_mass_contact (
  id            bigint generated always as identity primary key,
  force_id      bigint not null references force_person (id),
  household_id  bigint not null references household (id),
  slot          smallint not null check (slot between 1 and 8),
  since         date not null default current_date,
  until         date,
  check (until is null or until >= since)
);
create unique index party_mass_contact_slot on party_mass_contact (force_id, slot) where until is null;
create unique index party_mass_contact_household on party_mass_contact (household_id) where until is null;

-- ─── Double registration (双报到, C4.1) ──────────────────────────────────────
create table member_registration (
  id                bigint generated always as identity primary key,
  person_id         bigint not null references person (id),
  user_id           bigint references app_user (id),
  community_code    text not null references territory_node (code),
  home_code         text not null references territory_node (code),  -- compound / building / unit / room inside the community
  unit_org_code     text references party_org (code),                -- own (work-unit) party organisation: 报回单位
  unit_org_name     text,                                            -- when the org is not in the tree
  work_unit         text not null check (length(work_unit) between 2 and 100),
  mobile            text check (mobile ~ '^1[3-9][0-9]{9}$'),
  skills            text[] not null default '{}',
  wishes            text[] not null default '{}',                    -- post kinds the member would like
  availability      jsonb not null default '{}',
  status            text not null default 'pending' check (status in ('pending', 'approved', 'rejected', 'withdrawn')),
  branch_code       text references party_org (code),                -- functional branch placed in
  group_code        text references party_org (code),                -- party group placed in
  micro_grid_code   text references territory_node (code),
  force_id          bigint references force_person (id),
  reviewed_by       bigint references app_user (id),
  reviewed_at       timestamptz,
  review_note       text,
  channel           text not null default 'qr' check (channel in ('qr', 'web', 'import', 'seed')),
  created_at        timestamptz not null default now(),
  check (status <> 'approved' or (branch_code is not null and force_id is not null))
);
-- A member is registered (or waiting) at one community at a time.
create unique index member_registration_active on member_registration (person_id) where status in ('pending', 'approved');
create index member_registration_community on member_registration (community_code, status);
create index member_registration_unit on member_registration (unit_org_code, status);

-- ─── Posts (岗位式报到, C4.2) ────────────────────────────────────────────────
create table service_post (
  id              bigint generated always as identity primary key,
  community_code  text not null references territory_node (code),
  kind_code       text not null references post_kind (code),
  title           text not null check (length(title) between 2 and 100),
  description     text not null default '',
  capacity        integer not null check (capacity between 1 and 1000),
  taken           integer not null default 0,
  status          text not null default 'open' check (status in ('open', 'closed')),
  created_by      bigint references app_user (id),
  created_at      timestamptz not null default now(),
  check (taken between 0 and capacity)
);
create index service_post_community on service_post (community_code, status);

create table service_post_holder (
  id        bigint generated always as identity primary key,
  post_id   bigint not null references service_post (id),
  force_id  bigint not null references force_person (id),
  since     date not null default current_date,
  until     date,
  check (until is null or until >= since)
);
create unique index service_post_holder_active on service_post_holder (post_id, force_id) where until is null;
create index service_post_holder_force on service_post_holder (force_id) where until is null;

-- The taken counter follows the holders; the check on service_post refuses one holder too many.
create function service_post_taken() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' and new.until is null then
    update service_post set taken = taken + 1 where id = new.post_id;
  elsif tg_op = 'UPDATE' and old.until is null and new.until is not null then
    update service_post set taken = taken - 1 where id = new.post_id;
  end if;
  return new;
end $$;
create trigger service_post_taken after insert or update of until on service_post_holder
  for each row execute function service_post_taken();

-- ─── Three lists and co-build projects (三张清单, 公益众筹, C5) ──────────────
create table community_need (
  id               bigint generated always as identity primary key,
  community_code   text not null references territory_node (code),
  title            text not null check (length(title) between 2 and 100),
  description      text not null default '',
  category         text not null check (category in ('elderly', 'children', 'environment', 'facility', 'culture', 'safety', 'health', 'other')),
  source           text not null default 'staff' check (source in ('resident', 'visit', 'staff', 'deliberation', 'order')),
  beneficiaries    integer check (beneficiaries is null or beneficiaries >= 0),
  status           text not null default 'open' check (status in ('open', 'in_project', 'met', 'closed')),
  created_by       bigint references app_user (id),
  created_at       timestamptz not null default now()
);
create index community_need_community on community_need (community_code, status);

create table coop_project (
  id               bigint generated always as identity primary key,
  community_code   text not null references territory_node (code),
  need_id          bigint references community_need (id),
  title            text not null check (length(title) between 2 and 100),
  description      text not null default '',
  kind             text not null check (kind in ('co_build', 'crowdfunding', 'menu')),
  status           text not null default 'published' check (status in ('published', 'claimed', 'in_progress', 'done', 'cancelled')),
  target_amount    numeric(14, 2) check (target_amount is null or target_amount > 0),
  pledged_amount   numeric(14, 2) not null default 0,   -- trigger-kept sum of pledges
  spent_amount     numeric(14, 2) not null default 0,   -- trigger-kept sum of spending
  starts_on        date,
  ends_on          date,
  created_by       bigint references app_user (id),
  created_at       timestamptz not null default now(),
  check (kind <> 'crowdfunding' or target_amount is not null),
  check (spent_amount <= pledged_amount),
  check (ends_on is null or starts_on is null or ends_on >= starts_on)
);
create index coop_project_community on coop_project (community_code, status);

-- Units claiming a project (认领), with what they bring.
create table coop_project_unit (
  project_id  bigint not null references coop_project (id),
  org_code    text not null references party_org (code),
  role        text not null default 'co_builder' check (role in ('lead', 'co_builder')),
  commitment  text not null default '',
  claimed_by  bigint references app_user (id),
  claimed_at  timestamptz not null default now(),
  primary key (project_id, org_code)
);

create table project_pledge (
  id           bigint generated always as identity primary key,
  project_id   bigint not null references coop_project (id),
  org_code     text references party_org (code),
  donor_name   text not null check (length(donor_name) between 1 and 100),
  amount       numeric(14, 2) not null check (amount > 0),
  pledged_at   timestamptz not null default now(),
  recorded_by  bigint references app_user (id)
);
create index project_pledge_project on project_pledge (project_id);

create table project_spending (
  id           bigint generated always as identity primary key,
  project_id   bigint not null references coop_project (id),
  amount       numeric(14, 2) not null check (amount > 0),
  purpose      text not null check (length(purpose) between 2 and 200),
  spent_on     date not null,
  evidence     jsonb not null default '[]',
  recorded_by  bigint references app_user (id),
  recorded_at  timestamptz not null default now()
);
create index project_spending_project on project_spending (project_id);
create index project_spending_evidence on project_spending using gin (evidence jsonb_path_ops);   -- who may read a photo

-- Pledged and spent totals follow the rows; spending beyond the pledges fails the check on coop_project.
create function coop_project_totals() returns trigger language plpgsql as $$
begin
  if tg_table_name = 'project_pledge' then
    update coop_project set pledged_amount = pledged_amount + new.amount where id = new.project_id;
  else
    update coop_project set spent_amount = spent_amount + new.amount where id = new.project_id;
  end if;
  return new;
end $$;
create trigger project_pledge_total after insert on project_pledge for each row execute function coop_project_totals();
create trigger project_spending_total after insert on project_spending for each row execute function coop_project_totals();

-- ─── The four-order loop (四单: 点单 → 派单 → 接单 → 评单, C4.3) ─────────────
-- States and transitions are data; the service looks a transition up and records it as an event.
create table order_state (
  code      text primary key,
  name      text not null,
  terminal  boolean not null default false,
  sort_order integer not null default 0
);
insert into order_state (code, name, terminal, sort_order) values
  ('ordered',    '待派单', false, 10),
  ('dispatched', '待接单', false, 20),
  ('accepted',   '服务中', false, 30),
  ('done',       '待评价', false, 40),
  ('rated',      '已评价', true,  50),
  ('cancelled',  '已取消', true,  60);

create table order_transition (
  from_state  text not null references order_state (code),
  action      text not null,
  to_state    text not null references order_state (code),
  actor       text not null check (actor in ('resident', 'community', 'assignee', 'system')),
  name        text not null,
  primary key (from_state, action)
);
insert into order_transition (from_state, action, to_state, actor, name) values
  ('ordered',    'dispatch', 'dispatched', 'community', '社区派单'),
  ('ordered',    'cancel',   'cancelled',  'resident',  '居民撤单'),
  ('ordered',    'reject',   'cancelled',  'community', '社区不予受理'),
  ('dispatched', 'accept',   'accepted',   'assignee',  '接单'),
  ('dispatched', 'decline',  'ordered',    'assignee',  '婉拒'),
  ('dispatched', 'republish', 'dispatched', 'system',   '超时未接单，自动转为社区公开招募'),
  ('dispatched', 'expire',   'ordered',    'system',    '公开招募仍无人接单，退回社区重派'),
  ('dispatched', 'redispatch', 'dispatched', 'community', '改派'),
  ('dispatched', 'cancel',   'cancelled',  'resident',  '居民撤单'),
  ('accepted',   'complete', 'done',       'assignee',  '完成服务'),
  ('accepted',   'withdraw', 'ordered',    'assignee',  '无法完成，退回'),
  ('accepted',   'reclaim',  'ordered',    'community', '社区收回重派'),
  ('done',       'close',    'rated',      'system',    '评价完成');

create table service_order (
  id                 bigint generated always as identity primary key,
  service_no         text not null unique,
  community_code     text not null references territory_node (code),
  community_path     ltree not null,
  resident_person_id bigint references person (id),
  resident_user_id   bigint references app_user (id),
  title              text not null check (length(title) between 2 and 100),
  description        text not null default '',
  skill_code         text references skill (code),
  size               text not null default 'micro' check (size in ('micro', 'project', 'activity')),
  place_code         text references territory_node (code),
  location           geometry(Point, 4326),
  wanted_at          timestamptz,
  state              text not null default 'ordered' references order_state (code),
  dispatch_mode      text check (dispatch_mode in ('member', 'branch', 'open')),
  assignee_force_id  bigint references force_person (id),
  assignee_org_code  text references party_org (code),
  accept_deadline    timestamptz,
  dispatch_count     integer not null default 0,
  hour_cap           numeric(5, 2) not null default 4 check (hour_cap > 0 and hour_cap <= 24),
  hours              numeric(5, 2),
  evidence           jsonb not null default '[]',
  result_note        text,
  created_at         timestamptz not null default now(),
  updated_at         timestamptz not null default now(),
  check (hours is null or (hours > 0 and hours <= hour_cap))
);
-- The running number in service_no (FW + date + 6 digits).
create sequence service_order_no;
create index service_order_path on service_order using gist (community_path);
create index service_order_state on service_order (community_code, state, created_at desc);
create index service_order_resident on service_order (resident_user_id, created_at desc);
create index service_order_assignee on service_order (assignee_force_id, state);
create index service_order_accept_deadline on service_order (accept_deadline) where state = 'dispatched';
create index service_order_evidence on service_order using gin (evidence jsonb_path_ops);   -- who may read a photo

-- An assignee's open load (dispatched or accepted orders) follows the order, like claims do.
create function service_order_load() returns trigger language plpgsql as $$
declare
  was_open boolean := tg_op = 'UPDATE' and old.state in ('dispatched', 'accepted') and old.assignee_force_id is not null;
  is_open  boolean := new.state in ('dispatched', 'accepted') and new.assignee_force_id is not null;
begin
  if was_open and (not is_open or old.assignee_force_id <> new.assignee_force_id) then
    update force_person set open_load = open_load - 1 where id = old.assignee_force_id;
  end if;
  if is_open and (not was_open or old.assignee_force_id <> new.assignee_force_id) then
    update force_person set open_load = open_load + 1 where id = new.assignee_force_id;
  end if;
  return new;
end $$;
create trigger service_order_load after insert or update of state, assignee_force_id on service_order
  for each row execute function service_order_load();

create table service_order_event (
  id          bigint generated always as identity primary key,
  order_id    bigint not null references service_order (id),
  action      text not null,
  from_state  text references order_state (code),
  to_state    text not null references order_state (code),
  actor_id    bigint references app_user (id),
  actor_kind  text not null check (actor_kind in ('resident', 'community', 'assignee', 'system')),
  note        text,
  at          timestamptz not null default now()
);
create index service_order_event_order on service_order_event (order_id, id);

-- ─── Emergency mobilisation and tasks with limited slots (应急式报到, C4.4) ──
create table mobilisation_call (
  id           bigint generated always as identity primary key,
  title        text not null check (length(title) between 2 and 100),
  message      text not null default '',
  scope_code   text not null references territory_node (code),
  scope_path   ltree not null,
  created_by   bigint references app_user (id),
  created_at   timestamptz not null default now(),
  closed_at    timestamptz
);

create table service_task (
  id            bigint generated always as identity primary key,
  call_id       bigint references mobilisation_call (id),
  title         text not null check (length(title) between 2 and 100),
  description   text not null default '',
  size          text not null default 'micro' check (size in ('micro', 'project', 'activity')),
  scope_code    text not null references territory_node (code),
  scope_path    ltree not null,
  skills        text[] not null default '{}',
  location      geometry(Point, 4326),
  capacity      integer not null check (capacity between 1 and 100000),
  claimed       integer not null default 0,
  starts_at     timestamptz not null,
  ends_at       timestamptz not null,
  hour_cap      numeric(5, 2) not null default 4 check (hour_cap > 0 and hour_cap <= 24),
  emergency     boolean not null default false,
  status        text not null default 'open' check (status in ('open', 'closed', 'cancelled')),
  created_by    bigint references app_user (id),
  created_at    timestamptz not null default now(),
  check (claimed between 0 and capacity),   -- never over-filled, whatever path inserted the claims
  check (ends_at > starts_at)
);
create index service_task_path on service_task using gist (scope_path);
create index service_task_open on service_task (status, ends_at);
create index service_task_call on service_task (call_id);

create table task_claim (
  id            bigint generated always as identity primary key,
  task_id       bigint not null references service_task (id),
  force_id      bigint not null references force_person (id),
  team_id       bigint references force_team (id),
  claimed_by    bigint references app_user (id),            -- the member, or the team leader claiming for the team
  request_key   text,                                       -- Idempotency-Key of the claiming request
  status        text not null default 'claimed' check (status in ('claimed', 'done', 'cancelled')),
  claimed_at    timestamptz not null default now(),
  done_at       timestamptz
);
-- A member never holds the same task twice.
create unique index task_claim_once on task_claim (task_id, force_id) where status <> 'cancelled';
create unique index task_claim_request on task_claim (claimed_by, request_key) where request_key is not null;
create index task_claim_force on task_claim (force_id, claimed_at desc);

-- The slot counter follows the claims; the check on service_task refuses the claim that would over-fill it.
create function task_claim_count() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    if new.status <> 'cancelled' then
      update service_task set claimed = claimed + 1 where id = new.task_id;
      update force_person set open_load = open_load + 1 where id = new.force_id and new.status = 'claimed';
    end if;
  elsif old.status <> new.status then
    if new.status = 'cancelled' and old.status <> 'cancelled' then
      update service_task set claimed = claimed - 1 where id = new.task_id;
    end if;
    if old.status = 'claimed' then
      update force_person set open_load = open_load - 1 where id = new.force_id;
    end if;
  end if;
  return new;
end $$;
create trigger task_claim_count after insert or update of status on task_claim for each row execute function task_claim_count();

-- Claiming one slot: the task row lock orders concurrent claimers of one task; the answer is a status,
-- never an exception, so the HTTP route and pgbench run the very same statement.
--   CLAIMED / REPLAY (same member, same request key) / ALREADY_DONE / FULL / CLOSED / NOT_FOUND
create function claim_task_slot(p_task bigint, p_force bigint, p_team bigint, p_user bigint, p_key text)
returns table (status text, claim_id bigint, claimed integer, capacity integer)
language plpgsql as $$
declare
  t record;
  existing record;
  new_id bigint;
begin
  select s.status, s.claimed, s.capacity, s.ends_at into t from service_task s where s.id = p_task for update;
  if not found then
    return query select 'NOT_FOUND'::text, null::bigint, 0, 0; return;
  end if;
  select c.id, c.request_key, c.claimed_by into existing from task_claim c
    where c.task_id = p_task and c.force_id = p_force and c.status <> 'cancelled';
  if found then
    if p_key is not null and existing.request_key = p_key and existing.claimed_by is not distinct from p_user then
      return query select 'REPLAY'::text, existing.id, t.claimed, t.capacity; return;
    end if;
    return query select 'ALREADY_DONE'::text, existing.id, t.claimed, t.capacity; return;
  end if;
  if t.status <> 'open' or t.ends_at <= now() then
    return query select 'CLOSED'::text, null::bigint, t.claimed, t.capacity; return;
  end if;
  if t.claimed >= t.capacity then
    return query select 'FULL'::text, null::bigint, t.claimed, t.capacity; return;
  end if;
  insert into task_claim (task_id, force_id, team_id, claimed_by, request_key)
    values (p_task, p_force, p_team, p_user, p_key) returning id into new_id;
  return query select 'CLAIMED'::text, new_id, t.claimed + 1, t.capacity;
end $$;

-- ─── Service records and ratings (服务记录, C4.5) ──────────────────────────
-- Hours come from the order or task; whoever confirms them (organiser or served resident) certifies them.
create table service_record (
  id             bigint generated always as identity primary key,
  force_id       bigint not null references force_person (id),
  source         text not null check (source in ('order', 'task', 'post')),
  order_id       bigint references service_order (id),
  claim_id       bigint references task_claim (id),
  post_id        bigint references service_post (id),
  community_code text not null references territory_node (code),
  title          text not null,
  size           text not null default 'micro' check (size in ('micro', 'project', 'activity')),
  served_on      date not null,
  hours          numeric(5, 2) not null check (hours > 0),
  hour_cap       numeric(5, 2) not null check (hour_cap > 0),
  evidence       jsonb not null default '[]',
  note           text,
  status         text not null default 'pending' check (status in ('pending', 'confirmed', 'rejected')),
  confirmed_by   bigint references app_user (id),
  confirmed_as   text check (confirmed_as in ('organiser', 'resident')),
  confirmed_at   timestamptz,
  created_at     timestamptz not null default now(),
  check (hours <= hour_cap),
  check ((source = 'order') = (order_id is not null)),
  check ((source = 'task') = (claim_id is not null)),
  check (status <> 'confirmed' or (confirmed_by is not null and confirmed_at is not null))
);
create unique index service_record_order on service_record (order_id) where order_id is not null;
create unique index service_record_claim on service_record (claim_id) where claim_id is not null;
create index service_record_force on service_record (force_id, served_on desc);
create index service_record_community on service_record (community_code, served_on desc);
create index service_record_evidence on service_record using gin (evidence jsonb_path_ops);   -- who may read a photo

-- Multi-party rating: one rating per party (community, branch, resident) and record.
create table service_rating (
  id          bigint generated always as identity primary key,
  record_id   bigint not null references service_record (id),
  force_id    bigint not null references force_person (id),
  rater_kind  text not null check (rater_kind in ('community', 'branch', 'resident')),
  rater_id    bigint references app_user (id),
  score       smallint not null check (score between 1 and 5),
  comment     text,
  created_at  timestamptz not null default now(),
  unique (record_id, rater_kind)
);
create index service_rating_force on service_rating (force_id, created_at desc);

-- Negative list (负面清单) and the secretary's talk that follows a flag.
create table member_negative_item (
  id           bigint generated always as identity primary key,
  force_id     bigint not null references force_person (id),
  reason       text not null check (length(reason) between 2 and 500),
  recorded_by  bigint references app_user (id),
  recorded_at  timestamptz not null default now(),
  expires_on   date
);
create index member_negative_item_force on member_negative_item (force_id);

create table member_talk (
  id          bigint generated always as identity primary key,
  force_id    bigint not null references force_person (id),
  org_code    text references party_org (code),
  talked_on   date not null,
  note        text not null check (length(note) between 2 and 2000),
  talked_by   bigint references app_user (id),
  created_at  timestamptz not null default now()
);
create index member_talk_force on member_talk (force_id, talked_on desc);

-- ─── Stored files (evidence photos) ──────────────────────────────────────────
-- The bytes live under <dataDir>/files/<sha256> on either engine; the row says who uploaded what.
create table stored_file (
  id            uuid primary key default gen_random_uuid(),
  sha256        text not null check (sha256 ~ '^[0-9a-f]{64}$'),
  content_type  text not null check (content_type in ('image/jpeg', 'image/png', 'image/webp')),
  size          integer not null check (size > 0),
  created_by    bigint references app_user (id),
  created_at    timestamptz not null default now()
);

-- ─── Notifications: in-app inbox, live push, external senders later ─────────
-- A notification goes to one user, or to every member whose community lies under audience_path (a call to an area).
create table notification (
  id                 bigint generated always as identity primary key,
  recipient_user_id  bigint references app_user (id),
  audience_path      ltree,
  kind               text not null check (kind in ('dispatch', 'call', 'reminder', 'registration', 'order', 'rating', 'flag', 'system')),
  title              text not null,
  body               text not null default '',
  link               text,
  ref_type           text,
  ref_id             text,
  created_at         timestamptz not null default now(),
  check ((recipient_user_id is null) <> (audience_path is null))
);
create index notification_recipient on notification (recipient_user_id, id desc) where recipient_user_id is not null;
create index notification_audience on notification using gist (audience_path) where audience_path is not null;

create table notification_read (
  notification_id  bigint not null references notification (id),
  user_id          bigint not null references app_user (id),
  read_at          timestamptz not null default now(),
  primary key (user_id, notification_id)
);

-- Delivery through external channels (SMS, WeChat) once an adapter is plugged in.
create table notification_delivery (
  id               bigint generated always as identity primary key,
  notification_id  bigint not null references notification (id),
  user_id          bigint references app_user (id),
  channel          text not null check (channel in ('sms', 'wechat')),
  status           text not null default 'queued' check (status in ('queued', 'sent', 'failed', 'skipped')),
  attempts         integer not null default 0,
  last_error       text,
  created_at       timestamptz not null default now(),
  sent_at          timestamptz
);
create index notification_delivery_queued on notification_delivery (created_at) where status = 'queued';

-- ─── Permissions ────────────────────────────────────────────────────────────
-- service:read   see registrations, orders, tasks, records in scope      service:write  run the loop (dispatch, tasks, approve)
-- service:claim  a member's own part (register, accept, claim, report)    service:order  a resident orders and rates
-- service:unit   a unit party org sees its own members (报回单位)            forces:write   keep the forces register and lists
update role set permissions = permissions || '{service:read,service:write,forces:write}'
  where code in ('district_admin', 'street_staff', 'community_staff');
update role set permissions = permissions || '{service:read}' where code in ('part_time_member', 'grid_worker');
update role set permissions = permissions || '{service:claim,service:order}' where code = 'party_member';
update role set permissions = permissions || '{service:unit}' where code = 'unit_party_org';
update role set permissions = permissions || '{service:order}' where code = 'resident';
