/**
 * The cases part of the seed (一网统管, 吹哨报到, C6): the line departments (职能部门) of every district seeded, the
 * demo API keys for Open311 clients and the camera detectors, and at scales demo/city a year of case history.
 *
 * It runs after the territory is loaded (departments name their district) and before the accounts (department staff
 * carry a department code). Every row is a function of the scale and the seed.
 */
import { createHash } from 'node:crypto';

type Exec = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;
export type CasesScale = 'test' | 'demo' | 'city';

/** The demo keys (only their SHA-256 is stored): `Authorization: Bearer linli-demo-key` etc. */
export const OPEN311_DEMO_KEY = 'linli-demo-key';
export const CAMERA_DEMO_KEY = 'linli-camera-demo-key';
const BINJIANG = '330108';

/** Line departments of a district: code suffix, kind, name after the district's name, short name, duty. */
export const DEPARTMENTS = [
  { suffix: 'CG', kind: 'chengguan', name: '城市管理局', short: '城管', duty: '市容环境、占道经营、违章搭建、户外广告的执法与管理' },
  { suffix: 'SJ', kind: 'market', name: '市场监督管理局', short: '市场监管', duty: '食品安全、特种设备（电梯）、市场经营秩序' },
  { suffix: 'GA', kind: 'police', name: '公安分局', short: '公安', duty: '治安、交通秩序与停车、犬只管理、高空抛物查处' },
  { suffix: 'ZJ', kind: 'housing', name: '住房和城乡建设局', short: '住建', duty: '物业监管、房屋安全、市政设施、燃气安全' },
  { suffix: 'XF', kind: 'fire', name: '消防救援大队', short: '消防', duty: '消防安全检查、电动车违规充电与楼道堆物整治' },
  { suffix: 'HB', kind: 'ecology', name: '生态环境分局', short: '生态环境', duty: '噪声、油烟、水体与大气污染的监管' },
] as const;

/** Department staff demo accounts: username → the department suffix in 滨江区. */
export const DEPARTMENT_USERS = [
  { username: 'dept.chengguan', suffix: 'CG' },
  { username: 'dept.market', suffix: 'SJ' },
  { username: 'dept.police', suffix: 'GA' },
  { username: 'dept.housing', suffix: 'ZJ' },
] as const;

export interface CasesCounts {
  departments: number; apiKeys: number; cases: number; steps: number; cards: number;
  open: number; overdue: number; merged: number; voided: number;
}

export const sha256Hex = (s: string) => createHash('sha256').update(s).digest('hex');

/** Inserts the six line departments of every seeded district; returns how many. */
export async function seedDepartments(exec: Exec): Promise<number> {
  const rows = await exec(`insert into department (code, name, short_name, kind, territory_code, duty, sort_order)
    select d.code || x.suffix, d.name || x.name, x.short, x.kind, d.code, x.duty, x.ord
    from territory_node d
    cross join unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as x(suffix, kind, name, short, duty, ord)
    where d.kind = 'district'
    order by d.code, x.ord
    returning code`,
  [DEPARTMENTS.map((d) => d.suffix), DEPARTMENTS.map((d) => d.kind), DEPARTMENTS.map((d) => d.name), DEPARTMENTS.map((d) => d.short),
    DEPARTMENTS.map((d) => d.duty)]);
  return rows.length;
}

/** The two demo API keys, both for 滨江区. */
export async function seedApiKeys(exec: Exec): Promise<number> {
  const keys = [
    { hash: sha256Hex(OPEN311_DEMO_KEY), kind: 'open311', name: 'Open311 演示密钥' },
    { hash: sha256Hex(CAMERA_DEMO_KEY), kind: 'camera', name: '视频智能识别演示密钥' },
  ];
  await exec(`insert into case_api_key (key_hash, kind, name, jurisdiction_code)
    select h, k, n, $4::text from unnest($1::text[], $2::text[], $3::text[]) as t(h, k, n)`,
  [keys.map((k) => k.hash), keys.map((k) => k.kind), keys.map((k) => k.name), BINJIANG]);
  return keys.length;
}
