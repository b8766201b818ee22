-- What each role's description on /roles promises is what it can do today (issue 11: no promise of 议事、驾驶舱、积分、
-- 办事 before they exist). Later capabilities update these texts when they land.
update role set description = '社区书记、社工、小区专员：档案与走访、网格、力量名册、报到审核、需求与项目、订单与任务、案件受理' where code = 'community_staff';
update role set description = '区委组织部：配置全区，查看所有街道、社区的档案、服务与案件' where code = 'district_admin';
update role set description = '街道党工委/社区治理办：街道联盟、街道范围的档案与服务、案件受理与督办、三率统计' where code = 'street_staff';
update role set description = '网格长/网格员/微网格长、楼长/单元长：巡查、上报处置案件、走访' where code = 'grid_worker';
update role set description = '跟进所在社区：区划网格、党组织、报到与服务、案件（只读）' where code = 'part_time_member';
update role set description = '城管、市场监管、公安等：接收吹哨和交办的案件，报到并反馈' where code = 'department_staff';
update role set description = '到居住社区报到，认领岗位和任务，接单服务，随手拍上报问题' where code = 'party_member';
update role set description = '结对/驻区单位党组织：查看本单位党员在居住社区的报到与服务（报回单位）' where code = 'unit_party_org';
update role set description = '物业公司、业主委员会：查看所服务的小区（处理物业类案件尚在建设中）' where code = 'property_partner';
update role set description = '点单服务、随手拍上报问题、心愿墙、评价办理结果' where code = 'resident';
