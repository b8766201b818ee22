// Leaflet map of one territory node and its children. Works with no tile server (plain background);
// with a configured tile layer, GCJ-02 tiles (高德/腾讯) get the WGS-84 data shifted with gcoord.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import gcoord from 'gcoord';
import 'leaflet/dist/leaflet.css';
import type { AppConfig } from '../../types';

export interface MapFeatureProps {
  code: string;
  name: string;
  kind: string;
  role: 'self' | 'child';
}

export type TerritoryFeatureCollection = GeoJSON.FeatureCollection<GeoJSON.Geometry | null, MapFeatureProps>;

interface Props {
  features: TerritoryFeatureCollection | null;
  config: AppConfig;
  locateMode: boolean;
  marker: { lng: number; lat: number } | null;
  onSelect: (code: string) => void;
  onLocate: (lng: number, lat: number) => void;
}

const CHILD_COLORS: Record<string, string> = {
  street: '#d4380d',
  community: '#fa8c16',
  grid: '#1677ff',
  micro_grid: '#13c2c2',
  compound: '#52c41a',
  building: '#2f54eb',
  unit: '#722ed1',
  room: '#eb2f96',
};

/** Above this many children, names show on hover only, to keep the map readable. */
const PERMANENT_LABEL_LIMIT = 60;

/** Physical-tree kinds (小区/楼幢…) overlap the governance grids they sit in; their names show on hover
 * when governance children are on the map too, so labels do not pile up. */
const PHYSICAL_KINDS = new Set(['compound', 'building', 'unit', 'room']);

function bboxArea(geometry: GeoJSON.Geometry): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const visit = (value: unknown): void => {
    if (Array.isArray(value) && typeof value[0] === 'number') {
      const [x, y] = value as number[];
      minX = Math.min(minX, x!);
      maxX = Math.max(maxX, x!);
      minY = Math.min(minY, y!);
      maxY = Math.max(maxY, y!);
    } else if (Array.isArray(value)) value.forEach(visit);
  };
  if ('coordinates' in geometry) visit(geometry.coordinates);
  return Number.isFinite(minX) ? (maxX - minX) * (maxY - minY) : 0;
}

function toDisplayCrs<G extends GeoJSON.GeoJSON>(geojson: G, crs: AppConfig['tileCrs'], hasTiles: boolean): G {
  if (!hasTiles || crs !== 'gcj02') return geojson;
  return gcoord.transform(structuredClone(geojson) as never, gcoord.WGS84, gcoord.GCJ02) as G;
}

function toDataCrs(lng: number, lat: number, crs: AppConfig['tileCrs'], hasTiles: boolean): [number, number] {
  if (!hasTiles || crs !== 'gcj02') return [lng, lat];
  const [x, y] = gcoord.transform([lng, lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return [x, y];
}

export default function TerritoryMap({ features, config, locateMode, marker, onSelect, onLocate }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const dataLayerRef = useRef<L.GeoJSON | null>(null);
  const markerRef = useRef<L.CircleMarker | null>(null);
  const locateModeRef = useRef(locateMode);
  const callbacks = useRef({ onSelect, onLocate });
  callbacks.current = { onSelect, onLocate };
  locateModeRef.current = locateMode;
  const hasTiles = Boolean(config.tileUrl);

  // Create the map once.
  useEffect(() => {
    if (!containerRef.current) return;
    const map = L.map(containerRef.current, {
      center: [30.2, 120.2],
      zoom: 12,
      zoomControl: true,
      attributionControl: true,
      preferCanvas: false,
    });
    map.attributionControl.setPrefix(false);
    if (config.tileUrl) {
      L.tileLayer(config.tileUrl, {
        attribution: config.tileAttribution ?? '',
        maxZoom: 20,
        subdomains: ['0', '1', '2', '3', '4', '5', '6', '7'],
      }).addTo(map);
    } else {
      map.attributionControl.addAttribution('无底图 · 仅显示边界数据');
    }
    L.control.scale({ imperial: false }).addTo(map);
    map.on('click', (event: L.LeafletMouseEvent) => {
      if (!locateModeRef.current) return;
      const [lng, lat] = toDataCrs(event.latlng.lng, event.latlng.lat, config.tileCrs, Boolean(config.tileUrl));
      callbacks.current.onLocate(lng, lat);
    });
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
    };
  }, [config.tileUrl, config.tileAttribution, config.tileCrs]);

  useEffect(() => {
    const container = containerRef.current;
    if (container) container.style.cursor = locateMode ? 'crosshair' : '';
  }, [locateMode]);

  // Draw the node and its children whenever the collection changes.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    dataLayerRef.current?.remove();
    dataLayerRef.current = null;
    if (!features) return;

    // Largest shapes first, so smaller ones (a compound inside a grid) are drawn on top and stay clickable.
    const withGeometry = features.features.filter(
      (feature): feature is GeoJSON.Feature<GeoJSON.Geometry, MapFeatureProps> => feature.geometry !== null,
    );
    withGeometry.sort((a, b) => bboxArea(b.geometry) - bboxArea(a.geometry));
    const drawable: GeoJSON.FeatureCollection<GeoJSON.Geometry, MapFeatureProps> = { type: 'FeatureCollection', features: withGeometry };
    const display = toDisplayCrs(drawable, config.tileCrs, hasTiles);
    const children = display.features.filter((f) => f.properties.role === 'child');
    const mixed = children.some((f) => PHYSICAL_KINDS.has(f.properties.kind)) && children.some((f) => !PHYSICAL_KINDS.has(f.properties.kind));
    const labelled = children.filter((f) => !(mixed && PHYSICAL_KINDS.has(f.properties.kind))).length;
    const permanentLabels = labelled <= PERMANENT_LABEL_LIMIT;

    const layer = L.geoJSON(display, {
      style: (feature) => {
        const props = feature?.properties as MapFeatureProps | undefined;
        if (props?.role === 'self') {
          return { color: '#c8161e', weight: 3, fillColor: '#c8161e', fillOpacity: 0.04, dashArray: '6 4' };
        }
        const color = CHILD_COLORS[props?.kind ?? ''] ?? '#1677ff';
        return { color, weight: 1.5, fillColor: color, fillOpacity: 0.14 };
      },
      pointToLayer: (feature, latlng) => {
        const props = feature.properties as MapFeatureProps;
        const color = props.role === 'self' ? '#c8161e' : (CHILD_COLORS[props.kind] ?? '#2f54eb');
        return L.circleMarker(latlng, { radius: 6, color, weight: 2, fillColor: color, fillOpacity: 0.6 });
      },
      onEachFeature: (feature, featureLayer) => {
        const props = feature.properties as MapFeatureProps;
        const isSelf = props.role === 'self';
        featureLayer.bindTooltip(props.name, {
          permanent: !isSelf && permanentLabels && !(mixed && PHYSICAL_KINDS.has(props.kind)),
          direction: 'center',
          className: `linli-map-label${isSelf ? ' linli-self-label' : ''}`,
          sticky: isSelf,
        });
        if (isSelf) return;
        featureLayer.on({
          click: (event: L.LeafletMouseEvent) => {
            if (locateModeRef.current) return; // let the map handle it as a locate click
            L.DomEvent.stopPropagation(event);
            callbacks.current.onSelect(props.code);
          },
          mouseover: () => {
            if (featureLayer instanceof L.Path) featureLayer.setStyle({ weight: 3, fillOpacity: 0.3 });
          },
          mouseout: () => {
            if (featureLayer instanceof L.Path) layer.resetStyle(featureLayer);
          },
        });
      },
    });
    // Children above the node's own outline so they take the clicks.
    layer.addTo(map);
    layer.eachLayer((child) => {
      const props = (child as L.Layer & { feature?: GeoJSON.Feature }).feature?.properties as MapFeatureProps | undefined;
      if (props?.role === 'self' && child instanceof L.Path) child.bringToBack();
    });
    dataLayerRef.current = layer;

    const bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 18 });
    }
  }, [features, config.tileCrs, hasTiles]);

  // The locate marker.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    markerRef.current?.remove();
    markerRef.current = null;
    if (!marker) return;
    const [lng, lat] =
      hasTiles && config.tileCrs === 'gcj02'
        ? (gcoord.transform([marker.lng, marker.lat], gcoord.WGS84, gcoord.GCJ02) as [number, number])
        : [marker.lng, marker.lat];
    markerRef.current = L.circleMarker([lat, lng], {
      radius: 8,
      color: '#fff',
      weight: 2,
      fillColor: '#c8161e',
      fillOpacity: 1,
    })
      .bindTooltip('定位点', { direction: 'top', offset: [0, -8] })
      .addTo(map);
  }, [marker, config.tileCrs, hasTiles]);

  return <div ref={containerRef} className="linli-map" data-testid="territory-map" />;
}
