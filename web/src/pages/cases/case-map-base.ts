// Leaflet set-up shared by the case maps: the tile layer when LINLI_TILE_URL is configured (none otherwise — the maps
// draw the territory and the cases on a plain background), and the WGS-84 → GCJ-02 shift for Chinese tile servers.
import L from 'leaflet';
import gcoord from 'gcoord';
import 'leaflet/dist/leaflet.css';
import type { AppConfig } from '../../types';

const shifted = (config: AppConfig | null) => Boolean(config?.tileUrl && config.tileCrs === 'gcj02');

/** A WGS-84 point as the map shows it. */
export function screenPoint(lng: number, lat: number, config: AppConfig | null): L.LatLngTuple {
  if (!shifted(config)) return [lat, lng];
  const [x, y] = gcoord.transform([lng, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [y, x];
}

/** A point clicked on the map, back in WGS-84 (6 decimals). */
export function storedPoint(latlng: L.LatLng, config: AppConfig | null): { lng: number; lat: number } {
  const [lng, lat] = shifted(config) ? (gcoord.transform([latlng.lng, latlng.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]) : [latlng.lng, latlng.lat];
  return { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
}

/** GeoJSON as the map shows it. */
export function screenGeo<G extends GeoJSON.GeoJSON>(geojson: G, config: AppConfig | null): G {
  return shifted(config) ? (gcoord.transform(structuredClone(geojson) as never, gcoord.WGS84, gcoord.GCJ02) as G) : geojson;
}

/** The map's bounds in WGS-84 as `minLng,minLat,maxLng,maxLat`. */
export function wgsBounds(map: L.Map, config: AppConfig | null): [number, number, number, number] {
  const b = map.getBounds();
  const sw = storedPoint(b.getSouthWest(), config);
  const ne = storedPoint(b.getNorthEast(), config);
  return [sw.lng, sw.lat, ne.lng, ne.lat];
}

/** A map in `container`, with the configured tiles or a note that there are none. */
export function createMap(container: HTMLElement, config: AppConfig, noTilesNote: string, options: L.MapOptions = {}): L.Map {
  const map = L.map(container, { center: [30.2, 120.2], zoom: 14, ...options });
  map.attributionControl.setPrefix(false);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution ?? '', maxZoom: 20, subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'] }).addTo(map);
  } else {
    map.attributionControl.addAttribution(noTilesNote);
  }
  return map;
}

/** A pane for the areas' name labels under the case markers and points (Leaflet's tooltips sit above everything). */
export function areaLabelPane(map: L.Map): string {
  const name = 'linliAreaLabels';
  if (!map.getPane(name)) {
    const pane = map.createPane(name);
    pane.style.zIndex = '390';
    pane.style.pointerEvents = 'none';
  }
  return name;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
