/**
 * Rules of double registration (双报到, C4.1) and posts (岗位式报到, C4.2): an in-service member registers at the
 * community they live in (by its QR code), the community approves and places them in a functional branch, a party
 * group and a micro-grid — which puts them in the forces register — and their work unit's party organisation sees
 * their registration and service (报回单位). Rates are derived from the records, never typed in.
 */
import ExcelJS from 'exceljs';
import QRCode from 'qrcode';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Config } from '../../config.js';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { maskAddress, maskMobile, maskName, withoutRoom } from '../../platform/pii.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword, passwordPolicyViolation } from '../../platform/auth/password.js';
import { idNumberBirthDate, idNumberGender } from '../../platform/idcard.js';
import { personNamePinyin } from '../../platform/pinyin.js';
import { rateLimited, SlidingWindow } from '../../platform/rate-limit.js';
import { CompoundIndex, resolveRoomCode } from '../imports/address.js';
import { idNumberProblem } from '../imports/imports.service.js';
import { orgScope, territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { page } from '../../platform/schema.js';
import { notify, transact } from '../../platform/notify.js';
import { findCallerForce, requireCallerForce } from '../forces/force-of.js';
import { enlistMember } from '../forces/forces.service.js';
import * as forcesRepo from '../forces/forces.repository.js';
import * as repo from './registration.repository.js';
import type {
  ApproveBodyT, CreatePostBodyT, CreateRegistrationBodyT, PeriodQueryT, PostQueryT, PostT, RateRowT, RegistrationFormT, RegistrationQueryT,
  RegistrationT, SignupBodyT, SignupInfoT, UnitMembersT,
} from './registration.schema.js';

const scopeOf = (auth: AuthContext): repo.PathScope => (column) => territoryScope(auth, column);
const STATUS_NAMES: Record<string, string> = { pending: '待审核', approved: '已通过', rejected: '未通过', withdrawn: '已撤回', unregistered: '未报到' };

// ─── QR code and the H5 form ─────────────────────────────────────────────────

async function findCommunity(db: repo.Q, code: string): Promise<repo.NodeRow> {
  const node = await repo.findNode(db, code);
  if (!node || node.kind !== 'community') throw notFound('社区', 'community');
  return node;
}

/**
 * The link a community's QR code opens: the H5 sign-up page of that community (码上报到). It serves everyone who
 * scans: a newcomer signs up there, a logged-in member is sent on to the registration form, a resident is told
 * what the page is for.
 */
export function registrationLink(origin: string, code: string): string {
  return `${origin.replace(/\/+$/, '')}/m/signup/${encodeURIComponent(code)}`;
}

/** The community's registration QR code as PNG or SVG (public: it is printed on posters). */
export async function registrationQr(db: Kysely<DB>, code: string, format: 'png' | 'svg', origin: string): Promise<{ type: string; body: Buffer | string }> {
  await findCommunity(db, code);
  const link = registrationLink(origin, code);
  if (format === 'svg') return { type: 'image/svg+xml; charset=utf-8', body: await QRCode.toString(link, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' }) };
  return { type: 'image/png', body: await QRCode.toBuffer(link, { type: 'png', margin: 2, width: 512, errorCorrectionLevel: 'M' }) };
}

/**
 * What the H5 form needs: the community, its compounds → buildings → units, the skill dictionary and the post
 * kinds. Members may open any community's form (they register where they live); staff only within their scope.
 */
export async function registrationForm(db: Kysely<DB>, auth: AuthContext, code: string): Promise<RegistrationFormT> {
  const community = await findCommunity(db, code);
  if (!auth.permissions.has('service:claim') && !territoryPathInScope(auth, community.path)) throw notFound('社区', 'community');
  const [nodes, street, skills, postKinds] = await Promise.all([
    repo.listHomeNodes(db, community.path), community.parent_code ? repo.findNode(db, community.parent_code) : Promise.resolve(undefined),
    forcesRepo.listSkills(db), forcesRepo.listPostKinds(db),
  ]);
  const compounds: RegistrationFormT['compounds'] = [];
  const buildings = new Map<string, RegistrationFormT['compounds'][number]['buildings'][number]>();
  const byCompound = new Map<string, RegistrationFormT['compounds'][number]>();
  for (const n of nodes) {
    if (n.kind === 'compound') {
      const c = { code: n.code, name: n.name, buildings: [] };
      compounds.push(c);
      byCompound.set(n.code, c);
    } else if (n.kind === 'building') {
      const b = { code: n.code, name: n.name, units: [] };
      byCompound.get(n.parent_code)?.buildings.push(b);
      buildings.set(n.code, b);
    } else {
      buildings.get(n.parent_code)?.units.push({ code: n.code, name: n.name });
    }
  }
  return { community: { code: community.code, name: community.name, streetName: street?.name ?? null }, compounds, skills, postKinds };
}

/** Work-unit party organisations by name or pinyin, for the form's picker (nothing without a search text). */
export async function searchUnitOrgs(db: Kysely<DB>, q: string | undefined, limit: number) {
  const text = (q ?? '').normalize('NFKC').trim();
  if (!text) return { items: [] };
  const rows = await repo.searchUnitOrgs(db, text, limit);
  return { items: rows.map((r) => ({ code: r.code, name: r.name, unitName: r.unit_name })) };
}

// ─── 码上报到: signing up without an account ────────────────────────────────

/** What the public sign-up page needs: the community (with its street) and its compounds. Reveals no person. */
export async function signupInfo(db: Kysely<DB>, code: string): Promise<SignupInfoT> {
  const community = await findCommunity(db, code);
  const [street, compounds] = await Promise.all([
    community.parent_code ? repo.findNode(db, community.parent_code) : Promise.resolve(undefined), repo.listCompounds(db, community.path),
  ]);
  return { community: { code: community.code, name: community.name, streetName: street?.name ?? null }, compounds };
}

/** One pair of windows per running app (each has its own Config), like the search limits of platform/people-search. */
const signupWindows = new WeakMap<Config, { ip: SlidingWindow; mobile: SlidingWindow }>();

/** Counts a sign-up attempt against its IP and its mobile; 429 when either has used its hour. */
function takeSignupAttempt(config: Config, ip: string, mobile: string): void {
  let w = signupWindows.get(config);
  if (!w) signupWindows.set(config, (w = { ip: new SlidingWindow(3_600_000), mobile: new SlidingWindow(3_600_000) }));
  if (w.ip.count(ip) >= config.signupPerIpHour) {
    throw rateLimited(`提交过于频繁：同一网络每小时最多 ${config.signupPerIpHour} 次，请稍后再试`, 'too many sign-ups from this network in the last hour');
  }
  if (!w.mobile.take(mobile, config.signupPerMobileHour)) {
    throw rateLimited(`该手机号提交过于频繁：每小时最多 ${config.signupPerMobileHour} 次，请稍后再试`, 'too many sign-ups for this mobile in the last hour');
  }
  w.ip.add(ip);
}

const duplicate = (field: 'idNumber' | 'mobile') => new AppError('DUPLICATE', field === 'idNumber'
  ? 'idNumber: 该身份证号已登记。已有账号请直接登录；没有账号或忘记密码，请联系社区工作人员'
  : 'mobile: 该手机号已登记。已有账号请用它直接登录；如不是您本人登记的，请联系社区工作人员',
{ field, en: `${field}: already registered — log in, or ask the community` });

/** The home a sign-up's address names inside the community: its room in the archive, else its unit or building. */
async function matchHome(db: Kysely<DB>, community: repo.NodeRow, address: string): Promise<string> {
  const compounds = await repo.listCompounds(db, community.path);
  const index = new CompoundIndex(compounds.map((c) => ({ code: c.code, name: c.name, communityCode: community.code, communityName: community.name })));
  const found = resolveRoomCode(index, address);
  if ('error' in found) {
    throw invalid('address', found.error === 'address' ? '无法识别，请按“小区名+楼幢+单元+室”填写，如：中兴新村3幢2单元501室'
      : `未在${community.name}找到该小区，请从列表选择小区`, found.error === 'address' ? 'not an address of the form 中兴新村3幢2单元501室' : 'no such compound in the community');
  }
  const unit = found.roomCode.replace(/R[0-9]{4}$/, '');
  const candidates = [found.roomCode, unit, unit.replace(/U[0-9]{2}$/, '')];
  const existing = await repo.existingNodes(db, candidates);
  const home = candidates.find((c) => existing.has(c));
  if (!home) throw invalid('address', `${found.compound.name}没有这个楼幢，请核对楼幢号`, 'no such building in the compound');
  return home;
}

/**
 * 码上报到: a person without an account signs up at the community whose QR code they scanned. Creates the person,
 * their account (username = mobile, their own password, role party_member) and a pending registration, with its
 * audit row, in one transaction; the community approves it as any other. Duplicates (the ID number already in the
 * archive, the mobile already a person's or an account's) answer 409 DUPLICATE naming the field, and create nothing.
 */
export async function signUp(db: Kysely<DB>, config: Config, caller: AuthContext | null, code: string, body: SignupBodyT,
  meta: RequestMeta): Promise<{ registrationId: number; status: 'pending' }> {
  const community = await findCommunity(db, code);
  if (caller) throw new AppError('CONFLICT', '您已登录，请在“社区报到”中报到', { en: 'already logged in: register from your account' });
  takeSignupAttempt(config, meta.ip, body.mobile);
  const name = body.name.normalize('NFKC').replace(/\s+/g, '');
  if ([...name].length < 2 || /[0-9<>]/.test(name)) throw invalid('name', '请填写与身份证一致的姓名', 'give your name as on your ID card');
  const idNumber = body.idNumber.toUpperCase();
  const idProblem = idNumberProblem(idNumber);
  if (idProblem) throw invalid('idNumber', `身份证号${idProblem}`, 'not a valid ID number (GB 11643)');
  const weak = passwordPolicyViolation(body.password, body.mobile);
  if (weak) throw invalid('password', weak, 'the password does not meet the policy');
  let unitOrgCode: string | null = null;
  let workUnit = body.unitName?.normalize('NFKC').trim() ?? '';
  if (body.unitOrgCode) {
    const org = await repo.findOrg(db, body.unitOrgCode);
    if (!org || org.kind !== 'unit_org') throw invalid('unitOrgCode', '单位党组织不存在，请从列表重新选择或直接填写名称', 'unknown unit party organisation');
    unitOrgCode = org.code;
    workUnit = (await repo.unitNameOf(db, org.code)) ?? org.name;
  } else if ([...workUnit].length < 2) {
    throw invalid('unitName', '请选择所在单位党组织，列表中没有时填写单位名称', 'choose your unit\'s party organisation or name your unit');
  }
  const homeCode = await matchHome(db, community, body.address);
  const passwordHash = await hashPassword(body.password);
  const pinyin = personNamePinyin(name);
  try {
    return await transact(db, async (trx, onCommit) => {
      const taken = await repo.signupTaken(trx, idNumber, body.mobile);
      if (taken.id_number) throw duplicate('idNumber');
      if (taken.mobile) throw duplicate('mobile');
      const { personId, userId } = await repo.insertSignupAccount(trx, {
        name, pinyin: pinyin.full, initials: pinyin.initials, gender: idNumberGender(idNumber), birthDate: idNumberBirthDate(idNumber),
        idNumber, mobile: body.mobile, passwordHash,
      });
      const registrationId = await repo.insertRegistration(trx, {
        personId, userId, communityCode: community.code, homeCode, unitOrgCode, unitOrgName: unitOrgCode ? null : workUnit,
        workUnit: workUnit.slice(0, 100), mobile: body.mobile, skills: [], wishes: [], availability: {}, channel: 'qr',
      });
      // the actor is the person signing up; the summary holds no ID number or mobile
      await recordAudit(trx, { userId, username: body.mobile }, meta, { action: 'registration.signup', targetType: 'member_registration',
        targetId: registrationId, summary: { communityCode: community.code, homeCode, unitOrgCode, personId, userId } });
      await notify(trx, onCommit, { recipientUserId: userId, kind: 'registration', title: `已提交到${community.name}的报到，等待社区审核`,
        body: '审核通过后即可认领服务岗位；登录账号为您的手机号。', link: '/m/register', refType: 'member_registration', refId: registrationId });
      return { registrationId, status: 'pending' as const };
    });
  } catch (error) {
    // two sign-ups racing past the check: the unique ID number (person) and username (= mobile) decide
    if ((error as { code?: string }).code === '23505') {
      const constraint = (error as { constraint?: string }).constraint ?? '';
      throw duplicate(constraint.includes('id_number') ? 'idNumber' : 'mobile');
    }
    throw error;
  }
}

// ─── registrations ───────────────────────────────────────────────────────────

function presentRegistration(r: repo.RegistrationRow): RegistrationT {
  const parts = r.home_parts ?? {};
  return {
    id: r.id, personId: r.person_id, name: maskName(r.name), mobile: maskMobile(r.mobile ?? r.person_mobile),
    communityCode: r.community_code, communityName: r.community_name, homeCode: withoutRoom(r.home_code),
    // a home inside the compound tree reads as compound → room (room masked); a home given as a micro-grid (seeded
    // members without a room in the archive) reads as that micro-grid's name
    homeAddress: maskAddress({ compoundName: parts.compound, buildingName: parts.building, unitName: parts.unit, roomName: parts.room }) ?? r.home_name,
    unitOrgCode: r.unit_org_code, unitOrgName: r.org_name ?? r.unit_org_name, workUnit: r.work_unit, skills: r.skills ?? [], wishes: r.wishes ?? [],
    availability: r.availability ?? {}, status: r.status, branchCode: r.branch_code, branchName: r.branch_name, groupCode: r.group_code,
    groupName: r.group_name, microGridCode: r.micro_grid_code, microGridName: r.micro_grid_name, forceId: r.force_id,
    reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null, reviewNote: r.review_note, channel: r.channel,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * A member registers at their home community. The home must lie inside that community, skills and wishes must be
 * in the dictionaries, and a member has one pending or approved registration at a time. Nothing is written on error.
 */
export async function createRegistration(db: Kysely<DB>, auth: AuthContext, body: CreateRegistrationBodyT, meta: RequestMeta): Promise<RegistrationT> {
  if (auth.personId === null) throw forbidden('账号未关联人员档案，不能报到', 'account is not linked to a person');
  const community = await repo.findNode(db, body.communityCode);
  if (!community || community.kind !== 'community') throw invalid('communityCode', '社区不存在', 'unknown community');
  const home = await repo.findNode(db, body.homeCode);
  if (!home || !['compound', 'building', 'unit', 'room'].includes(home.kind) || !home.path.startsWith(`${community.path}.`)) {
    throw invalid('homeCode', `住址不在${community.name}内，请重新选择小区、楼幢、单元`, 'the home is not inside that community');
  }
  const badSkills = await repo.unknownCodes(db, 'skill', body.skills);
  if (badSkills.length) throw invalid('skills', `技能不存在：${badSkills.join('、')}`, `unknown skill: ${badSkills.join(', ')}`);
  const badWishes = await repo.unknownCodes(db, 'post_kind', body.wishes);
  if (badWishes.length) throw invalid('wishes', `岗位类别不存在：${badWishes.join('、')}`, `unknown post kind: ${badWishes.join(', ')}`);
  let unitOrgCode: string | null = null;
  if (body.unitOrgCode) {
    const org = await repo.findOrg(db, body.unitOrgCode);
    if (!org) throw invalid('unitOrgCode', '单位党组织不存在', 'unknown party organisation');
    unitOrgCode = org.code;
  } else if (!body.unitOrgName?.trim()) {
    throw invalid('unitOrgCode', '请选择或填写所在单位党组织', 'choose or name your work unit\'s party organisation');
  }
  const existing = await repo.activeRegistration(db, auth.personId);
  if (existing) {
    throw new AppError('CONFLICT', existing.status === 'pending' ? '您已提交报到，正在等待社区审核' : '您已在社区报到，如需更换社区请先撤回',
      { en: `already ${existing.status}` });
  }
  const id = await transact(db, async (trx) => {
    const registrationId = await repo.insertRegistration(trx, {
      personId: auth.personId!, userId: auth.userId, communityCode: community.code, homeCode: home.code, unitOrgCode,
      unitOrgName: unitOrgCode ? null : body.unitOrgName!.trim(), workUnit: body.workUnit.trim(), mobile: body.mobile ?? null,
      skills: body.skills, wishes: body.wishes, availability: (body.availability ?? {}) as Record<string, unknown>, channel: 'qr',
    });
    await recordAudit(trx, auth, meta, { action: 'registration.create', targetType: 'member_registration', targetId: registrationId,
      summary: { communityCode: community.code, homeCode: home.code, unitOrgCode, skills: body.skills, wishes: body.wishes } });
    return registrationId;
  });
  return presentRegistration((await repo.findRegistration(db, id))!);
}

export async function listRegistrations(db: Kysely<DB>, auth: AuthContext, q: RegistrationQueryT, limit: number, after: unknown[] | null) {
  let within: string | undefined;
  if (q.communityCode) {
    const node = await repo.findNode(db, q.communityCode);
    if (!node || !territoryPathInScope(auth, node.path)) throw notFound('社区', 'community', 'communityCode');
    within = node.path;
  }
  const rows = await repo.listRegistrations(db, { ...(within ? { within } : {}), ...(q.status ? { status: q.status } : {}) }, scopeOf(auth),
    limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(presentRegistration), nextCursor: result.nextCursor };
}

/** How many registrations the staff list holds with this status (the home's "报到待审核"). */
export async function countRegistrations(db: Kysely<DB>, auth: AuthContext, status: string): Promise<number> {
  return repo.countRegistrations(db, { status }, scopeOf(auth));
}

/** The caller's own registrations, newest first. */
export async function myRegistrations(db: Kysely<DB>, auth: AuthContext) {
  if (auth.personId === null) return { items: [], nextCursor: null };
  const rows = await repo.listRegistrations(db, { personId: auth.personId }, null, 50, null);
  return { items: rows.slice(0, 50).map(presentRegistration), nextCursor: null };
}

/** A registration the caller may see: their own, or (with service:read) one at a community in scope. */
async function loadRegistration(db: repo.Q, auth: AuthContext, id: number, lock = false): Promise<repo.RegistrationRow> {
  const row = await repo.findRegistration(db, id, lock);
  const own = row && auth.personId !== null && row.person_id === auth.personId;
  const staff = row && auth.permissions.has('service:read') && territoryPathInScope(auth, row.community_path);
  if (!row || !(own || staff)) throw notFound('报到记录', 'registration');
  return row;
}

async function loadForReview(db: repo.Q, auth: AuthContext, id: number, lock = false): Promise<repo.RegistrationRow> {
  const row = await repo.findRegistration(db, id, lock);
  if (!row || !territoryPathInScope(auth, row.community_path)) throw notFound('报到记录', 'registration');
  return row;
}

export async function getRegistration(db: Kysely<DB>, auth: AuthContext, id: number): Promise<RegistrationT> {
  return presentRegistration(await loadRegistration(db, auth, id));
}

interface Placement { branchCode: string; groupCode: string | null; microGridCode: string | null }

/** The defaults: the community's functional branch, a party group of it serving the home, the home building's micro-grid. */
async function placementFor(db: repo.Q, reg: repo.RegistrationRow) {
  const options = await repo.placementOptions(db, reg.community_code, reg.community_path);
  const branch = options.branches.find((b) => b.kind === 'functional_branch') ?? options.branches[0];
  const homeLabels = reg.home_path.split('.');
  const group = branch ? options.groups.find((g) => g.parent_code === branch.code && g.territory_code && homeLabels.includes(g.territory_code)) : undefined;
  const building = await repo.homeBuilding(db, reg.home_path);
  return { options, defaults: { branchCode: branch?.code ?? null, groupCode: group?.code ?? null, microGridCode: building?.micro_grid_code ?? null } };
}

/** Where a registration can be placed (for the review screen), with the defaults marked. */
export async function placementOptions(db: Kysely<DB>, auth: AuthContext, id: number) {
  const reg = await loadForReview(db, auth, id);
  const { options, defaults } = await placementFor(db, reg);
  return {
    branches: options.branches.map((b) => ({ code: b.code, name: b.name, kind: b.kind, isDefault: b.code === defaults.branchCode })),
    groups: options.groups.map((g) => ({ code: g.code, name: g.name, parentCode: g.parent_code, isDefault: g.code === defaults.groupCode })),
    microGrids: options.microGrids.map((m) => ({ code: m.code, name: m.name, isDefault: m.code === defaults.microGridCode })),
  };
}

/**
 * The community approves: the member is placed (branch, group, micro-grid; defaults when not given), enters the
 * forces register as an in-service member (created or re-activated), and is told — all in one transaction.
 */
export async function approveRegistration(db: Kysely<DB>, auth: AuthContext, id: number, body: ApproveBodyT, meta: RequestMeta): Promise<RegistrationT> {
  await loadForReview(db, auth, id);
  await transact(db, async (trx, onCommit) => {
    const reg = await loadForReview(trx, auth, id, true);
    if (reg.status !== 'pending') throw new AppError('INVALID_TRANSITION', `该报到${STATUS_NAMES[reg.status] ?? reg.status}，不能再审核`, { en: `registration is ${reg.status}` });
    const { options, defaults } = await placementFor(trx, reg);
    const placement: Placement = { branchCode: body.branchCode ?? defaults.branchCode ?? '', groupCode: null, microGridCode: null };
    if (!options.branches.some((b) => b.code === placement.branchCode)) {
      throw invalid('branchCode', body.branchCode ? '该支部不在本社区' : '本社区尚无可编入的党支部，请先建立功能型党支部', 'no such branch in the community');
    }
    if (body.groupCode) {
      if (!options.groups.some((g) => g.code === body.groupCode && g.parent_code === placement.branchCode)) {
        throw invalid('groupCode', '该党小组不属于所选支部', 'the group is not under that branch');
      }
      placement.groupCode = body.groupCode;
    } else if (!body.branchCode || body.branchCode === defaults.branchCode) {
      placement.groupCode = defaults.groupCode;
    }
    if (body.microGridCode) {
      if (!options.microGrids.some((m) => m.code === body.microGridCode)) throw invalid('microGridCode', '该微网格不在本社区', 'no such micro-grid in the community');
      placement.microGridCode = body.microGridCode;
    } else {
      placement.microGridCode = defaults.microGridCode;
    }
    const forceId = await enlistMember(trx, {
      personId: reg.person_id, userId: reg.user_id, communityCode: reg.community_code, homeCode: reg.home_code,
      microGridCode: placement.microGridCode, skills: reg.skills ?? [], availability: reg.availability ?? {},
    });
    await repo.setRegistrationState(trx, id, { status: 'approved', reviewedBy: auth.userId, note: body.note ?? null, ...placement, forceId });
    await recordAudit(trx, auth, meta, { action: 'registration.approve', targetType: 'member_registration', targetId: id,
      summary: { personId: reg.person_id, communityCode: reg.community_code, ...placement, forceId } });
    if (reg.user_id !== null) {
      await notify(trx, onCommit, { recipientUserId: reg.user_id, kind: 'registration', title: `您已在${reg.community_name}报到成功`,
        body: '社区已审核通过您的报到，可在“我的岗位”中认领服务岗位。', link: '/m/register', refType: 'member_registration', refId: id });
    }
  });
  return presentRegistration((await repo.findRegistration(db, id))!);
}

export async function rejectRegistration(db: Kysely<DB>, auth: AuthContext, id: number, note: string, meta: RequestMeta): Promise<RegistrationT> {
  await loadForReview(db, auth, id);
  await transact(db, async (trx, onCommit) => {
    const reg = await loadForReview(trx, auth, id, true);
    if (reg.status !== 'pending') throw new AppError('INVALID_TRANSITION', `该报到${STATUS_NAMES[reg.status] ?? reg.status}，不能再审核`, { en: `registration is ${reg.status}` });
    await repo.setRegistrationState(trx, id, { status: 'rejected', reviewedBy: auth.userId, note });
    await recordAudit(trx, auth, meta, { action: 'registration.reject', targetType: 'member_registration', targetId: id, summary: { personId: reg.person_id, note } });
    if (reg.user_id !== null) {
      await notify(trx, onCommit, { recipientUserId: reg.user_id, kind: 'registration', title: `${reg.community_name}未通过您的报到`, body: note,
        link: '/m/register', refType: 'member_registration', refId: id });
    }
  });
  return presentRegistration((await repo.findRegistration(db, id))!);
}

/** The member withdraws their own pending or approved registration; an approved one also pauses their register entry. */
export async function withdrawRegistration(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<RegistrationT> {
  await transact(db, async (trx) => {
    const reg = await repo.findRegistration(trx, id, true);
    if (!reg || auth.personId === null || reg.person_id !== auth.personId) throw notFound('报到记录', 'registration');
    if (reg.status !== 'pending' && reg.status !== 'approved') {
      throw new AppError('INVALID_TRANSITION', `该报到${STATUS_NAMES[reg.status] ?? reg.status}，不能撤回`, { en: `registration is ${reg.status}` });
    }
    await repo.setRegistrationState(trx, id, { status: 'withdrawn' });
    if (reg.status === 'approved' && reg.force_id !== null) await repo.setForceStatus(trx, reg.force_id, 'left');
    await recordAudit(trx, auth, meta, { action: 'registration.withdraw', targetType: 'member_registration', targetId: id, summary: { from: reg.status } });
  });
  return presentRegistration((await repo.findRegistration(db, id))!);
}

// ─── 报回单位 and rates ──────────────────────────────────────────────────────

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

/** The period asked for: a quarter (2026Q4), or from/to (default: this year so far). */
export function periodOf(q: { from?: string; to?: string; quarter?: string }): { from: string; to: string } {
  if (q.quarter) {
    const year = Number(q.quarter.slice(0, 4));
    const n = Number(q.quarter.slice(5));
    const startMonth = (n - 1) * 3 + 1;
    const end = new Date(Date.UTC(year, startMonth + 2, 0)).toISOString().slice(0, 10);
    return { from: `${year}-${String(startMonth).padStart(2, '0')}-01`, to: end };
  }
  const to = q.to ?? today();
  const from = q.from ?? `${to.slice(0, 4)}-01-01`;
  if (Number.isNaN(Date.parse(from))) throw invalid('from', '日期无效', 'invalid date');
  if (Number.isNaN(Date.parse(to))) throw invalid('to', '日期无效', 'invalid date');
  if (from > to) throw invalid('from', '开始日期晚于结束日期', 'from is after to');
  return { from, to };
}

/** A unit org the caller may report on: a unit party org its own org (or below); staff any org visible in scope. */
/**
 * A unit's members as the caller may see them: the unit's own party organisation sees all of its members wherever
 * they registered (报回单位); staff see the unit if it is visible to them, but only its members registered inside
 * their own territory.
 */
async function unitInReach(db: repo.Q, auth: AuthContext, orgCode: string): Promise<{ org: repo.OrgRow; members: RawBuilder<SqlBool> }> {
  const org = await repo.findOrg(db, orgCode);
  if (org) {
    if (auth.permissions.has('service:unit') && auth.orgPath && (org.path === auth.orgPath || org.path.startsWith(`${auth.orgPath}.`))) {
      return { org, members: sql<SqlBool>`true` };
    }
    if (auth.permissions.has('service:read') && await repo.orgVisible(db, org.code, orgScope(auth, 'o'))) {
      return { org, members: territoryScope(auth, 'c.path') };
    }
  }
  throw notFound('单位党组织', 'party organisation');
}

const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;
const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : null);

/** 报回单位: the unit's members registered at their communities, with their confirmed service in the period. */
export async function unitMembers(db: Kysely<DB>, auth: AuthContext, orgCode: string, q: PeriodQueryT): Promise<UnitMembersT> {
  const { org, members } = await unitInReach(db, auth, orgCode);
  const { from, to } = periodOf(q);
  const rows = await repo.unitMembers(db, org.path, from, to, members);
  const items = rows.map((r) => ({
    personId: r.person_id, registrationId: r.registration_id, name: maskName(r.name), mobile: maskMobile(r.mobile), workUnit: r.work_unit,
    unitOrgCode: r.unit_org_code, communityCode: r.community_code, communityName: r.community_name, status: r.status,
    registeredAt: r.created_at ? new Date(r.created_at).toISOString() : null, approvedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
    branchName: r.branch_name, hours: round(r.hours, 2), services: r.services, avgRating: r.avg_rating === null ? null : round(r.avg_rating, 2),
  }));
  const approved = items.filter((i) => i.status === 'approved');
  return {
    org: { code: org.code, name: org.name }, from, to, items,
    totals: { inService: items.length, registered: items.filter((i) => i.status !== 'unregistered').length, approved: approved.length,
      served: approved.filter((i) => i.services > 0).length, hours: round(items.reduce((s, i) => s + i.hours, 0), 2),
      services: items.reduce((s, i) => s + i.services, 0) },
  };
}

/** The quarterly report to the unit as .xlsx (masked); the export is audited. */
export async function exportUnitMembers(db: Kysely<DB>, auth: AuthContext, orgCode: string, q: PeriodQueryT, meta: RequestMeta) {
  const report = await unitMembers(db, auth, orgCode, q);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('报回单位');
  sheet.addRow([`${report.org.name} 在职党员双报到情况（${report.from} 至 ${report.to}）`]).font = { bold: true, size: 13 };
  sheet.addRow([]);
  const header = sheet.addRow(['序号', '姓名', '手机号', '工作单位', '报到社区', '状态', '通过日期', '编入支部', '服务次数', '服务时长（小时）', '平均评分']);
  header.font = { bold: true };
  report.items.forEach((i, n) => sheet.addRow([n + 1, i.name, i.mobile, i.workUnit, i.communityName ?? '', STATUS_NAMES[i.status] ?? i.status,
    i.approvedAt ? i.approvedAt.slice(0, 10) : '', i.branchName ?? '', i.services, i.hours, i.avgRating ?? '']));
  sheet.addRow(['合计', '', '', '', '', `在职党员 ${report.totals.inService} 人，已报到 ${report.totals.approved} 人`, '', '', report.totals.services, report.totals.hours, '']).font = { bold: true };
  [6, 10, 10, 28, 14, 8, 12, 26, 10, 16, 10].forEach((w, i) => { sheet.getColumn(i + 1).width = w; });
  await recordAudit(db, auth, meta, { action: 'registration.unit_export', targetType: 'party_org', targetId: report.org.code,
    summary: { from: report.from, to: report.to, rows: report.items.length, masked: true } });
  return { file: Buffer.from(await workbook.xlsx.writeBuffer()), name: `${report.org.name}-双报到-${q.quarter ?? `${report.from}至${report.to}`}.xlsx` };
}

function rateRow(r: { code: string; name: string; in_service: number; registered: number; served: number }): RateRowT {
  return { code: r.code, name: r.name, inService: r.in_service, registered: r.registered, registrationRate: ratio(r.registered, r.in_service),
    served: r.served, serviceRate: ratio(r.served, r.registered) };
}

/** Registration and service rates per community under a scope node (default: the caller's whole scope), with a total. */
export async function communityRates(db: Kysely<DB>, auth: AuthContext, q: { scopeCode?: string; from?: string; to?: string }) {
  const { from, to } = periodOf(q);
  let within = '';
  let total = { code: '', name: '合计' };
  if (q.scopeCode) {
    const node = await repo.findNode(db, q.scopeCode);
    if (!node || !territoryPathInScope(auth, node.path)) throw notFound('区域节点', 'territory node', 'scopeCode');
    within = node.path;
    total = { code: node.code, name: `${node.name}合计` };
  }
  const rows = await repo.communityRates(db, within, scopeOf(auth), from, to);
  const sum = rows.reduce((s, r) => ({ in_service: s.in_service + r.in_service, registered: s.registered + r.registered, served: s.served + r.served }),
    { in_service: 0, registered: 0, served: 0 });
  return { from, to, items: rows.map(rateRow), total: rateRow({ ...total, ...sum }) };
}

export async function unitRates(db: Kysely<DB>, auth: AuthContext, orgCode: string, q: { from?: string; to?: string }) {
  const { org, members } = await unitInReach(db, auth, orgCode);
  const { from, to } = periodOf(q);
  const r = await repo.unitRates(db, org.path, from, to, members);
  return { ...rateRow({ code: org.code, name: org.name, in_service: r.in_service, registered: r.registered, served: r.served }), from, to };
}

// ─── posts (岗位式报到) ──────────────────────────────────────────────────────

async function fitReasons(db: Kysely<DB>, forceId: number) {
  const [skills, wishes, dictionary] = await Promise.all([repo.forceSkillsOf(db, forceId), repo.wishesOf(db, forceId), forcesRepo.listSkills(db)]);
  const names = new Map(dictionary.map((s) => [s.code, s.name]));
  return (p: repo.PostRow): string[] => {
    const reasons: string[] = [];
    const common = (p.kind_skills ?? []).filter((s) => skills.includes(s));
    if (common.length) reasons.push(`技能相符：${common.map((s) => names.get(s) ?? s).join('、')}`);
    if (wishes.includes(p.kind_code)) reasons.push('您报到时选择的意向岗位');
    return reasons;
  };
}

function presentPost(p: repo.PostRow, fit?: string[], member = false): PostT {
  return {
    id: p.id, communityCode: p.community_code, communityName: p.community_name, kindCode: p.kind_code, kindName: p.kind_name, title: p.title,
    description: p.description, capacity: p.capacity, taken: p.taken, status: p.status, createdAt: new Date(p.created_at).toISOString(),
    ...(member ? { held: p.held, fit: fit ?? [] } : {}),
  };
}

/** Staff: posts in scope. A member: the open posts of the community they registered at, the best fitting first. */
export async function listPosts(db: Kysely<DB>, auth: AuthContext, q: PostQueryT, limit: number, after: unknown[] | null) {
  if (auth.permissions.has('service:read')) {
    let within: string | undefined;
    if (q.communityCode) {
      const node = await repo.findNode(db, q.communityCode);
      if (!node || !territoryPathInScope(auth, node.path)) throw notFound('社区', 'community', 'communityCode');
      within = node.path;
    }
    const rows = await repo.listPosts(db, { ...(within ? { within } : {}), ...(q.status ? { status: q.status } : {}) }, scopeOf(auth), null,
      limit, after ? Number(after[0]) : null);
    const result = page(rows, limit, (r) => [r.id]);
    return { items: result.items.map((p) => presentPost(p)), nextCursor: result.nextCursor };
  }
  if (!auth.permissions.has('service:claim')) throw forbidden('没有权限（需要 service:read 或 service:claim）', 'service:read or service:claim required');
  const force = await findCallerForce(db, auth);
  if (!force || force.status !== 'active') return { items: [], nextCursor: null };
  const rows = await repo.listPosts(db, { communityCode: force.communityCode, status: q.status ?? 'open' }, null, force.id, 200, null);
  const fit = await fitReasons(db, force.id);
  const items = rows.slice(0, 200).map((p) => presentPost(p, fit(p), true));
  items.sort((a, b) => Number(b.held) - Number(a.held) || b.fit!.length - a.fit!.length || b.id - a.id);
  return { items, nextCursor: null };
}

export async function myPosts(db: Kysely<DB>, auth: AuthContext) {
  const force = await findCallerForce(db, auth);
  if (!force) return { items: [], nextCursor: null };
  const rows = await repo.listPosts(db, { heldBy: force.id }, null, force.id, 200, null);
  const fit = await fitReasons(db, force.id);
  return { items: rows.slice(0, 200).map((p) => presentPost(p, fit(p), true)), nextCursor: null };
}

export async function getPost(db: Kysely<DB>, auth: AuthContext, id: number) {
  const force = await findCallerForce(db, auth);
  const post = await repo.findPost(db, id, force?.id ?? null);
  const staff = post && auth.permissions.has('service:read') && territoryPathInScope(auth, post.community_path);
  const member = post && force && force.communityCode === post.community_code;
  if (!post || !(staff || member)) throw notFound('岗位', 'post');
  const holders = await repo.postHolders(db, id);
  const fit = force && member ? (await fitReasons(db, force.id))(post) : undefined;
  return { ...presentPost(post, fit, Boolean(member && !staff)), holders: holders.map((h) => ({ forceId: h.force_id, name: maskName(h.name), since: h.since })) };
}

export async function createPost(db: Kysely<DB>, auth: AuthContext, body: CreatePostBodyT, meta: RequestMeta): Promise<PostT> {
  const community = await repo.findNode(db, body.communityCode);
  if (!community || community.kind !== 'community' || !territoryPathInScope(auth, community.path)) throw notFound('社区', 'community', 'communityCode');
  if ((await repo.unknownCodes(db, 'post_kind', [body.kindCode])).length) throw invalid('kindCode', '岗位类别不存在', 'unknown post kind');
  const id = await transact(db, async (trx) => {
    const postId = await repo.insertPost(trx, { communityCode: community.code, kindCode: body.kindCode, title: body.title.trim(),
      description: body.description ?? '', capacity: body.capacity, userId: auth.userId });
    await recordAudit(trx, auth, meta, { action: 'post.create', targetType: 'service_post', targetId: postId,
      summary: { communityCode: community.code, kindCode: body.kindCode, title: body.title, capacity: body.capacity } });
    return postId;
  });
  return presentPost((await repo.findPost(db, id))!);
}

export async function closePost(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<PostT> {
  await transact(db, async (trx) => {
    const post = await repo.findPost(trx, id, null, true);
    if (!post || !territoryPathInScope(auth, post.community_path)) throw notFound('岗位', 'post');
    if (post.status !== 'open') throw new AppError('INVALID_TRANSITION', '岗位已关闭', { en: 'post is already closed' });
    await repo.closePost(trx, id);
    await recordAudit(trx, auth, meta, { action: 'post.close', targetType: 'service_post', targetId: id, summary: { title: post.title } });
  });
  return presentPost((await repo.findPost(db, id))!);
}

/**
 * A member takes a post of their community. The post row is locked, so parallel takers queue; the database check
 * (taken ≤ capacity, kept by the holder trigger) refuses one too many whatever path inserted it.
 */
export async function takePost(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<PostT> {
  const force = await requireCallerForce(db, auth);
  await transact(db, async (trx) => {
    const post = await repo.findPost(trx, id, force.id, true);
    if (!post || post.community_code !== force.communityCode) throw notFound('岗位', 'post');
    if (post.held) throw new AppError('ALREADY_DONE', '您已在此岗位', { en: 'you already hold this post' });
    if (post.status !== 'open') throw new AppError('INVALID_TRANSITION', '岗位已关闭', { en: 'post is closed' });
    if (post.taken >= post.capacity) throw new AppError('FULL', '岗位已满', { en: 'post is full' });
    try {
      await repo.insertHolder(trx, id, force.id);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === '23514') throw new AppError('FULL', '岗位已满', { en: 'post is full' });
      if (code === '23505') throw new AppError('ALREADY_DONE', '您已在此岗位', { en: 'you already hold this post' });
      throw error;
    }
    await recordAudit(trx, auth, meta, { action: 'post.take', targetType: 'service_post', targetId: id, summary: { forceId: force.id } });
  });
  const fit = await fitReasons(db, force.id);
  const post = (await repo.findPost(db, id, force.id))!;
  return presentPost(post, fit(post), true);
}

export async function leavePost(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<void> {
  const force = await findCallerForce(db, auth);
  if (!force) throw notFound('岗位', 'post');
  await transact(db, async (trx) => {
    const post = await repo.findPost(trx, id, force.id, true);
    if (!post || !post.held) throw notFound('您在此岗位的记录', 'your place on this post');
    await repo.endHolder(trx, id, force.id);
    await recordAudit(trx, auth, meta, { action: 'post.leave', targetType: 'service_post', targetId: id, summary: { forceId: force.id } });
  });
}
