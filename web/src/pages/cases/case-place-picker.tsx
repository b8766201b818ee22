// The point of a case: the worker's area (its grids drawn) on a map, a click sets the point, and the grid it falls in
// is named at once (GET /territory/locate) so that the worker sees where the case will be routed before filing it.
import { useEffect, useRef, useState } from 'react';
import { Alert, Button, Space, Typography } from 'antd';
import L from 'leaflet';
import { api } from '../../api';
import { loadConfig } from '../../config';
import type { AppConfig, LocateResult } from '../../types';
import { areaLabelPane, createMap, screenGeo, screenPoint, storedPoint } from './case-map-base';

export interface Point { lng: number; lat: number }

const AREA_KINDS = new Set(['street', 'community', 'grid', 'micro_grid']);

/** Form control: `value` is the picked WGS-84 point; `scopeCode` is the area drawn and first shown. */
export function CasePlacePicker({ value, onChange, scopeCode, onLocated }: {
  value?: Point | null;
  onChange?: (value: Point | null) => void;
  scopeCode?: string;
  onLocated?: (result: LocateResult | null) => void;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [located, setLocated] = useState<LocateResult | null>(null);
  const [locating, setLocating] = useState(false);
  const callbacks = useRef({ onChange, onLocated, config });
  callbacks.current = { onChange, onLocated, config };

  useEffect(() => { void loadConfig().then(setConfig); }, []);

  useEffect(() => {
    if (!containerRef.current || !config) return;
    const map = createMap(containerRef.current, config, '无底图 · 点击地图标出问题位置');
    L.control.scale({ imperial: false }).addTo(map);
    map.on('click', (e: L.LeafletMouseEvent) => callbacks.current.onChange?.(storedPoint(e.latlng, callbacks.current.config)));
    mapRef.current = map;
    return () => { map.remove(); mapRef.current = null; markerRef.current = null; };
  }, [config]);

  // the area and its grids, the view fitted to them
  useEffect(() => {
    const map = mapRef.current;
    if (!map || !scopeCode || !config) return;
    let cancelled = false;
    let layer: L.GeoJSON | null = null;
    api.get<GeoJSON.FeatureCollection<GeoJSON.Geometry | null, { code: string; name: string; kind: string; role: string }>>(
      `/territory/nodes/${encodeURIComponent(scopeCode)}/map`,
    ).then((fc) => {
      if (cancelled || !mapRef.current) return;
      const features = fc.features.filter((f) => f.geometry && AREA_KINDS.has(f.properties.kind));
      layer = L.geoJSON(screenGeo({ ...fc, features } as GeoJSON.FeatureCollection, config), {
        interactive: false,
        style: (f) => (f?.properties.role === 'self'
          ? { color: '#c8161e', weight: 2, fillOpacity: 0.02, dashArray: '6 4' }
          : { color: '#1677ff', weight: 1, fillColor: '#1677ff', fillOpacity: 0.04 }),
        onEachFeature: (f, l) => {
          if (f.properties.role !== 'self') l.bindTooltip(f.properties.name, { permanent: features.length <= 40, direction: 'center', className: 'linli-map-label', pane: areaLabelPane(map) });
        },
      }).addTo(map);
      if (!value && layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    }).catch(() => undefined);
    return () => { cancelled = true; layer?.remove(); };
    // the view follows the area, not every click
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [scopeCode, config]);

  // the picked point, and the grid it lies in
  useEffect(() => {
    const map = mapRef.current;
    markerRef.current?.remove();
    markerRef.current = null;
    if (!value) { setLocated(null); callbacks.current.onLocated?.(null); return; }
    if (map) {
      markerRef.current = L.circleMarker(screenPoint(value.lng, value.lat, config), { radius: 8, color: '#fff', weight: 2, fillColor: '#c8161e', fillOpacity: 1 }).addTo(map);
      if (!map.getBounds().contains(markerRef.current.getLatLng())) map.panTo(markerRef.current.getLatLng());
    }
    let cancelled = false;
    setLocating(true);
    api.get<LocateResult>('/territory/locate', { lng: value.lng, lat: value.lat })
      .then((r) => { if (!cancelled) { setLocated(r); callbacks.current.onLocated?.(r); } })
      .catch(() => { if (!cancelled) { setLocated(null); callbacks.current.onLocated?.(null); } })
      .finally(() => { if (!cancelled) setLocating(false); });
    return () => { cancelled = true; };
  }, [value, config]);

  const where = located && [located.street, located.community, located.grid, located.microGrid].filter(Boolean).map((n) => n!.name).join(' / ');
  return (
    <div data-testid="case-place-picker">
      <div ref={containerRef} className="linli-map" style={{ height: 320 }} />
      <Space style={{ marginTop: 4 }} wrap>
        <Typography.Text type="secondary" data-testid="case-place-coordinates">
          {value ? `经度 ${value.lng.toFixed(6)}，纬度 ${value.lat.toFixed(6)}` : '请在地图上点击问题所在位置'}
        </Typography.Text>
        {value && <Button size="small" type="link" onClick={() => onChange?.(null)}>清除</Button>}
      </Space>
      {value && !locating && (
        located?.microGrid || located?.grid
          ? <Alert type="success" showIcon style={{ marginTop: 6 }} title={`位于：${where}`} data-testid="case-place-located" />
          : <Alert type="warning" showIcon style={{ marginTop: 6 }} title="这个位置不在任何网格内，请在网格范围内重新点选" />
      )}
    </div>
  );
}
