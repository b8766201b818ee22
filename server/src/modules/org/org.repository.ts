/** SQL for the party-organisation tree. Scope conditions come in from the service. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface OrgRow {
  code: string; name: string; kind: string; parent_code: string | null; path: string; territory_code: string | null;
  territory_name: string | null; territory_kind: string | null; territory_path: string | null;
  unit_name: string | null; secretary_name: string | null; child_count: number;
}

const columns = sql`o.code, o.name, o.kind, o.parent_code, o.path::text as path, o.territory_code,
  t.name as territory_name, t.kind as territory_kind, t.path::text as territory_path, o.unit_name, o.secretary_name,
  (select count(*) from party_org c where c.parent_code = o.code)::int as child_count`;

export async function findOrg(db: Q, code: string, scope: RawBuilder<SqlBool>): Promise<OrgRow | undefined> {
  const { rows } = await sql<OrgRow>`select ${columns} from party_org o left join territory_node t on t.code = o.territory_code
    where o.code = ${code} and ${scope}`.execute(db);
  return rows[0];
}

export async function listChildren(db: Q, code: string, scope: RawBuilder<SqlBool>, limit: number, after: string | null): Promise<OrgRow[]> {
  const { rows } = await sql<OrgRow>`select ${columns} from party_org o left join territory_node t on t.code = o.territory_code
    where o.parent_code = ${code} and ${scope} ${after ? sql`and o.code > ${after}` : sql``}
    order by o.code limit ${limit + 1}`.execute(db);
  return rows;
}

/** Visible orgs whose parent is not visible: the tops of what the caller may browse. */
export async function listRoots(db: Q, scope: RawBuilder<SqlBool>, parentScope: RawBuilder<SqlBool>): Promise<OrgRow[]> {
  const { rows } = await sql<OrgRow>`select ${columns} from party_org o left join territory_node t on t.code = o.territory_code
    where ${scope} and not exists (select 1 from party_org o2 where o2.code = o.parent_code and ${parentScope})
    order by case o.kind when 'street_committee' then 0 when 'community_committee' then 1 when 'alliance' then 3 when 'unit_org' then 4 else 2 end, o.code
    limit 500`.execute(db);
  return rows;
}

export async function findAncestors(db: Q, path: string): Promise<{ code: string; name: string; kind: string }[]> {
  const { rows } = await sql<{ code: string; name: string; kind: string }>`select code, name, kind from party_org
    where path @> cast(${path} as ltree) and path <> cast(${path} as ltree) order by nlevel(path)`.execute(db);
  return rows;
}

export async function allianceMembers(db: Q, code: string) {
  const { rows } = await sql<{ code: string; name: string; kind: string; unit_name: string | null; role: string; joined_on: string }>`
    select o.code, o.name, o.kind, o.unit_name, m.role, m.joined_on from party_org_alliance_member m
    join party_org o on o.code = m.member_code where m.alliance_code = ${code}
    order by case m.role when 'chair' then 0 when 'vice_chair' then 1 else 2 end, o.code`.execute(db);
  return rows;
}

export async function alliancesOf(db: Q, code: string) {
  const { rows } = await sql<{ code: string; name: string; role: string }>`select a.code, a.name, m.role
    from party_org_alliance_member m join party_org a on a.code = m.alliance_code where m.member_code = ${code} order by a.code`.execute(db);
  return rows;
}

/** The highest code of the form prefix + `digits` digits among the parent's children (roots when null). */
export async function maxCode(db: Q, parentCode: string | null, prefix: string, digits: number): Promise<string | null> {
  const { rows } = await sql<{ max: string | null }>`select max(code) as max from party_org
    where ${parentCode ? sql`parent_code = ${parentCode}` : sql`parent_code is null`} and code ~ ${`^${prefix}[0-9]{${digits}}$`}`.execute(db);
  return rows[0]?.max ?? null;
}

export async function insertOrg(db: Q, org: {
  code: string; parentCode: string | null; kind: string; name: string; namePinyin: string; nameInitials: string; path: string;
  territoryCode: string | null; unitName: string | null; secretaryName: string | null;
}): Promise<void> {
  await sql`insert into party_org (code, parent_code, kind, name, name_pinyin, name_initials, path, territory_code, unit_name, secretary_name)
    values (${org.code}, ${org.parentCode}, ${org.kind}, ${org.name}, ${org.namePinyin}, ${org.nameInitials}, cast(${org.path} as ltree),
      ${org.territoryCode}, ${org.unitName}, ${org.secretaryName})`.execute(db);
}

export async function updateOrg(db: Q, code: string, fields: Record<string, unknown>): Promise<void> {
  const sets = [sql`updated_at = now()`, ...Object.entries(fields).map(([k, v]) => sql`${sql.ref(k)} = ${v}`)];
  await sql`update party_org set ${sql.join(sets)} where code = ${code}`.execute(db);
}

export async function moveSubtree(db: Q, code: string, oldPath: string, newParentCode: string | null, newParentPath: string | null): Promise<void> {
  await sql`update party_org set parent_code = ${newParentCode}, updated_at = now() where code = ${code}`.execute(db);
  const base = newParentPath ? sql`cast(${newParentPath} as ltree) || ` : sql``;
  await sql`update party_org set path = ${base}subpath(path, nlevel(cast(${oldPath} as ltree)) - 1)
    where path <@ cast(${oldPath} as ltree)`.execute(db);
}

export async function addAllianceMember(db: Q, allianceCode: string, memberCode: string, role: string): Promise<boolean> {
  const result = await sql`insert into party_org_alliance_member (alliance_code, member_code, role) values (${allianceCode}, ${memberCode}, ${role})
    on conflict (alliance_code, member_code) do nothing`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function removeAllianceMember(db: Q, allianceCode: string, memberCode: string): Promise<boolean> {
  const result = await sql`delete from party_org_alliance_member where alliance_code = ${allianceCode} and member_code = ${memberCode}`.execute(db);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export async function territoryPath(db: Q, code: string): Promise<{ path: string; kind: string } | undefined> {
  const { rows } = await sql<{ path: string; kind: string }>`select path::text as path, kind from territory_node where code = ${code}`.execute(db);
  return rows[0];
}
