-- Optional check-in and check-out of a task slot on the member's phone (issue 11 item 7). The 2023 national guidance
-- against formalism: no forced check-ins, no online-time counts — so both stay optional, never a condition for
-- reporting done, confirming hours or rating; the span only suggests hours. The claim carries the two instants, and
-- the database holds their order: no check-out without a check-in, never before it.
alter table task_claim
  add column checked_in_at  timestamptz,
  add column checked_out_at timestamptz,
  add constraint task_claim_check_out_after_in check (checked_out_at is null or (checked_in_at is not null and checked_out_at >= checked_in_at));
