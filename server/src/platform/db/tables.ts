/**
 * The schema the code expects, as data. Kysely's table types are derived from it, and the drift test
 * (schema.test.ts) compares it with what a fresh migration actually produced — so code and SQL cannot drift apart.
 */
import type { Generated } from 'kysely';

type PgType =
  | 'text' | 'int4' | 'int8' | 'bool' | 'jsonb' | 'timestamptz' | 'date' | 'ltree' | 'geometry' | '_text' | 'uuid' | 'bytea';

interface Spec {
  readonly type: PgType;
  /** NULL allowed */
  readonly nullable?: true;
  /** has a DEFAULT or is an identity column: optional on insert */
  readonly default?: true;
  /** set by a BEFORE INSERT trigger: optional on insert, but no DEFAULT in the schema */
  readonly trigger?: true;
}

const text = { type: 'text' } as const;
const textNull = { type: 'text', nullable: true } as const;
const int8Id = { type: 'int8', default: true } as const;
const int8Null = { type: 'int8', nullable: true } as const;
const now = { type: 'timestamptz', default: true } as const;
const tsNull = { type: 'timestamptz', nullable: true } as const;
const jsonbObj = { type: 'jsonb', default: true } as const;
const textDefault = { type: 'text', default: true } as const;

export const tables = {
  territory_node: {
    code: text, parent_code: textNull, kind: text, name: text,
    name_pinyin: textDefault, name_initials: textDefault, stat_code: textNull,
    path: { type: 'ltree' }, boundary: { type: 'geometry', nullable: true }, location: { type: 'geometry', nullable: true },
    grid_code: textNull, micro_grid_code: textNull, sort_order: { type: 'int4', default: true },
    attrs: jsonbObj, created_at: now, updated_at: now,
  },
  territory_kind_rule: { parent_kind: text, child_kind: text },
  party_org: {
    code: text, parent_code: textNull, kind: text, name: text,
    name_pinyin: textDefault, name_initials: textDefault, path: { type: 'ltree' },
    territory_code: textNull, unit_name: textNull, secretary_name: textNull,
    attrs: jsonbObj, created_at: now, updated_at: now,
  },
  party_org_alliance_member: {
    alliance_code: text, member_code: text, role: textDefault, joined_on: { type: 'date', default: true },
  },
  person: {
    id: int8Id, name: text, name_pinyin: textDefault, name_initials: textDefault, gender: textNull,
    birth_date: { type: 'date', nullable: true }, id_number: textNull, mobile: textNull,
    created_at: now, updated_at: now,
  },
  household: {
    id: int8Id, room_code: text, head_person_id: int8Null, kind: textDefault, created_at: now,
    registry_no: textNull, source: textDefault,
  },
  residence: {
    id: int8Id, person_id: { type: 'int8' }, room_code: text, household_id: int8Null, relation: text,
    moved_in: { type: 'date' }, moved_out: { type: 'date', nullable: true },
  },
  role: {
    code: text, name: text, description: textDefault, permissions: { type: '_text', default: true }, default_scope: text,
  },
  app_user: {
    id: int8Id, username: text, display_name: text, password_hash: text, scope_kind: text,
    scope_codes: { type: '_text', default: true }, org_code: textNull, person_id: int8Null, mobile: textNull,
    status: textDefault, must_change_password: { type: 'bool', default: true }, password_changed_at: tsNull,
    failed_logins: { type: 'int4', default: true }, locked_until: tsNull, last_login_at: tsNull,
    created_at: now, updated_at: now,
  },
  app_user_role: { user_id: { type: 'int8' }, role_code: text },
  user_session: {
    token_hash: text, user_id: { type: 'int8' }, kind: text, created_at: now, last_seen_at: now,
    expires_at: { type: 'timestamptz' }, revoked_at: tsNull, ip: textNull, user_agent: textNull,
  },
  login_log: {
    id: int8Id, at: now, username: text, user_id: int8Null, outcome: text, ip: textNull, user_agent: textNull,
  },
  audit_log: {
    // seq, prev_hash and hash are filled by the chain trigger; declared optional for inserts.
    id: int8Id, seq: { type: 'int8', trigger: true }, at: now, actor_id: int8Null, actor_username: textNull,
    action: text, target_type: textNull, target_id: textNull, summary: jsonbObj, ip: textNull,
    request_id: textNull, prev_hash: { type: 'text', trigger: true }, hash: { type: 'text', trigger: true },
  },
  idempotency_key: {
    key: text, user_id: { type: 'int8' }, method: text, path: text, status: { type: 'int4' },
    body: { type: 'jsonb', nullable: true }, created_at: now,
  },
  attention_tag: {
    code: text, name: text, category: text, sensitive: { type: 'bool', default: true }, sort_order: { type: 'int4', default: true },
    active: { type: 'bool', default: true },
  },
  person_tag: {
    person_id: { type: 'int8' }, tag_code: text, since: { type: 'date', nullable: true }, note: textNull, source: textDefault, created_at: now,
  },
  party_member: {
    person_id: { type: 'int8' }, member_type: text, org_code: textNull, work_unit: textNull, joined_on: { type: 'date', nullable: true },
    source: textDefault, created_at: now, updated_at: now,
  },
  compound_partner: {
    id: int8Id, compound_code: text, kind: text, name: text, org_code: textNull, contact_name: textNull, contact_phone: textNull,
    since: { type: 'date', nullable: true },
  },
  compound_partner_member: { partner_id: { type: 'int8' }, person_id: { type: 'int8' }, role: text, since: { type: 'date', nullable: true } },
  territory_post: {
    id: int8Id, territory_code: text, post: text, person_id: int8Null, user_id: int8Null, since: { type: 'date', default: true },
    until: { type: 'date', nullable: true },
  },
  visit: {
    id: int8Id, room_code: text, household_id: int8Null, visitor_user_id: { type: 'int8' }, kind: textDefault, note: text, visited_at: now,
  },
  import_job: {
    id: { type: 'uuid', default: true }, kind: text, mode: text, status: textDefault, file_name: text, file_size: { type: 'int8', default: true },
    total: { type: 'int4', default: true }, processed: { type: 'int4', default: true }, imported: { type: 'int4', default: true },
    updated: { type: 'int4', default: true }, rejected: { type: 'int4', default: true }, message: textNull,
    error_report: { type: 'bytea', nullable: true }, created_by: { type: 'int8' }, created_at: now, started_at: tsNull, finished_at: tsNull,
  },
} as const satisfies Record<string, Record<string, Spec>>;

type TsOf<T extends PgType> =
  T extends 'text' | 'ltree' | 'uuid' ? string
  : T extends 'bytea' ? Uint8Array
  : T extends 'int4' | 'int8' ? number
  : T extends 'bool' ? boolean
  : T extends 'jsonb' ? Record<string, unknown>
  : T extends 'timestamptz' ? Date
  : T extends 'date' ? string
  : T extends '_text' ? string[]
  : unknown; // geometry: always read and written through SQL functions

type Base<S extends Spec> = TsOf<S['type']> | (S['nullable'] extends true ? null : never);
type Col<S> = S extends Spec ? (S['default'] extends true ? Generated<Base<S>> : S['trigger'] extends true ? Generated<Base<S>> : Base<S>) : never;

export type DB = {
  [T in keyof typeof tables]: { -readonly [C in keyof (typeof tables)[T]]: Col<(typeof tables)[T][C]> };
};
/** Tables that extensions create and the code does not own. */
export const foreignTables = ['spatial_ref_sys', 'schema_migrations'];
