/**
 * Plausible, non-overlapping territory polygons (WGS-84 lng/lat). Every area is a convex quadrilateral; its
 * children are made by cutting it into strips and each strip into cells along straight lines whose end points
 * lie on the parent's edges, so the children tile the parent exactly (up to 1e-7° rounding), neighbours share
 * identical edges and every piece stays convex (hence valid).
 */
import type { Rng } from './prng.js';

export type Pt = readonly [number, number];
/** Corners counter-clockwise: south-west, south-east, north-east, north-west. */
export type Quad = readonly [Pt, Pt, Pt, Pt];

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
export const roundPt = (p: Pt): Pt => [round7(p[0]), round7(p[1])];
const lerp = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

export function rect(w: number, s: number, e: number, n: number): Quad {
  return [[w, s], [e, s], [e, n], [w, n]];
}

/** Bilinear point of a quad at (u along south/north edges, v from south to north). */
export function bilinear(q: Quad, u: number, v: number): Pt {
  return lerp(lerp(q[0], q[1], u), lerp(q[3], q[2], u), v);
}

export function centroid(q: Quad): Pt {
  return roundPt([(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4]);
}

/** Approximate width/height in kilometres (for choosing how to cut). */
function extentKm(q: Quad): [number, number] {
  const kx = 111.32 * Math.cos((q[0][1] * Math.PI) / 180);
  const w = (Math.hypot(q[1][0] - q[0][0], q[1][1] - q[0][1]) + Math.hypot(q[2][0] - q[3][0], q[2][1] - q[3][1])) / 2;
  const h = (Math.hypot(q[3][0] - q[0][0], q[3][1] - q[0][1]) + Math.hypot(q[2][0] - q[1][0], q[2][1] - q[1][1])) / 2;
  return [w * kx, h * 110.57];
}

/** n cut fractions 0 < f1 < … < f(n-1) < 1 around the even ones, jittered by up to `jitter` of a step. */
function fractions(rng: Rng, n: number, jitter: number): number[] {
  const out = [0];
  for (let i = 1; i < n; i++) out.push((i + rng.range(-jitter, jitter)) / n);
  out.push(1);
  return out;
}

/**
 * Cuts a convex quad into n convex quads (rows of cells, serpentine order so consecutive children are
 * neighbours). Corner points are rounded to 1e-7°, and shared edges use the very same points.
 */
export function subdivide(rng: Rng, q: Quad, n: number, jitter = 0.3): Quad[] {
  if (n <= 1) return [q.map(roundPt) as unknown as Quad];
  const [wKm, hKm] = extentKm(q);
  const rows = Math.max(1, Math.min(n, Math.round(Math.sqrt((n * hKm) / Math.max(wKm, 1e-9)))));
  const perRow: number[] = [];
  for (let r = 0; r < rows; r++) perRow.push(Math.floor(n / rows) + (r < n % rows ? 1 : 0));
  const fl = fractions(rng, rows, jitter);
  const fr = fractions(rng, rows, jitter);
  const left: Pt[] = fl.map((t) => roundPt(lerp(q[0], q[3], t)));
  const right: Pt[] = fr.map((t) => roundPt(lerp(q[1], q[2], t)));
  left[0] = roundPt(q[0]); right[0] = roundPt(q[1]); left[rows] = roundPt(q[3]); right[rows] = roundPt(q[2]);
  // points along each strip boundary line: boundary i is cut at the fractions of the row below and of the row above.
  const out: Quad[] = [];
  for (let r = 0; r < rows; r++) {
    const k = perRow[r]!;
    const fb = fractions(rng, k, jitter);
    const ft = fractions(rng, k, jitter);
    const bottom = fb.map((t, i) => (i === 0 ? left[r]! : i === k ? right[r]! : roundPt(lerp(left[r]!, right[r]!, t))));
    const top = ft.map((t, i) => (i === 0 ? left[r + 1]! : i === k ? right[r + 1]! : roundPt(lerp(left[r + 1]!, right[r + 1]!, t))));
    const cells: Quad[] = [];
    for (let c = 0; c < k; c++) cells.push([bottom[c]!, bottom[c + 1]!, top[c + 1]!, top[c]!]);
    if (r % 2 === 1) cells.reverse();
    out.push(...cells);
  }
  return out;
}

/** The quad shrunk towards its centre by `factor` (< 1): strictly inside a convex quad. */
export function shrink(q: Quad, factor: number): Quad {
  const c: Pt = [(q[0][0] + q[1][0] + q[2][0] + q[3][0]) / 4, (q[0][1] + q[1][1] + q[2][1] + q[3][1]) / 4];
  return q.map((p) => roundPt([c[0] + (p[0] - c[0]) * factor, c[1] + (p[1] - c[1]) * factor])) as unknown as Quad;
}

/** A sub-quad of a quad given parameter ranges (a convex combination of the corners: stays inside a convex quad). */
export function subQuad(q: Quad, u0: number, u1: number, v0: number, v1: number): Quad {
  return [bilinear(q, u0, v0), bilinear(q, u1, v0), bilinear(q, u1, v1), bilinear(q, u0, v1)].map(roundPt) as unknown as Quad;
}

/** Signed margin of a point inside a convex CCW quad: > 0 inside (min distance-ish to an edge, in degrees). */
export function insideMargin(q: Quad, p: Pt): number {
  let m = Infinity;
  for (let i = 0; i < 4; i++) {
    const a = q[i]!;
    const b = q[(i + 1) % 4]!;
    const ex = b[0] - a[0];
    const ey = b[1] - a[1];
    const len = Math.hypot(ex, ey) || 1e-12;
    const cross = (ex * (p[1] - a[1]) - ey * (p[0] - a[0])) / len;
    if (cross < m) m = cross;
  }
  return m;
}

const fmt = (v: number) => String(round7(v));

export function quadWkt(q: Quad): string {
  const ring = [...q, q[0]].map((p) => `${fmt(p[0])} ${fmt(p[1])}`).join(',');
  return `SRID=4326;MULTIPOLYGON(((${ring})))`;
}

export function pointWkt(p: Pt): string {
  return `SRID=4326;POINT(${fmt(p[0])} ${fmt(p[1])})`;
}
