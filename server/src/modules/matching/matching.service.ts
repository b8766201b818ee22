/**
 * Matching needs to abilities (群众所需 ↔ 党员所能, C4.6): for a task, an order or a community need, the 20
 * best-fitting active members, each with the reasons a dispatcher can read. The score weighs skill, distance from
 * home, availability at the wanted time, current load (a busy member drops, so work spreads) and the rolling-year
 * satisfaction; pairing follows where members live and what they can do (SPEC.md: no 拉郎配).
 */
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { notFound } from '../../platform/errors.js';
import { maskName } from '../../platform/pii.js';
import { assertTerritoryInScope } from '../../platform/scope.js';
import * as repo from './matching.repository.js';
import type { SuggestionT, SuggestionsT } from './matching.schema.js';

export const SUGGESTIONS = 20;

/** What is needed: skills, where, when, among whom. */
export interface Need {
  skills: string[];
  place: { lng: number; lat: number } | null;
  scopePath: string;
  wantedAt: Date | null;
  exclude?: number[];
}

/** Skills that fit a community need's category (needs list). */
const categorySkills: Record<string, string[]> = {
  elderly: ['elderly_care', 'medical'], children: ['child_care', 'education'], environment: ['environment', 'logistics'],
  facility: ['plumbing', 'appliance'], culture: ['culture', 'photography'], safety: ['patrol', 'mediation'], health: ['medical', 'psychology'],
  other: [],
};

const dayNames = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const periodNames: Record<string, string> = { morning: '上午', afternoon: '下午', evening: '晚上' };

/** ISO weekday (1 = Monday) and part of the day of a moment, in China Standard Time. */
export function whenOf(at: Date): { day: number; period: 'morning' | 'afternoon' | 'evening' } {
  const local = new Date(at.getTime() + 8 * 3600_000);
  const day = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  const hour = local.getUTCHours();
  return { day, period: hour < 12 ? 'morning' : hour < 18 ? 'afternoon' : 'evening' };
}

export function distanceText(meters: number): string {
  return meters < 1000 ? `距家约 ${Math.max(10, Math.round(meters / 10) * 10)} 米` : `距家约 ${(meters / 1000).toFixed(1)} 公里`;
}

function present(r: repo.SuggestionRow, need: Need): SuggestionT {
  const reasons: string[] = [];
  if (r.hit_names.length) reasons.push(`技能匹配：${r.hit_names.join('、')}`);
  if (r.dist !== null) reasons.push(distanceText(r.dist));
  if (need.wantedAt) {
    const { day, period } = whenOf(need.wantedAt);
    if (r.day_ok && r.period_ok) reasons.push(`${dayNames[day]}${periodNames[period]}有空`);
    else if (r.day_ok) reasons.push(`${dayNames[day]}有空`);
    else if (r.period_ok) reasons.push(`${periodNames[period]}有空`);
  }
  reasons.push(r.open_load === 0 ? '当前无在办任务' : `当前承接 ${r.open_load} 项（分散任务）`);
  if (r.ratings > 0) reasons.push(`近一年满意度 ${Math.round((100 * r.good) / r.ratings)}%（${r.ratings} 次评价）`);
  return {
    memberId: r.id, score: r.score, reasons, name: maskName(r.name), communityCode: r.community_code, communityName: r.community_name,
    distanceMeters: r.dist === null ? null : Math.round(r.dist), openLoad: r.open_load, skills: r.hit_names, ratings: r.ratings,
    satisfaction: r.ratings > 0 ? Math.round((100 * r.good) / r.ratings) / 100 : null,
  };
}

/** The 20 best-fitting active members for a need, best first, with reasons. One SQL statement. */
export async function suggestMembers(db: Kysely<DB>, need: Need, limit = SUGGESTIONS): Promise<SuggestionsT> {
  const when = need.wantedAt ? whenOf(need.wantedAt) : null;
  const rows = await repo.suggest(db, {
    skills: [...new Set(need.skills)], lng: need.place?.lng ?? null, lat: need.place?.lat ?? null, scopePath: need.scopePath,
    day: when?.day ?? null, period: when?.period ?? null, exclude: need.exclude ?? [], limit,
  });
  return { items: rows.map((r) => present(r, need)) };
}

const placeOf = (lng: number | null, lat: number | null) => (lng === null || lat === null ? null : { lng, lat });

/** Suggestions for a task in the caller's scope; members already holding it are left out. */
export async function suggestForTask(db: Kysely<DB>, auth: AuthContext, id: number): Promise<SuggestionsT> {
  const task = await repo.taskNeed(db, id);
  if (!task) throw notFound('任务', 'task');
  assertTerritoryInScope(auth, task.scope_path, '任务');
  return suggestMembers(db, { skills: task.skills, place: placeOf(task.lng, task.lat), scopePath: task.scope_path, wantedAt: task.starts_at,
    exclude: task.claimed_by.map(Number) });
}

/** Suggestions for a resident's order (its skill, its place), among the members of the order's community. */
export async function suggestForOrder(db: Kysely<DB>, auth: AuthContext, id: number): Promise<SuggestionsT> {
  const order = await repo.orderNeed(db, id);
  if (!order) throw notFound('工单', 'order');
  assertTerritoryInScope(auth, order.community_path, '工单');
  return suggestMembers(db, { skills: order.skill_code ? [order.skill_code] : [], place: placeOf(order.lng, order.lat),
    scopePath: order.community_path, wantedAt: order.wanted_at, exclude: order.assignee_force_id ? [order.assignee_force_id] : [] });
}

/** Suggestions for an item of the community's needs list (skills from its category, near the community centre). */
export async function suggestForNeed(db: Kysely<DB>, auth: AuthContext, id: number): Promise<SuggestionsT> {
  const need = await repo.communityNeed(db, id);
  if (!need) throw notFound('需求', 'need');
  assertTerritoryInScope(auth, need.community_path, '需求');
  return suggestMembers(db, { skills: categorySkills[need.category] ?? [], place: placeOf(need.lng, need.lat), scopePath: need.community_path,
    wantedAt: null });
}
