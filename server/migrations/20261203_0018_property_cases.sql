-- Property cases (三方协同: 社区党组织、业委会、物业; seed 004, issue 11): the property company (物业) of a compound is a
-- seat of the case loop. A property-class category filed inside a compound whose property company is on the platform
-- goes to that company; a community may also hand a case to it (交办). The company accepts, feeds back with photos
-- and is rated through the normal loop: the community verifies (核查), the reporter rates (评价).

-- Which categories are property matters is data: the 物业小区 class (电梯、楼道堆物、漏水渗水、停车、绿化).
alter table case_category add column property_class boolean not null default false;
update case_category set property_class = true where code in ('03', '0301', '0302', '0303', '0304', '0305');

-- The property seat: handler_tier 'property', handler_code the compound's code (the company is the one whose accounts'
-- scope is rooted at the compound; compound_partner kind property_company names it).
alter table civic_case drop constraint civic_case_handler_tier_check;
alter table civic_case add constraint civic_case_handler_tier_check
  check (handler_tier in ('micro_grid', 'grid', 'community', 'street', 'department', 'property'));
-- A company's cases, newest first (its list and its ratings), whatever their state.
create index civic_case_property on civic_case (handler_code, reported_at desc, id desc) where handler_tier = 'property';

-- The property company is an actor of its own in the transition table: what it may do is these rows, no more
-- (no 作废, 合并, 上报, 吹哨, 交办 — those stay with the community above it).
alter table case_transition drop constraint case_transition_actor_check;
alter table case_transition add constraint case_transition_actor_check
  check (actor in ('reporter', 'handler', 'superior', 'department', 'rater', 'system', 'property'));
alter table civic_case_step drop constraint civic_case_step_actor_kind_check;
alter table civic_case_step add constraint civic_case_step_actor_kind_check
  check (actor_kind in ('reporter', 'handler', 'superior', 'department', 'rater', 'system', 'channel', 'property'));
insert into case_transition (from_state, action, to_state, actor, name) values
  ('reported', 'accept',  'handling', 'property', '物业受理'),
  ('reported', 'return',  'reported', 'property', '退回社区（非物业事项）'),
  ('handling', 'resolve', 'resolved', 'property', '物业处置反馈'),
  ('handling', 'return',  'handling', 'property', '退回社区'),
  ('handling', 'extend',  'handling', 'property', '申请延期');

-- case:property holds the property seat (with a scope rooted at compounds); archive:compound opens a compound's page
-- at the compound level only — buildings and counts, no person. The street desk and the district admin hold both
-- only so that they may create property accounts (a granter holds what it grants; the seat also needs the scope).
update role set permissions = permissions || '{case:property,archive:compound}' where code = 'property_partner';
update role set permissions = permissions || '{case:property,archive:compound}' where code in ('street_staff', 'district_admin');
update role set description = '物业公司、业主委员会：受理并反馈所服务小区的物业类案件（附照片），查看居民评价与满意率，查看小区概况（楼幢与户数统计，不含个人信息）'
  where code = 'property_partner';
-- The compound page (小区一张图) needs archive:compound; whoever reads people reads it as before.
update role set permissions = permissions || '{archive:compound}'
  where 'people:read' = any(permissions) and not 'archive:compound' = any(permissions);
