/**
 * Test factories for the service loop: registered members (forces-register rows with accounts and sessions) in
 * given communities, built with SQL so a test can have hundreds of them in a second. Existing registered members
 * (the seed's member.0001 … once present) are used first; the rest are made from residents of those communities.
 */
import { randomBytes } from 'node:crypto';
import { tokenHash } from '../../platform/auth/session.js';
import type { TestContext } from '../../../../test/helpers.js';

export const XILING = '330108001001';   // 西陵社区 (西兴街道)
export const SHUIDIAN = '330108001002'; // 水电社区 (西兴街道)
export const XIXING = '330108001';      // 西兴街道
export const CHANGHE_1 = '330108002001'; // a community of 长河街道

export interface Member { forceId: number; userId: number; personId: number; token: string; communityCode: string; name: string }

/** A bearer token for a user without going through the password hash (fast for hundreds of members). */
export async function sessionFor(t: TestContext, userId: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await t.database.query(`insert into user_session (token_hash, user_id, kind, expires_at) values ($1, $2, 'api', now() + interval '12 hours')`,
    [tokenHash(token), userId]);
  return token;
}

/** `n` active registered members serving in `communities` (round-robin is not promised; ordered by person id). */
export async function buildMembers(t: TestContext, n: number, communities: string[] = [XILING, SHUIDIAN]): Promise<Member[]> {
  const existing = await t.database.query<{ force_id: number; user_id: number; person_id: number; community_code: string; name: string }>(`
    select f.id::int as force_id, f.user_id::int as user_id, f.person_id::int as person_id, f.community_code, p.name
    from force_person f join person p on p.id = f.person_id join app_user u on u.id = f.user_id
    where f.status = 'active' and f.community_code = any($1) and u.status = 'active' and not u.must_change_password
      and exists (select 1 from app_user_role r where r.user_id = u.id and r.role_code = 'party_member')
      and u.username not in ('member.demo')
    order by f.id limit $2`, [communities, n]);
  const made = existing.length >= n ? [] : await t.database.query<{ force_id: number; user_id: number; person_id: number; community_code: string; name: string }>(`
    with cand as (
      select p.id as person_id, p.name, c.code as community_code, c.path as community_path, b.location, rn.code as room_code
      from person p
      join lateral (select r.room_code from residence r where r.person_id = p.id and r.moved_out is null order by r.id limit 1) r on true
      join territory_node rn on rn.code = r.room_code
      join territory_node b on b.kind = 'building' and rn.path <@ b.path
      join territory_node c on c.kind = 'community' and rn.path <@ c.path
      where c.code = any($1) and not exists (select 1 from force_person f where f.person_id = p.id)
        and not exists (select 1 from app_user u where u.person_id = p.id)
      order by p.id limit $2
    ), users as (
      insert into app_user (username, display_name, password_hash, scope_kind, person_id, must_change_password)
      select 'tm.' || person_id, name, (select password_hash from app_user where username = 'member.demo'), 'self', person_id, false from cand
      returning id, person_id
    ), roles as (
      insert into app_user_role (user_id, role_code) select id, 'party_member' from users
    )
    insert into force_person (person_id, user_id, kind, community_code, community_path, home_code, home_location)
    select c.person_id, u.id, 'in_service_member', c.community_code, c.community_path, c.room_code, c.location
    from cand c join users u using (person_id)
    returning id::int as force_id, user_id::int as user_id, person_id::int as person_id, community_code,
      (select name from person where id = person_id) as name`, [communities, n - existing.length]);
  const rows = [...existing, ...made];
  if (rows.length < n) throw new Error(`only ${rows.length} residents available for ${n} members in ${communities.join(',')}`);
  return Promise.all(rows.map(async (r) => ({ forceId: r.force_id, userId: r.user_id, personId: r.person_id, communityCode: r.community_code,
    name: r.name, token: await sessionFor(t, r.user_id) })));
}

/** Makes an existing user with a person (e.g. member.demo) an active registered member of a community. */
export async function registerExisting(t: TestContext, username: string, community = XILING): Promise<Member> {
  const [row] = await t.database.query<{ force_id: number; user_id: number; person_id: number; name: string }>(`
    insert into force_person (person_id, user_id, kind, community_code, community_path, home_location)
    select u.person_id, u.id, 'in_service_member', c.code, c.path, c.location from app_user u, territory_node c
    where u.username = $1 and c.code = $2
    on conflict (person_id) do update set status = 'active'
    returning id::int as force_id, user_id::int as user_id, person_id::int as person_id, (select name from person where id = person_id) as name`,
  [username, community]);
  return { forceId: row!.force_id, userId: row!.user_id, personId: row!.person_id, communityCode: community, name: row!.name, token: await t.login(username) };
}

/** A team of the given members, the first one leading it. */
export async function buildTeam(t: TestContext, members: Member[], name = `测试队${randomBytes(3).toString('hex')}`): Promise<number> {
  const [team] = await t.database.query<{ id: number }>(`insert into force_team (community_code, kind, name, leader_id)
    values ($1, 'volunteer', $2, $3) returning id::int as id`, [members[0]!.communityCode, name, members[0]!.forceId]);
  for (const [i, m] of members.entries()) {
    await t.database.query(`insert into force_team_member (team_id, force_id, role) values ($1, $2, $3)`, [team!.id, m.forceId, i === 0 ? 'leader' : 'member']);
  }
  return team!.id;
}

/** ISO times from now, in hours. */
export const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
