-- Cases that point at other cases (a merged duplicate, a likely duplicate offered on intake): indexed, so that
-- removing or checking a case never scans every case for references to it.
create index civic_case_merged_into on civic_case (merged_into) where merged_into is not null;
create index civic_case_duplicate_hint on civic_case (duplicate_of_hint) where duplicate_of_hint is not null;

-- Who creates grid workers must hold what they grant (users.service): the street desk and the district admin hold
-- case:handle too. Holding it makes nobody a grid worker — the grid seat also needs a scope rooted at a grid or below
-- (cases.service holdsTerritorySeat).
update role set permissions = permissions || '{case:handle}' where code in ('street_staff', 'district_admin');
