-- Roles from SPEC.md's users table. Permissions are data: the code checks a permission, never a role name.
-- A role's default_scope is what a new user of that role gets unless the administrator sets another.
insert into role (code, name, description, permissions, default_scope) values
  ('district_admin', '区委组织部管理员', '配置全区，查看所有街道',
   '{territory:read,territory:write,org:read,org:write,user:read,user:write,audit:read,people:read}', 'all'),
  ('street_staff', '街道工作人员', '街道党工委/社区治理办：街道联盟、上报案件、街道驾驶舱',
   '{territory:read,territory:write,org:read,org:write,user:read,user:write,people:read}', 'subtree'),
  ('community_staff', '社区工作人员', '社区书记、社工、小区专员：档案、网格、需求、订单、案件、事务、会议',
   '{territory:read,territory:write,org:read,org:write,user:read,people:read}', 'subtree'),
  ('part_time_member', '兼职委员', '跟进所在社区：议事、项目、驾驶舱（只读）',
   '{territory:read,org:read}', 'subtree'),
  ('grid_worker', '网格员', '网格长/网格员/微网格长、楼长/单元长：巡查、上报处置案件、走访',
   '{territory:read,org:read,people:read}', 'subtree'),
  ('party_member', '在职党员', '到居住社区报到，认领岗位和任务，记录服务',
   '{}', 'self'),
  ('unit_party_org', '单位党组织', '结对/驻区单位党组织：查看党员报到服务（报回单位）、提供资源、共建项目',
   '{org:read}', 'self'),
  ('department_staff', '职能部门人员', '城管、市场监管、公安等：接收吹哨案件并响应',
   '{territory:read}', 'custom'),
  ('property_partner', '物业/业委会', '三方协同：处理物业类案件，接受评价',
   '{territory:read}', 'subtree'),
  ('resident', '居民', '点单服务、随手拍、评价、积分、办事、参与议事',
   '{}', 'self');
