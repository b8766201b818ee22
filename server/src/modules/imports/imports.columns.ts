/**
 * The columns of each import kind as data: header (the Chinese column name users see), whether it is required,
 * its dictionary (→ drop-down in the .xlsx template) and a line for the instructions sheet.
 */
import type { ImportKind } from './imports.schema.js';

export interface ColumnSpec {
  key: string;
  header: string;
  required: boolean;
  /** fixed dictionary values (drop-down); 'tags' = the attention_tag dictionary, several separated by 、 */
  dictionary?: readonly string[] | 'tags';
  note: string;
  example: string;
}

/** 与房屋关系 → residence.relation */
export const RELATIONS: Record<string, 'owner' | 'tenant' | 'family' | 'registered' | 'floating'> = {
  业主: 'owner', 租客: 'tenant', 家庭成员: 'family', 户籍人口: 'registered', 流动人口: 'floating',
};
/** 党员类型 → party_member.member_type */
export const MEMBER_TYPES: Record<string, 'in_register' | 'in_service' | 'in_residence'> = {
  在册: 'in_register', 在职: 'in_service', 在地: 'in_residence',
};
/** 与户主关系 (registry households) */
export const HOUSEHOLD_ROLES = ['户主', '配偶', '子女', '父母', '孙子女', '兄弟姐妹', '祖父母', '其他亲属', '非亲属'] as const;

const name = (header = '姓名'): ColumnSpec => ({ key: 'name', header, required: true, note: '2–30 个字', example: '张三' });
const idNumber: ColumnSpec = { key: 'idNumber', header: '身份证号', required: true, note: '18 位公民身份号码（GB 11643，含校验位）；同一身份证号视为同一人，再次导入即更新', example: '330108199001011234' };
const mobile: ColumnSpec = { key: 'mobile', header: '手机号', required: false, note: '11 位手机号', example: '13800000000' };
const compound = (required: boolean): ColumnSpec => ({ key: 'compound', header: '小区', required, note: '小区名称或编码；地址中已含小区名称时可不填', example: '中兴新村' });
const address = (header = '地址'): ColumnSpec => ({ key: 'address', header, required: true, note: '楼幢-单元-房号，如 3幢2单元501室、3-2-501、3号楼2单元501室', example: '3幢2单元501室' });

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  rooms: [
    { key: 'community', header: '社区编码', required: true, note: '12 位社区代码（须在您的数据范围内）', example: '330108001001' },
    { key: 'compound', header: '小区名称', required: true, note: '不存在时新建小区', example: '中兴新村' },
    { key: 'building', header: '楼幢号', required: true, note: '1–999，可写 3 或 3幢', example: '3' },
    { key: 'unit', header: '单元号', required: true, note: '1–99', example: '2' },
    { key: 'room', header: '房号', required: true, note: '楼层×100+序号，如 501', example: '501' },
  ],
  residents: [
    name(), idNumber, mobile, compound(false), address(),
    { key: 'relation', header: '与房屋关系', required: true, dictionary: Object.keys(RELATIONS), note: '业主/租客/家庭成员/户籍人口/流动人口', example: '业主' },
    { key: 'movedIn', header: '迁入日期', required: false, note: 'YYYY-MM-DD，不填为导入当天', example: '2020-05-01' },
    { key: 'tags', header: '关注标签', required: false, dictionary: 'tags', note: '关注标签字典中的名称，多个用 、 分隔', example: '独居老人' },
  ],
  party_members: [
    name(), idNumber, mobile, compound(false), address(),
    { key: 'relation', header: '与房屋关系', required: false, dictionary: Object.keys(RELATIONS), note: '填写时同时登记住户关系：业主/租客/家庭成员/户籍人口/流动人口', example: '业主' },
    { key: 'memberType', header: '党员类型', required: true, dictionary: Object.keys(MEMBER_TYPES), note: '在册/在职/在地', example: '在职' },
    { key: 'workUnit', header: '工作单位', required: false, note: '', example: '杭州某科技有限公司' },
    { key: 'joinedOn', header: '入党日期', required: false, note: 'YYYY-MM-DD', example: '2010-07-01' },
    { key: 'org', header: '所在党组织', required: false, note: '党组织名称或编码（须在您的数据范围内）', example: '' },
  ],
  owners: [
    compound(false), address('房屋地址'), name('业主姓名'), idNumber, mobile,
  ],
  registry: [
    { key: 'registryNo', header: '户号', required: true, note: '户口簿户号', example: '330108000123' },
    { key: 'address', header: '户籍地址', required: true, note: '含小区名称，如 中兴新村3幢2单元501室', example: '中兴新村3幢2单元501室' },
    name(), idNumber,
    { key: 'householdRole', header: '与户主关系', required: true, dictionary: HOUSEHOLD_ROLES, note: HOUSEHOLD_ROLES.join('/'), example: '户主' },
  ],
};

export const KIND_NAMES: Record<ImportKind, string> = {
  rooms: '楼幢房屋', residents: '居民与住户', party_members: '党员', owners: '物业业主名单', registry: '户籍（公安）住户',
};
