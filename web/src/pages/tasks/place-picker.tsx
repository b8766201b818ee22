// A small Leaflet map to pick a task's place: click to set the point, the coordinates shown read-only. The map
// shows the publishing scope's outline and starts at its centre (GET /territory/nodes/{code}); no tile server
// needed (like the territory map); with GCJ-02 tiles the data is shifted for display and clicks shifted back.
import { useEffect, useRef, useState } from 'react';
import { Button, Space, Typography } from 'antd';
import L from 'leaflet';
import gcoord from 'gcoord';
import 'leaflet/dist/leaflet.css';
import { api } from '../../api';
import { loadConfig } from '../../config';
import type { AppConfig } from '../../types';

export interface Place { lng: number; lat: number }

interface ScopeNode { code: string; name: string; boundary: GeoJSON.Geometry | null; location: GeoJSON.Geometry | null }

const toScreen = (config: AppConfig | null) => Boolean(config?.tileUrl && config.tileCrs === 'gcj02');

function shown<G extends GeoJSON.GeoJSON>(geojson: G, config: AppConfig | null): G {
  return toScreen(config) ? (gcoord.transform(structuredClone(geojson) as never, gcoord.WGS84, gcoord.GCJ02) as G) : geojson;
}

function shownPoint(p: Place, config: AppConfig | null): L.LatLngExpression {
  if (!toScreen(config)) return [p.lat, p.lng];
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lat, lng];
}

function storedPoint(latlng: L.LatLng, config: AppConfig | null): Place {
  const [lng, lat] = toScreen(config) ? (gcoord.transform([latlng.lng, latlng.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]) : [latlng.lng, latlng.lat];
  return { lng: Math.round(lng * 1e6) / 1e6, lat: Math.round(lat * 1e6) / 1e6 };
}

/** Form control: `value` is the picked point (WGS-84) or null; `scopeCode` centres the map. */
export function PlacePicker({ value, onChange, scopeCode }: { value?: Place | null; onChange?: (value: Place | null) => void; scopeCode?: string }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const scopeLayerRef = useRef<L.Layer | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const configRef = useRef<AppConfig | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  useEffect(() => {
    loadConfig().then((c) => { configRef.current = c; setConfig(c); }).catch(() => setConfig({ tileUrl: null, tileCrs: 'wgs84', tileAttribution: null, demoMode: false }));
  }, []);

  useEffect(() => {
    if (!containerRef.current || !config) return;
    const map = L.map(containerRef.current, { center: [30.2, 120.2], zoom: 14 });
    map.attributionControl.setPrefix(false);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution ?? '', maxZoom: 20, subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'] }).addTo(map);
    } else {
      map.attributionControl.addAttribution('无底图 · 点击地图选择地点');
    }
    map.on('click', (e: L.LeafletMouseEvent) => onChangeRef.current?.(storedPoint(e.latlng, configRef.current)));
    mapRef.current = map;
    // inside a modal the container gets its size after the opening animation
    const timer = setTimeout(() => map.invalidateSize(), 300);
    return () => {
      clearTimeout(timer);
      map.remove();
      mapRef.current = null;
      scopeLayerRef.current = null;
      markerRef.current = null;
    };
  }, [config]);

  // the scope's outline, and the view at its centre (or at the picked point)
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !scopeCode) return;
    let cancelled = false;
    api.get<ScopeNode>(`/territory/nodes/${encodeURIComponent(scopeCode)}`).then((node) => {
      if (cancelled || !mapRef.current) return;
      scopeLayerRef.current?.remove();
      scopeLayerRef.current = null;
      if (node.boundary) {
        const layer = L.geoJSON(shown(node.boundary, config), {
          style: { color: '#c8161e', weight: 2, fillColor: '#c8161e', fillOpacity: 0.03, dashArray: '6 4' }, interactive: false,
        }).bindTooltip(node.name, { sticky: true }).addTo(map);
        scopeLayerRef.current = layer;
        if (!value) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
      } else if (node.location && node.location.type === 'Point' && !value) {
        const [lng, lat] = node.location.coordinates as [number, number];
        map.setView(shownPoint({ lng, lat }, config), 15);
      }
    }).catch(() => undefined);
    return () => { cancelled = true; };
    // the view follows the scope, not every click
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scopeCode, config]);

  // the picked point
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = null;
    if (value) {
      markerRef.current = L.circleMarker(shownPoint(value, config), { radius: 8, color: '#fff', weight: 2, fillColor: '#c8161e', fillOpacity: 1 }).addTo(map);
      if (!map.getBounds().contains(markerRef.current.getLatLng())) map.panTo(markerRef.current.getLatLng());
    }
  }, [value, config]);

  return (
    <div data-testid="place-picker">
      <div ref={containerRef} className="linli-map" style={{ height: 240 }} />
      <Space style={{ marginTop: 4 }}>
        <Typography.Text type="secondary" data-testid="place-coordinates">
          {value ? `经度 ${value.lng.toFixed(6)}，纬度 ${value.lat.toFixed(6)}` : '未选地点（点击地图选择；不选则按发布范围匹配）'}
        </Typography.Text>
        {value && <Button size="small" type="link" onClick={() => onChange?.(null)}>清除</Button>}
      </Space>
    </div>
  );
}
