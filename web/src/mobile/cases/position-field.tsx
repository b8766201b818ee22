// Where the problem is: the phone's position first (navigator.geolocation, WGS-84); when the phone cannot tell
// (no permission, indoors, desktop browser) a small Leaflet map of the caller's area to tap the spot on. The map
// draws the caller's area and its grids (GET /territory/nodes/{code}/map) for staff who may read the territory;
// a resident's map draws the community they live in (GET /cases/home-area). No tile server is needed; with GCJ-02 tiles the data
// is shifted for display and the tap shifted back.
import { useEffect, useRef, useState } from 'react';
import { Button, Space } from 'antd-mobile';
import L from 'leaflet';
import gcoord from 'gcoord';
import 'leaflet/dist/leaflet.css';
import { api } from '../../api';
import { loadConfig } from '../../config';
import type { AppConfig } from '../../types';

export interface Position { lng: number; lat: number; accuracy?: number; source: 'gps' | 'map' }

const LAST_KEY = 'linli.cases.lastPosition';
const HANGZHOU: L.LatLngTuple = [30.21, 120.21];

const gcj = (config: AppConfig | null) => Boolean(config?.tileUrl && config.tileCrs === 'gcj02');
const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function toMap(p: { lng: number; lat: number }, config: AppConfig | null): L.LatLngTuple {
  if (!gcj(config)) return [p.lat, p.lng];
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
  return [lat, lng];
}

function fromMap(latlng: L.LatLng, config: AppConfig | null): { lng: number; lat: number } {
  const [lng, lat] = gcj(config) ? (gcoord.transform([latlng.lng, latlng.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number]) : [latlng.lng, latlng.lat];
  return { lng: round6(lng), lat: round6(lat) };
}

function lastPosition(): { lng: number; lat: number } | null {
  try {
    const v = JSON.parse(localStorage.getItem(LAST_KEY) ?? 'null') as { lng: number; lat: number } | null;
    return v && Number.isFinite(v.lng) && Number.isFinite(v.lat) ? v : null;
  } catch {
    return null;
  }
}

/** Remembers where the caller last reported from: the next map starts there. */
export function rememberPosition(p: { lng: number; lat: number }): void {
  try { localStorage.setItem(LAST_KEY, JSON.stringify({ lng: p.lng, lat: p.lat })); } catch { /* private mode */ }
}

type Status = 'locating' | 'done' | 'failed' | 'unsupported';

/** The position control of the report form; `areaCode` is the caller's area drawn on the map (or null). */
export function PositionField({ value, onChange, areaCode }: { value: Position | null; onChange: (p: Position | null) => void; areaCode: string | null }) {
  const [status, setStatus] = useState<Status>('locating');
  const [reason, setReason] = useState('');
  const [showMap, setShowMap] = useState(false);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const locate = () => {
    if (!('geolocation' in navigator)) {
      setStatus('unsupported');
      setShowMap(true);
      return;
    }
    setStatus('locating');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setStatus('done');
        onChangeRef.current({ lng: round6(pos.coords.longitude), lat: round6(pos.coords.latitude), accuracy: Math.round(pos.coords.accuracy), source: 'gps' });
      },
      (err) => {
        setStatus('failed');
        setReason(err.code === err.PERMISSION_DENIED ? '未允许使用位置' : err.code === err.TIMEOUT ? '定位超时' : '暂时无法定位');
        setShowMap(true);
      },
      { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
    );
  };
  useEffect(locate, []); // eslint-disable-line react-hooks/exhaustive-deps -- locate once on opening the form

  const text = value
    ? `${value.source === 'gps' ? '已定位' : '已在地图上选点'}：经度 ${value.lng.toFixed(6)}，纬度 ${value.lat.toFixed(6)}${value.accuracy ? `（精度约 ${value.accuracy} 米）` : ''}`
    : status === 'locating' ? '正在获取手机位置…'
      : status === 'unsupported' ? '此浏览器不能定位，请在地图上点选问题位置'
        : `${reason}，请在地图上点选问题位置`;

  return (
    <div data-testid="h5-case-position">
      <div style={{ fontSize: 14, color: value ? '#389e0d' : status === 'locating' ? '#999' : '#d46b08' }} data-testid="h5-case-position-text">{text}</div>
      <Space style={{ marginTop: 8 }}>
        <Button size="small" onClick={locate} loading={status === 'locating'} data-testid="h5-case-locate">重新定位</Button>
        <Button size="small" onClick={() => setShowMap((v) => !v)} data-testid="h5-case-map-toggle">{showMap ? '收起地图' : '在地图上选点'}</Button>
      </Space>
      {showMap && <TapMap value={value} areaCode={areaCode} onPick={(p) => onChange({ ...p, source: 'map' })} />}
    </div>
  );
}

function TapMap({ value, areaCode, onPick }: { value: Position | null; areaCode: string | null; onPick: (p: { lng: number; lat: number }) => void }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;

  useEffect(() => {
    loadConfig().then(setConfig).catch(() => undefined);
  }, []);

  useEffect(() => {
    if (!containerRef.current || !config) return;
    const start = value ?? lastPosition();
    const map = L.map(containerRef.current, { center: start ? toMap(start, config) : HANGZHOU, zoom: start ? 17 : 13, zoomControl: true });
    map.attributionControl.setPrefix(false);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, { attribution: config.tileAttribution ?? '', maxZoom: 20, subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'] }).addTo(map);
    } else {
      map.attributionControl.addAttribution('无底图 · 点按问题所在位置');
    }
    map.on('click', (e: L.LeafletMouseEvent) => onPickRef.current(fromMap(e.latlng, config)));
    mapRef.current = map;
    let cancelled = false;
    {
      // staff see their area; a resident sees the outline of the community they live in
      api.get<GeoJSON.FeatureCollection<GeoJSON.Geometry | null, { name: string; role: string }>>(areaCode ? `/territory/nodes/${encodeURIComponent(areaCode)}/map` : '/cases/home-area')
        .then((fc) => {
          if (cancelled) return;
          const shown = gcj(config) ? (gcoord.transform(structuredClone(fc) as never, gcoord.WGS84, gcoord.GCJ02) as unknown as typeof fc) : fc;
          const layer = L.geoJSON(shown as GeoJSON.GeoJsonObject, {
            style: (f) => (f?.properties.role === 'self'
              ? { color: '#c8161e', weight: 2, fillOpacity: 0.02, dashArray: '6 4' }
              : { color: '#1677ff', weight: 1, fillColor: '#1677ff', fillOpacity: 0.05 }),
            interactive: false,
          }).addTo(map);
          layer.eachLayer((l) => {
            const name = (l as L.GeoJSON & { feature?: GeoJSON.Feature<GeoJSON.Geometry, { name: string; role: string }> }).feature?.properties;
            if (name && name.role !== 'self') l.bindTooltip(name.name, { permanent: true, direction: 'center', className: 'linli-m-map-label' });
          });
          if (!start && layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
        })
        .catch(() => undefined);
    }
    const timer = setTimeout(() => map.invalidateSize(), 200);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      map.remove();
      mapRef.current = null;
      markerRef.current = null;
    };
    // the map is drawn once per area; the marker follows the value below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [config, areaCode]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = value ? L.circleMarker(toMap(value, config), { radius: 9, color: '#fff', weight: 2, fillColor: '#c8161e', fillOpacity: 1 }).addTo(map) : null;
  }, [value, config]);

  return <div ref={containerRef} className="linli-m-map" data-testid="h5-case-map" />;
}
