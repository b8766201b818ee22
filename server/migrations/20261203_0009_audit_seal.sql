-- Audit that holds against the database owner, and no longer serialises every write (issue 10).
--
-- Before: every audited write took one global advisory lock until COMMIT to extend a SHA-256 chain computed by a
-- trigger, so all audited writes of the district queued behind each other, and anyone able to disable a trigger
-- could rewrite a record and recompute the whole chain.
--
-- Now, as verifiable logs do (Certificate Transparency / Trillian): writers append audit rows freely, with no lock;
-- one sequencer (platform/audit-sealer.ts, one at a time across instances) seals committed rows in batches into a
-- keyed chain — HMAC-SHA-256 with a key kept outside the database — and signs a checkpoint of the chain head into a
-- file outside the database. `npm run audit:verify` checks both.

drop trigger audit_log_chain on audit_log;
drop function audit_log_chain();
drop function audit_log_digest(audit_log);
alter table audit_log drop column seq, drop column prev_hash, drop column hash;

-- The transaction that wrote the row: the sequencer's horizon ("every transaction older than this has ended")
-- is expressed in transaction ids, so a row committed late with a low id is still found and sealed.
alter table audit_log add column xid xid8 not null default pg_current_xact_id();
create index audit_log_xid on audit_log (xid);

-- Writers cannot choose the time or the transaction a record claims.
create function audit_log_stamp() returns trigger language plpgsql as $$
begin
  new.at := now();
  new.xid := pg_current_xact_id();
  return new;
end $$;
create trigger audit_log_stamp before insert on audit_log for each row execute function audit_log_stamp();

-- The canonical text of one record: what the seal's HMAC covers (computed by the sequencer, outside the database,
-- because the key never enters it). jsonb's text form is canonical (keys sorted, one spacing).
create function audit_log_canonical(a audit_log) returns text language sql immutable as $$
  select concat_ws('|',
    a.id::text,
    to_char(a.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(a.actor_id::text, ''), coalesce(a.actor_username, ''), a.action,
    coalesce(a.target_type, ''), coalesce(a.target_id, ''), a.summary::text,
    coalesce(a.ip, ''), coalesce(a.request_id, ''))
$$;

-- One batch of the sequencer: the snapshot it read the log under, and the chain head it left. The next batch looks
-- only at rows of transactions that were still running in that snapshot or began after it (pg_snapshot_xip and
-- pg_snapshot_xmax), so a long-running transaction neither hides its rows nor makes every batch rescan the log.
create table audit_batch (
  id         bigint generated always as identity primary key,
  snapshot   text not null,          -- pg_snapshot, as text
  first_seq  bigint not null,
  last_seq   bigint not null,
  head_hash  text not null,
  sealed_at  timestamptz not null default now()
);

-- The chain: seq is the one order of the log; hash = HMAC(key, seq | prev_hash | canonical(record)).
create table audit_seal (
  seq        bigint primary key,
  audit_id   bigint not null unique references audit_log (id),
  batch_id   bigint not null references audit_batch (id),
  prev_hash  text not null,
  hash       text not null
);

-- The three tables are append-only for everyone; the running app's role (PostgreSQL) also lacks the privilege.
create trigger audit_seal_no_update before update or delete on audit_seal
  for each row execute function audit_log_refuse_change();
create trigger audit_seal_no_truncate before truncate on audit_seal
  for each statement execute function audit_log_refuse_change();
create trigger audit_batch_no_update before update or delete on audit_batch
  for each row execute function audit_log_refuse_change();
create trigger audit_batch_no_truncate before truncate on audit_batch
  for each statement execute function audit_log_refuse_change();
