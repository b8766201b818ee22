-- Per-user upload quotas (issue 10, item 6). An upload is counted from the record it leaves: a photo's stored_file
-- row, an import's import_job row (both carry uploader, size and time). A 12345 hotline batch leaves only cases, so it
-- is recorded here; any later upload that leaves no row of its own records itself here too.
create table upload_log (
  id          bigint generated always as identity primary key,
  user_id     bigint not null references app_user (id) on delete cascade,
  kind        text not null check (kind in ('hotline')),
  file_name   text not null,
  size        bigint not null check (size >= 0),
  created_at  timestamptz not null default now()
);
create index upload_log_user on upload_log (user_id, created_at desc);

-- the quota reads one user's uploads of the last 24 hours from each source
create index stored_file_creator on stored_file (created_by, created_at desc) where created_by is not null;
