-- Cases that point at other cases (a merged duplicate, a likely duplicate offered on intake): indexed, so that
-- removing or checking a case never scans every case for references to it.
create index civic_case_merged_into on civic_case (merged_into) where merged_into is not null;
create index civic_case_duplicate_hint on civic_case (duplicate_of_hint) where duplicate_of_hint is not null;
