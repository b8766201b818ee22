/** Persons, households and residence records: ID numbers, mobiles, ages, family make-up, moving in and out. */
import { makeIdNumber, sequenceFor } from '../platform/idcard.js';
import { makePersonName } from './names.js';
import { Rng, Weighted } from './prng.js';

/** Fixed reference date for ages and moving dates ("today" of the demo data). */
export const REFERENCE_DATE = '2026-11-01';
const DAY_MS = 86_400_000;
export const REF_DAY = Date.UTC(2026, 10, 1) / DAY_MS;

const isoCache = new Map<number, string>();
/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function dayToIso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    isoCache.set(day, s);
  }
  return s;
}
export function isoToDay(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153', '155', '156', '157',
  '158', '159', '170', '173', '176', '177', '178', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189',
  '191', '193', '195', '196', '197', '198', '199',
];

export type Relation = 'owner' | 'tenant' | 'family' | 'registered' | 'floating';

/** Column buffers for the three people tables (ids assigned here, inserted with OVERRIDING SYSTEM VALUE). */
export class PeopleBuffers {
  person = { id: [] as number[], name: [] as string[], py: [] as string[], ini: [] as string[], gender: [] as string[], birth: [] as string[], idno: [] as string[], mobile: [] as (string | null)[] };
  household = { id: [] as number[], room: [] as string[], head: [] as number[], kind: [] as string[], registry: [] as (string | null)[] };
  residence = { id: [] as number[], person: [] as number[], room: [] as string[], household: [] as (number | null)[], relation: [] as string[], movedIn: [] as string[], movedOut: [] as (string | null)[] };
  clear() {
    for (const group of [this.person, this.household, this.residence]) for (const col of Object.values(group)) (col as unknown[]).length = 0;
  }
  get size() {
    return this.person.id.length + this.household.id.length + this.residence.id.length;
  }
}

interface Member {
  id: number;
  gender: 'M' | 'F';
  age: number;
  birthDay: number;
  relation: Relation;
  local: boolean;
  mobile: string | null;
}

/** A current resident as generated: what the archive part of the seed needs to draw tags, members and posts. */
export interface PersonRecord {
  id: number; name: string; gender: 'M' | 'F'; age: number; birthDay: number; mobile: string | null; relation: Relation; household: number;
}

export class PeopleGenerator {
  nextPersonId = 1;
  nextHouseholdId = 1;
  nextResidenceId = 1;
  counts = { person: 0, household: 0, residence: 0 };
  private readonly usedIds = new Set<string>();
  private readonly hangzhou: Weighted<string>;
  private readonly zhejiang = ['330206', '330212', '330302', '330304', '330402', '330502', '330602', '330603', '330702', '330782', '330802', '330902', '331002', '331102'];

  constructor(
    readonly out: PeopleBuffers,
    hangzhouAreas: string[],
    private readonly floating: string[],
  ) {
    this.hangzhou = new Weighted(hangzhouAreas, hangzhouAreas.map(() => 1));
  }

  private areaFor(rng: Rng, local: boolean, homeDistrict: string): string {
    if (local) return rng.chance(0.55) ? homeDistrict : this.hangzhou.draw(rng);
    return rng.chance(0.2) ? rng.pick(this.zhejiang) : rng.pick(this.floating);
  }

  /** Adds a person and returns it. */
  private person(rng: Rng, gender: 'M' | 'F', age: number, area: string, surname?: string): Member & { name: string } {
    const birthDay = Math.min(REF_DAY - 1, Math.round(REF_DAY - age * 365.2425 - rng.int(0, 364)));
    const birth = dayToIso(birthDay);
    const realAge = ageOn(birthDay);
    const { name, pinyin, initials } = makePersonName(rng, gender, Number(birth.slice(0, 4)), surname);
    const date = birth.replace(/-/g, '');
    let n = rng.int(0, 499);
    let idno = makeIdNumber({ area, birthDate: date, sequence: sequenceFor(gender, n) });
    while (this.usedIds.has(idno.slice(0, 17))) {
      n = (n + 1) % 500;
      idno = makeIdNumber({ area, birthDate: date, sequence: sequenceFor(gender, n) });
    }
    this.usedIds.add(idno.slice(0, 17));
    let mobile: string | null = null;
    if (realAge >= 12 && !(realAge >= 80 && rng.chance(0.5))) {
      mobile = rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
    }
    const id = this.nextPersonId++;
    const p = this.out.person;
    p.id.push(id); p.name.push(name); p.py.push(pinyin); p.ini.push(initials); p.gender.push(gender);
    p.birth.push(birth); p.idno.push(idno); p.mobile.push(mobile);
    this.counts.person++;
    return { id, gender, age: realAge, birthDay, relation: 'family', local: true, name, mobile };
  }

  private residence(personId: number, room: string, household: number | null, relation: Relation, movedIn: number, movedOut: number | null) {
    const r = this.out.residence;
    r.id.push(this.nextResidenceId++); r.person.push(personId); r.room.push(room); r.household.push(household);
    r.relation.push(relation); r.movedIn.push(dayToIso(movedIn)); r.movedOut.push(movedOut === null ? null : dayToIso(movedOut));
    this.counts.residence++;
  }

  /**
   * One household in a room: its members, relations and moving-in dates. `builtYear` bounds when owners moved in.
   * Returns the members (for picking demo accounts).
   */
  household(rng: Rng, room: string, homeDistrict: string, builtYear: number, rented: boolean): PersonRecord[] {
    const members: (Member & { name: string })[] = [];
    const add = (gender: 'M' | 'F', age: number, local: boolean, relation: Relation, surname?: string) => {
      const m = this.person(rng, gender, Math.max(0, Math.min(98, age)), this.areaFor(rng, local, homeDistrict), surname);
      m.relation = relation;
      m.local = local;
      members.push(m);
      return m;
    };
    const other = (g: 'M' | 'F'): 'M' | 'F' => (g === 'M' ? 'F' : 'M');
    let movedIn: number;
    if (!rented) {
      const size = 1 + rng.weightedIndex([0.25, 0.33, 0.25, 0.11, 0.06]);
      const local = rng.chance(0.8);
      const headGender: 'M' | 'F' = rng.chance(size === 1 ? 0.45 : 0.62) ? 'M' : 'F';
      let headAge: number;
      if (size === 1) headAge = rng.chance(0.4) ? rng.int(65, 90) : rng.int(23, 64);
      else if (size === 2) headAge = rng.chance(0.45) ? rng.int(58, 86) : rng.int(25, 57);
      else if (size === 5) headAge = rng.int(30, 50);
      else headAge = rng.int(28, 62);
      const head = add(headGender, headAge, local, 'owner');
      const earliest = Math.max(Date.UTC(builtYear, rng.int(0, 11), 1) / DAY_MS, head.birthDay + 22 * 365);
      movedIn = earliest >= REF_DAY - 30 ? REF_DAY - rng.int(7, 30) : rng.int(earliest, REF_DAY - 30);
      let father = headGender === 'M' ? head : undefined;
      if (size >= 2) {
        const parentChild = size === 2 && headAge >= 45 && rng.chance(0.2);
        if (parentChild) {
          add(rng.chance(0.5) ? 'M' : 'F', headAge - rng.int(22, 34), local, 'family', rng.chance(0.8) ? surnameOf(head.name) : undefined);
        } else {
          const spouse = add(other(headGender), headAge + rng.int(-5, 5), rng.chance(0.85) ? local : !local, rng.chance(0.3) ? 'owner' : 'family');
          if (!father) father = spouse;
        }
      }
      const familySurname = father ? surnameOf(father.name) : undefined;
      const children = size === 3 ? 1 : size === 4 ? (rng.chance(0.5) ? 2 : 1) : size === 5 ? 1 : 0;
      for (let i = 0; i < children; i++) {
        const childAge = Math.max(0, headAge - rng.int(24, 36) - i * rng.int(2, 6));
        add(rng.chance(0.52) ? 'M' : 'F', childAge, true, 'family', familySurname);
      }
      const grandparents = size - Math.min(size, 2 + children);
      for (let i = 0; i < grandparents; i++) {
        const g: 'M' | 'F' = grandparents === 2 ? (i === 0 ? 'M' : 'F') : rng.chance(0.4) ? 'M' : 'F';
        add(g, Math.min(95, headAge + rng.int(24, 32)), local, 'family', g === 'M' && head.gender === 'M' ? familySurname : undefined);
      }
      // an adult child registered here (户籍在此) but the record says so, not a silent field
      if (members.length >= 3 && rng.chance(0.12)) {
        const adult = members.find((m) => m.relation === 'family' && m.age >= 18 && m.age < headAge - 15);
        if (adult) adult.relation = 'registered';
      }
    } else {
      const size = 1 + rng.weightedIndex([0.45, 0.35, 0.15, 0.05]);
      const headLocal = rng.chance(0.25);
      const head = add(rng.chance(0.55) ? 'M' : 'F', rng.int(20, 50), headLocal, 'tenant');
      movedIn = REF_DAY - rng.int(7, 4 * 365);
      const couple = size >= 2 && rng.chance(0.6);
      for (let i = 1; i < size; i++) {
        const local = rng.chance(0.25);
        if (i === 1 && couple) add(other(head.gender), head.age + rng.int(-4, 4), local, local ? 'tenant' : 'floating');
        else if (couple && head.age >= 27 && i === 2) add(rng.chance(0.5) ? 'M' : 'F', rng.int(0, Math.min(12, head.age - 22)), headLocal, headLocal ? 'tenant' : 'floating', head.gender === 'M' ? surnameOf(head.name) : undefined);
        else add(rng.chance(0.5) ? 'M' : 'F', rng.int(20, 40), local, local ? 'tenant' : 'floating');
      }
      // the previous tenant: a closed residence record (moving out is a dated record, never an overwrite)
      if (rng.chance(0.15)) {
        const prev = this.person(rng, rng.chance(0.5) ? 'M' : 'F', rng.int(22, 45), this.areaFor(rng, false, homeDistrict));
        const out = movedIn - rng.int(1, 60);
        this.residence(prev.id, room, null, 'floating', out - rng.int(180, 3 * 365), out);
      }
    }
    const householdId = this.nextHouseholdId++;
    const h = this.out.household;
    h.id.push(householdId); h.room.push(room); h.head.push(members[0]!.id); h.kind.push(rented ? 'rented' : 'resident'); h.registry.push(null);
    this.counts.household++;
    for (const m of members) this.residence(m.id, room, householdId, m.relation, Math.max(movedIn, m.birthDay), null);
    return members.map((m) => ({ id: m.id, name: m.name, gender: m.gender, age: m.age, birthDay: m.birthDay, mobile: m.mobile, relation: m.relation, household: householdId }));
  }

  /** Sets the registry household number (户号) of the household generated last. */
  setRegistryNo(no: string) {
    const r = this.out.household.registry;
    r[r.length - 1] = no;
  }
}

function ageOn(birthDay: number): number {
  const b = dayToIso(birthDay);
  const by = Number(b.slice(0, 4));
  const md = b.slice(5);
  return 2026 - by - (md > '11-01' ? 1 : 0);
}

function surnameOf(name: string): string {
  for (const two of ['欧阳', '司马', '诸葛', '上官', '司徒']) if (name.startsWith(two)) return two;
  return name.slice(0, 1);
}
