/**
 * The schema the code expects, as data. Kysely's table types are derived from it, and the drift test
 * (schema.test.ts) compares it with what a fresh migration actually produced — so code and SQL cannot drift apart.
 */
import type { Generated } from 'kysely';

type PgType =
  | 'text' | 'int2' | 'int4' | 'int8' | 'numeric' | 'bool' | 'jsonb' | 'timestamptz' | 'date' | 'ltree' | 'geometry' | '_text'
  | 'uuid' | 'bytea' | 'xid8';

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
    created_at: now, updated_at: now, department_code: textNull,
  },
  app_user_role: { user_id: { type: 'int8' }, role_code: text },
  user_session: {
    token_hash: text, user_id: { type: 'int8' }, kind: text, created_at: now, last_seen_at: now,
    expires_at: { type: 'timestamptz' }, revoked_at: tsNull, ip: textNull, user_agent: textNull,
  },
  login_log: {
    id: int8Id, at: now, username: text, user_id: int8Null, outcome: text, ip: textNull, user_agent: textNull,
  },
  user_totp: {
    user_id: { type: 'int8' }, secret_enc: text, enabled_at: tsNull, last_step: int8Null, created_at: now,
  },
  user_recovery_code: {
    id: int8Id, user_id: { type: 'int8' }, code_hash: text, used_at: tsNull, created_at: now,
  },
  audit_log: {
    // at and xid are stamped by a trigger whatever the writer sends; the seal lives in audit_seal.
    id: int8Id, at: now, actor_id: int8Null, actor_username: textNull,
    action: text, target_type: textNull, target_id: textNull, summary: jsonbObj, ip: textNull,
    request_id: textNull, xid: { type: 'xid8', default: true },
  },
  audit_batch: {
    id: int8Id, snapshot: text, first_seq: { type: 'int8' }, last_seq: { type: 'int8' }, head_hash: text, sealed_at: now,
  },
  audit_seal: {
    seq: { type: 'int8' }, audit_id: { type: 'int8' }, batch_id: { type: 'int8' }, prev_hash: text, hash: text,
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
  // ─── double registration and the service loop (C3–C5) ───
  skill: { code: text, name: text, category: text, sort_order: { type: 'int4', default: true } },
  post_kind: { code: text, name: text, skills: { type: '_text', default: true }, sort_order: { type: 'int4', default: true } },
  force_person: {
    id: int8Id, person_id: { type: 'int8' }, user_id: int8Null, kind: text, community_code: text, community_path: { type: 'ltree' },
    home_code: textNull, home_location: { type: 'geometry', nullable: true }, micro_grid_code: textNull,
    skills: { type: '_text', default: true }, availability: jsonbObj, status: textDefault, open_load: { type: 'int4', default: true },
    created_at: now, updated_at: now,
  },
  force_resource: {
    id: int8Id, community_code: text, kind: text, name: text, description: textDefault, provider_org: textNull, provider_name: textNull,
    quantity: { type: 'numeric', nullable: true }, unit: textNull, location: { type: 'geometry', nullable: true }, available_note: textNull,
    status: textDefault, created_by: int8Null, created_at: now,
  },
  force_team: {
    id: int8Id, community_code: text, kind: text, name: text, description: textDefault, leader_id: int8Null, created_at: now,
  },
  force_team_member: { team_id: { type: 'int8' }, force_id: { type: 'int8' }, role: textDefault, joined_on: { type: 'date', default: true } },
  party_mass_contact: {
    id: int8Id, force_id: { type: 'int8' }, household_id: { type: 'int8' }, slot: { type: 'int2' }, since: { type: 'date', default: true },
    until: { type: 'date', nullable: true },
  },
  member_registration: {
    id: int8Id, person_id: { type: 'int8' }, user_id: int8Null, community_code: text, home_code: text, unit_org_code: textNull,
    unit_org_name: textNull, work_unit: text, mobile: textNull, skills: { type: '_text', default: true }, wishes: { type: '_text', default: true },
    availability: jsonbObj, status: textDefault, branch_code: textNull, group_code: textNull, micro_grid_code: textNull, force_id: int8Null,
    reviewed_by: int8Null, reviewed_at: tsNull, review_note: textNull, channel: textDefault, created_at: now,
  },
  service_post: {
    id: int8Id, community_code: text, kind_code: text, title: text, description: textDefault, capacity: { type: 'int4' },
    taken: { type: 'int4', default: true }, status: textDefault, created_by: int8Null, created_at: now,
  },
  service_post_holder: {
    id: int8Id, post_id: { type: 'int8' }, force_id: { type: 'int8' }, since: { type: 'date', default: true }, until: { type: 'date', nullable: true },
  },
  community_need: {
    id: int8Id, community_code: text, title: text, description: textDefault, category: text, source: textDefault,
    beneficiaries: { type: 'int4', nullable: true }, status: textDefault, created_by: int8Null, created_at: now,
  },
  coop_project: {
    id: int8Id, community_code: text, need_id: int8Null, title: text, description: textDefault, kind: text, status: textDefault,
    target_amount: { type: 'numeric', nullable: true }, pledged_amount: { type: 'numeric', default: true }, spent_amount: { type: 'numeric', default: true },
    starts_on: { type: 'date', nullable: true }, ends_on: { type: 'date', nullable: true }, created_by: int8Null, created_at: now,
  },
  coop_project_unit: {
    project_id: { type: 'int8' }, org_code: text, role: textDefault, commitment: textDefault, claimed_by: int8Null, claimed_at: now,
  },
  project_pledge: {
    id: int8Id, project_id: { type: 'int8' }, org_code: textNull, donor_name: text, amount: { type: 'numeric' }, pledged_at: now, recorded_by: int8Null,
  },
  project_spending: {
    id: int8Id, project_id: { type: 'int8' }, amount: { type: 'numeric' }, purpose: text, spent_on: { type: 'date' }, evidence: jsonbObj,
    recorded_by: int8Null, recorded_at: now,
  },
  order_state: { code: text, name: text, terminal: { type: 'bool', default: true }, sort_order: { type: 'int4', default: true } },
  order_transition: { from_state: text, action: text, to_state: text, actor: text, name: text },
  service_order: {
    id: int8Id, service_no: text, community_code: text, community_path: { type: 'ltree' }, resident_person_id: int8Null, resident_user_id: int8Null,
    title: text, description: textDefault, skill_code: textNull, size: textDefault, place_code: textNull, location: { type: 'geometry', nullable: true },
    wanted_at: tsNull, state: textDefault, dispatch_mode: textNull, assignee_force_id: int8Null, assignee_org_code: textNull, accept_deadline: tsNull,
    dispatch_count: { type: 'int4', default: true }, hour_cap: { type: 'numeric', default: true }, hours: { type: 'numeric', nullable: true },
    evidence: jsonbObj, result_note: textNull, created_at: now, updated_at: now,
  },
  service_order_event: {
    id: int8Id, order_id: { type: 'int8' }, action: text, from_state: textNull, to_state: text, actor_id: int8Null, actor_kind: text,
    note: textNull, at: now,
  },
  mobilisation_call: {
    id: int8Id, title: text, message: textDefault, scope_code: text, scope_path: { type: 'ltree' }, created_by: int8Null, created_at: now, closed_at: tsNull,
  },
  service_task: {
    id: int8Id, call_id: int8Null, title: text, description: textDefault, size: textDefault, scope_code: text, scope_path: { type: 'ltree' },
    skills: { type: '_text', default: true }, location: { type: 'geometry', nullable: true }, capacity: { type: 'int4' }, claimed: { type: 'int4', default: true },
    starts_at: { type: 'timestamptz' }, ends_at: { type: 'timestamptz' }, hour_cap: { type: 'numeric', default: true },
    emergency: { type: 'bool', default: true }, status: textDefault, created_by: int8Null, created_at: now,
  },
  task_claim: {
    id: int8Id, task_id: { type: 'int8' }, force_id: { type: 'int8' }, team_id: int8Null, claimed_by: int8Null, request_key: textNull,
    status: textDefault, claimed_at: now, done_at: tsNull, checked_in_at: tsNull, checked_out_at: tsNull,
  },
  service_record: {
    id: int8Id, force_id: { type: 'int8' }, source: text, order_id: int8Null, claim_id: int8Null, post_id: int8Null, community_code: text,
    title: text, size: textDefault, served_on: { type: 'date' }, hours: { type: 'numeric' }, hour_cap: { type: 'numeric' }, evidence: jsonbObj,
    note: textNull, status: textDefault, confirmed_by: int8Null, confirmed_as: textNull, confirmed_at: tsNull, created_at: now,
  },
  service_rating: {
    id: int8Id, record_id: { type: 'int8' }, force_id: { type: 'int8' }, rater_kind: text, rater_id: int8Null, score: { type: 'int2' },
    comment: textNull, created_at: now,
  },
  member_negative_item: {
    id: int8Id, force_id: { type: 'int8' }, reason: text, recorded_by: int8Null, recorded_at: now, expires_on: { type: 'date', nullable: true },
  },
  member_talk: {
    id: int8Id, force_id: { type: 'int8' }, org_code: textNull, talked_on: { type: 'date' }, note: text, talked_by: int8Null, created_at: now,
  },
  stored_file: { id: { type: 'uuid', default: true }, sha256: text, content_type: text, size: { type: 'int4' }, created_by: int8Null, created_at: now },
  upload_log: { id: int8Id, user_id: { type: 'int8' }, kind: text, file_name: text, size: { type: 'int8' }, created_at: now },
  notification: {
    id: int8Id, recipient_user_id: int8Null, audience_path: { type: 'ltree', nullable: true }, kind: text, title: text, body: textDefault,
    link: textNull, ref_type: textNull, ref_id: textNull, created_at: now,
  },
  notification_read: { notification_id: { type: 'int8' }, user_id: { type: 'int8' }, read_at: now },
  notification_delivery: {
    id: int8Id, notification_id: { type: 'int8' }, user_id: int8Null, channel: text, status: textDefault, attempts: { type: 'int4', default: true },
    last_error: textNull, created_at: now, sent_at: tsNull,
  },
  department: {
    code: text, name: text, short_name: text, kind: text, territory_code: text, duty: textDefault, sort_order: { type: 'int4', default: true }, active: { type: 'bool', default: true },
  },
  work_calendar_day: { day: { type: 'date' }, workday: { type: 'bool' }, name: textDefault, updated_by: int8Null, updated_at: now },
  case_category: {
    code: text, parent_code: textNull, name: text, kind: text, default_tier: textDefault, department_kind: textNull,
    accept_days: { type: 'int4', default: true }, handle_days: { type: 'int4', default: true }, verify_days: { type: 'int4', default: true }, report_in_days: { type: 'int4', default: true }, respond_days: { type: 'int4', default: true },
    camera_events: { type: '_text', default: true }, open311: { type: 'bool', default: true }, keywords: { type: '_text', default: true }, sort_order: { type: 'int4', default: true }, active: { type: 'bool', default: true },
    property_class: { type: 'bool', default: true },
  },
  case_category_attribute: {
    category_code: text, code: text, datatype: text, required: { type: 'bool', default: true }, description: text, sort_order: { type: 'int4', default: true }, values_json: jsonbObj,
  },
  case_policy: {
    id: { type: 'int4', default: true }, yellow_after_days: { type: 'int4', default: true }, red_after_days: { type: 'int4', default: true }, rating_window_days: { type: 'int4', default: true }, unrated_policy: textDefault,
    duplicate_radius_m: { type: 'int4', default: true }, duplicate_window_hours: { type: 'int4', default: true }, updated_by: int8Null, updated_at: now,
  },
  case_api_key: { key_hash: text, kind: text, name: text, jurisdiction_code: text, created_at: now, revoked_at: tsNull },
  case_state: { code: text, name: text, terminal: { type: 'bool', default: true }, open311: text, sort_order: { type: 'int4', default: true } },
  case_transition: { from_state: text, action: text, to_state: text, actor: text, name: text },
  civic_case: {
    id: int8Id, service_no: text, channel: text, category_code: text, description: text, address: textDefault,
    location: { type: 'geometry', nullable: true }, territory_path: { type: 'ltree' }, street_code: text, community_code: textNull,
    grid_code: textNull, micro_grid_code: textNull, photos: jsonbObj, result_photos: jsonbObj, attributes: jsonbObj, external_id: textNull,
    reporter_user_id: int8Null, reporter_name: textNull, reporter_phone: textNull, state: textDefault, handler_tier: text, handler_code: text,
    assigned_by_tier: textNull, assigned_by_code: textNull, merged_into: int8Null, duplicate_of_hint: int8Null,
    reported_at: now, step_started_at: now, step_deadline: { type: 'timestamptz' }, accept_deadline: { type: 'timestamptz' }, handle_deadline: tsNull,
    extended_days: { type: 'int4', default: true }, card: textDefault, accepted_at: tsNull, responded_at: tsNull, resolved_at: tsNull, closed_at: tsNull,
    satisfaction: textNull, closed_unrated: { type: 'bool', default: true }, reopen_count: { type: 'int4', default: true }, rated_by: int8Null, rating_comment: textNull,
    created_at: now, updated_at: now,
  },
  civic_case_step: {
    id: int8Id, case_id: { type: 'int8' }, action: text, from_state: textNull, to_state: text, actor_id: int8Null, actor_kind: text,
    actor_org: textDefault, tier_from: textNull, tier_to: textNull, handler_to: textNull, target: textNull, note: textNull, photos: jsonbObj,
    deadline: tsNull, at: now,
  },
  case_whistle: {
    id: int8Id, case_id: { type: 'int8' }, department_code: text, blown_by: int8Null, blown_at: now, report_in_deadline: { type: 'timestamptz' },
    reported_in_at: tsNull, reported_in_by: int8Null, respond_deadline: { type: 'timestamptz' }, responded_at: tsNull, responded_by: int8Null,
    response: textNull, card: textDefault,
  },
  case_consultation: {
    id: int8Id, case_id: { type: 'int8' }, convened_by: int8Null, held_at: { type: 'timestamptz' }, participants: { type: '_text' }, conclusion: text, created_at: now,
  },
  case_extension: {
    id: int8Id, case_id: { type: 'int8' }, days: { type: 'int4' }, reason: text, requested_by: int8Null, requested_at: now, decision: textNull,
    decided_by: int8Null, decided_at: tsNull, decision_note: textNull,
  },
  case_card: {
    id: int8Id, case_id: { type: 'int8' }, whistle_id: int8Null, color: text, step_state: text, deadline: tsNull, raised_by: int8Null, note: textNull, at: now,
  },
  case_follow: { case_id: { type: 'int8' }, user_id: { type: 'int8' }, at: now },
} as const satisfies Record<string, Record<string, Spec>>;

type TsOf<T extends PgType> =
  T extends 'text' | 'ltree' | 'uuid' | 'xid8' ? string
  : T extends 'bytea' ? Uint8Array
  : T extends 'int2' | 'int4' | 'int8' | 'numeric' ? number
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
