-- Platform core: extensions, territory tree, party-organisation tree, people, identity, audit.
-- Identical on PGlite and PostgreSQL 15+. Applied in order at start-up by server/src/platform/db/migrate.ts.

create extension if not exists postgis;
create extension if not exists ltree;
create extension if not exists pg_trgm;

-- ─── Territory (C1) ──────────────────────────────────────────────────────────
-- One table for the governance tree (district → street → community → grid → micro_grid) and the physical
-- tree (community → compound → building → unit → room). `path` is the materialised path of codes (ltree),
-- so a subtree is `path <@ $root`. Codes are permanent identities: a node that moves keeps its code.
create table territory_node (
  code            text primary key check (code ~ '^[0-9A-Z]{6,40}$'),
  parent_code     text references territory_node (code),
  kind            text not null check (kind in ('district', 'street', 'community', 'grid', 'micro_grid',
                                                'compound', 'building', 'unit', 'room')),
  name            text not null check (length(name) between 1 and 100),
  name_pinyin     text not null default '',
  name_initials   text not null default '',
  stat_code       text check (stat_code ~ '^[0-9]{12}$'),   -- 统计用区划代码 for district/street/community
  path            ltree not null unique,
  boundary        geometry(MultiPolygon, 4326),               -- WGS-84 / CGCS2000
  location        geometry(Point, 4326),                      -- label point / building position
  grid_code       text references territory_node (code),      -- compound/building: the grid serving it
  micro_grid_code text references territory_node (code),      -- building: its micro-grid (一楼栋一微网格)
  sort_order      integer not null default 0,
  attrs           jsonb not null default '{}',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  check ((kind = 'district') = (parent_code is null)),
  check (boundary is null or (ST_IsValid(boundary) and not ST_IsEmpty(boundary)))
);
create index territory_node_path_gist on territory_node using gist (path);
create index territory_node_parent on territory_node (parent_code, sort_order, code);
-- locate(): a point → the areas containing it. A partial index over the governance areas only, so the planner
-- never intersects it with a scan of every micro-grid by kind.
create index territory_node_area_gist on territory_node using gist (boundary)
  where kind in ('district', 'street', 'community', 'grid', 'micro_grid');
create index territory_node_boundary_gist on territory_node using gist (boundary) where boundary is not null;
create index territory_node_name_trgm on territory_node using gin (name gin_trgm_ops);
create index territory_node_pinyin_trgm on territory_node using gin (name_pinyin gin_trgm_ops);

-- Which kinds may hang under which: the tree's grammar, held by the database.
create table territory_kind_rule (
  parent_kind text not null,
  child_kind  text not null,
  primary key (parent_kind, child_kind)
);
insert into territory_kind_rule values
  ('district', 'street'), ('street', 'community'), ('community', 'grid'), ('grid', 'micro_grid'),
  ('community', 'compound'), ('compound', 'building'), ('building', 'unit'), ('unit', 'room');

create function territory_node_check_parent() returns trigger language plpgsql as $$
declare
  v_parent_kind text;
begin
  if new.parent_code is null then
    return new;
  end if;
  select kind into v_parent_kind from territory_node where code = new.parent_code;
  if not exists (select 1 from territory_kind_rule r where r.parent_kind = v_parent_kind and r.child_kind = new.kind) then
    raise exception 'a % cannot be placed under a %', new.kind, v_parent_kind using errcode = '23514';
  end if;
  return new;
end $$;
create trigger territory_node_parent_kind before insert or update of parent_code, kind on territory_node
  for each row execute function territory_node_check_parent();

-- ─── Party organisation (C1) ────────────────────────────────────────────────
-- 街道党工委 → 社区(大)党委/党总支 → 网格/小区党支部 → 楼栋党小组, plus functional branches, outside unit
-- party organisations (roots of their own) and alliances that join unit orgs to a street/community/compound.
create table party_org (
  code            text primary key check (code ~ '^[0-9A-Z]{4,40}$'),
  parent_code     text references party_org (code),
  kind            text not null check (kind in ('street_committee', 'community_committee', 'general_branch',
                                                'branch', 'group', 'functional_branch', 'unit_org', 'alliance')),
  name            text not null check (length(name) between 1 and 100),
  name_pinyin     text not null default '',
  name_initials   text not null default '',
  path            ltree not null unique,
  territory_code  text references territory_node (code),   -- the territory node this org serves / sits in
  unit_name       text,                                     -- unit_org: the work unit (单位)
  secretary_name  text,
  attrs           jsonb not null default '{}',
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now()
);
create index party_org_path_gist on party_org using gist (path);
create index party_org_parent on party_org (parent_code, code);
create index party_org_territory on party_org (territory_code);
create index party_org_name_trgm on party_org using gin (name gin_trgm_ops);

-- Unit party organisations joined to an alliance (近邻党建联盟 / 党建理事会 / 区域化党建联席单位).
create table party_org_alliance_member (
  alliance_code text not null references party_org (code),
  member_code   text not null references party_org (code),
  role          text not null default 'member' check (role in ('chair', 'vice_chair', 'member')),
  joined_on     date not null default current_date,
  primary key (alliance_code, member_code),
  check (alliance_code <> member_code)
);

-- ─── People and households (archive grows these in C8) ──────────────────────
create table person (
  id             bigint generated always as identity primary key,
  name           text not null,
  name_pinyin    text not null default '',
  name_initials  text not null default '',
  gender         text check (gender in ('M', 'F')),
  birth_date     date,
  id_number      text unique check (id_number ~ '^[0-9]{17}[0-9X]$'),
  mobile         text check (mobile ~ '^1[3-9][0-9]{9}$'),
  created_at     timestamptz not null default now(),
  updated_at     timestamptz not null default now()
);
create index person_name_trgm on person using gin (name gin_trgm_ops);

create table household (
  id             bigint generated always as identity primary key,
  room_code      text not null references territory_node (code),
  head_person_id bigint references person (id),
  kind           text not null default 'resident' check (kind in ('resident', 'rented', 'vacant', 'collective')),
  created_at     timestamptz not null default now()
);
create index household_room on household (room_code);

-- A person's relation to a room is a dated record, never an overwritten field.
create table residence (
  id           bigint generated always as identity primary key,
  person_id    bigint not null references person (id),
  room_code    text not null references territory_node (code),
  household_id bigint references household (id),
  relation     text not null check (relation in ('owner', 'tenant', 'family', 'registered', 'floating')),
  moved_in     date not null,
  moved_out    date,
  check (moved_out is null or moved_out >= moved_in)
);
create index residence_person on residence (person_id);
create index residence_room on residence (room_code);

-- ─── Identity and access ────────────────────────────────────────────────────
create table role (
  code         text primary key,
  name         text not null,
  description  text not null default '',
  permissions  text[] not null default '{}',
  default_scope text not null check (default_scope in ('all', 'subtree', 'node', 'custom', 'self'))
);

create table app_user (
  id                    bigint generated always as identity primary key,
  username              text not null unique check (username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'),
  display_name          text not null,
  password_hash         text not null,
  scope_kind            text not null check (scope_kind in ('all', 'subtree', 'node', 'custom', 'self')),
  scope_codes           text[] not null default '{}',          -- territory codes for subtree/node/custom
  org_code              text references party_org (code),     -- the party org the user acts for, if any
  person_id             bigint references person (id),
  mobile                text,
  status                text not null default 'active' check (status in ('active', 'disabled')),
  must_change_password  boolean not null default true,
  password_changed_at   timestamptz,
  failed_logins         integer not null default 0,
  locked_until          timestamptz,
  last_login_at         timestamptz,
  created_at            timestamptz not null default now(),
  updated_at            timestamptz not null default now()
);

create table app_user_role (
  user_id   bigint not null references app_user (id) on delete cascade,
  role_code text not null references role (code),
  primary key (user_id, role_code)
);

-- Opaque random tokens; only their SHA-256 is stored.
create table user_session (
  token_hash   text primary key,
  user_id      bigint not null references app_user (id) on delete cascade,
  kind         text not null check (kind in ('web', 'api')),
  created_at   timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at   timestamptz not null,
  revoked_at   timestamptz,
  ip           text,
  user_agent   text
);
create index user_session_user on user_session (user_id);

create table login_log (
  id         bigint generated always as identity primary key,
  at         timestamptz not null default now(),
  username   text not null,
  user_id    bigint references app_user (id),
  outcome    text not null check (outcome in ('ok', 'bad_password', 'unknown_user', 'locked', 'disabled', 'logout')),
  ip         text,
  user_agent text
);
create index login_log_at on login_log (at desc);
create index login_log_user on login_log (user_id, at desc);

-- ─── Audit: append-only and hash-chained ────────────────────────────────────
create table audit_log (
  id             bigint generated always as identity primary key,
  seq            bigint not null unique,       -- chain order, assigned under a lock by the trigger
  at             timestamptz not null default now(),
  actor_id       bigint,
  actor_username text,
  action         text not null,
  target_type    text,
  target_id      text,
  summary        jsonb not null default '{}',
  ip             text,
  request_id     text,
  prev_hash      text not null,
  hash           text not null
);
create index audit_log_action_at on audit_log (action, at desc);
create index audit_log_target on audit_log (target_type, target_id);

-- The digest of one record: the same function writes and verifies the chain.
create function audit_log_digest(a audit_log) returns text language sql immutable as $$
  select encode(sha256(convert_to(concat_ws('|',
    a.seq::text,
    to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(a.actor_id::text, ''), coalesce(a.actor_username, ''), a.action,
    coalesce(a.target_type, ''), coalesce(a.target_id, ''), a.summary::text,
    coalesce(a.ip, ''), coalesce(a.request_id, ''), a.prev_hash), 'UTF8')), 'hex')
$$;

create function audit_log_chain() returns trigger language plpgsql as $$
declare
  last_seq  bigint;
  last_hash text;
begin
  -- Serialise appends so every record links to exactly one predecessor.
  perform pg_advisory_xact_lock(7245001);
  select seq, hash into last_seq, last_hash from audit_log order by seq desc limit 1;
  new.seq := coalesce(last_seq, 0) + 1;
  new.prev_hash := coalesce(last_hash, repeat('0', 64));
  new.hash := audit_log_digest(new);
  return new;
end $$;
create trigger audit_log_chain before insert on audit_log for each row execute function audit_log_chain();

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % refused', tg_op using errcode = '42501';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();

-- ─── Idempotency keys (API.md: a repeated POST returns the first result) ────
create table idempotency_key (
  key         text not null,
  user_id     bigint not null,
  method      text not null,
  path        text not null,
  status      integer not null,
  body        jsonb,
  created_at  timestamptz not null default now(),
  primary key (user_id, key)
);
