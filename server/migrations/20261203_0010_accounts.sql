-- Accounts (MLPS 2.0 level 3): login throttling counted from login_log, a second factor (TOTP, RFC 6238) with
-- one-time recovery codes.

-- Outcomes beyond a password check: a wrong or replayed second factor (counts as a failure like a wrong password),
-- a right password still waiting for its code, an attempt refused by the per-IP or overall throttle, and an
-- administrator's unlock (failures before it no longer count towards the account's lock).
alter table login_log drop constraint login_log_outcome_check;
alter table login_log add constraint login_log_outcome_check
  check (outcome in ('ok', 'bad_password', 'unknown_user', 'locked', 'disabled', 'logout',
                     'bad_totp', 'totp_required', 'throttled', 'unlock'));

-- The throttle counts recent failures per username string (known or not), per IP and overall.
create index login_log_username on login_log (username, at desc);
create index login_log_ip on login_log (ip, at desc);

-- One authenticator per user. The secret is stored encrypted (AES-256-GCM, key outside the database) and is
-- never returned after enrolment; enabled_at is null while the enrolment waits for its first code.
-- last_step is the last time step accepted, so a code cannot be used twice.
create table user_totp (
  user_id     bigint primary key references app_user (id) on delete cascade,
  secret_enc  text not null,
  enabled_at  timestamptz,
  last_step   bigint,
  created_at  timestamptz not null default now()
);

-- Recovery codes: shown once at confirmation, stored as SHA-256 (they are random, 50 bits each), used once.
create table user_recovery_code (
  id         bigint generated always as identity primary key,
  user_id    bigint not null references app_user (id) on delete cascade,
  code_hash  text not null,
  used_at    timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, code_hash)
);
