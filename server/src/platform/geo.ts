/** GeoJSON checks before PostGIS sees a geometry, and WGS-84 → GCJ-02 for 高德/腾讯 tiles. */
import gcoordModule from 'gcoord';

const gcoord = gcoordModule as unknown as {
  transform<T>(input: T, from: string, to: string): T; WGS84: string; GCJ02: string;
};
import { invalid } from './errors.js';

type Position = [number, number];

function checkPosition(field: string, p: unknown): asserts p is Position {
  if (!Array.isArray(p) || p.length < 2 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
    throw invalid(field, '坐标必须是 [经度, 纬度] 数字对', 'positions must be [lng, lat] numbers');
  }
  const [lng, lat] = p as number[];
  if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) throw invalid(field, '坐标超出经纬度范围', 'position out of range');
}

function checkRing(field: string, ring: unknown, index: number): void {
  if (!Array.isArray(ring)) throw invalid(field, '多边形的环必须是坐标数组', 'ring must be an array');
  ring.forEach((p) => checkPosition(field, p));
  const positions = ring as Position[];
  if (positions.length < 4) throw invalid(field, `第 ${index + 1} 个环至少需要 4 个坐标点`, 'a ring needs at least 4 positions');
  const first = positions[0]!, last = positions[positions.length - 1]!;
  if (first[0] !== last[0] || first[1] !== last[1]) {
    throw invalid(field, `多边形未闭合：第 ${index + 1} 个环的首尾坐标不一致`, 'polygon ring is not closed');
  }
}

/** Structural checks of a Polygon/MultiPolygon; PostGIS validity (self-intersection) is checked by the caller. */
export function checkPolygonGeoJson(field: string, geometry: { type: string; coordinates: unknown }): void {
  if (geometry.type === 'Polygon') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) throw invalid(field, '多边形没有坐标', 'empty polygon');
    geometry.coordinates.forEach((ring, i) => checkRing(field, ring, i));
  } else if (geometry.type === 'MultiPolygon') {
    if (!Array.isArray(geometry.coordinates) || geometry.coordinates.length === 0) throw invalid(field, '多边形没有坐标', 'empty polygon');
    for (const polygon of geometry.coordinates as unknown[]) {
      if (!Array.isArray(polygon) || polygon.length === 0) throw invalid(field, '多边形没有坐标', 'empty polygon');
      polygon.forEach((ring, i) => checkRing(field, ring, i));
    }
  } else {
    throw invalid(field, '边界只支持 Polygon 或 MultiPolygon', 'boundary must be a Polygon or MultiPolygon');
  }
}

export function checkPointGeoJson(field: string, geometry: { type: string; coordinates: unknown }): void {
  if (geometry.type !== 'Point') throw invalid(field, '位置必须是 Point', 'location must be a Point');
  checkPosition(field, geometry.coordinates);
}

/** Converts any GeoJSON object from WGS-84 to GCJ-02 (for drawing on 高德/腾讯 tiles only). */
export function toGcj02<T>(geojson: T): T {
  return gcoord.transform(structuredClone(geojson) as never, gcoord.WGS84, gcoord.GCJ02) as T;
}

export function fromGcj02(lng: number, lat: number): [number, number] {
  return gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
}
