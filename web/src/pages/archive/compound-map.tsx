// Leaflet map of one compound: its outline and its buildings, labelled by number (幢) and coloured by the chosen layer.
// Like the territory map it works without a tile server; GCJ-02 tiles get the WGS-84 data shifted with gcoord.
import { useEffect, useRef } from 'react';
import L from 'leaflet';
import gcoord from 'gcoord';
import 'leaflet/dist/leaflet.css';
import type { AppConfig } from '../../types';
import { buildingLabel, type BuildingSummary } from './archive-api';

export interface BuildingStyle {
  color: string;
  /** The second label line, e.g. "党员 4". */
  caption: string;
}

interface Props {
  boundary: GeoJSON.Geometry | null;
  location: GeoJSON.Point | null;
  buildings: BuildingSummary[];
  styleOf: (building: BuildingSummary) => BuildingStyle;
  selected: string | null;
  config: AppConfig;
  onSelect: (code: string) => void;
}

function shift<G extends GeoJSON.GeoJSON>(geojson: G, config: AppConfig): G {
  if (!config.tileUrl || config.tileCrs !== 'gcj02') return geojson;
  return gcoord.transform(structuredClone(geojson) as never, gcoord.WGS84, gcoord.GCJ02) as G;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export default function CompoundMap({ boundary, location, buildings, styleOf, selected, config, onSelect }: Props) {
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const layerRef = useRef<L.FeatureGroup | null>(null);
  const fittedRef = useRef<string | null>(null);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    if (!containerRef.current) return;
    const map = L.map(containerRef.current, { center: [30.2, 120.2], zoom: 16, zoomControl: true });
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
    mapRef.current = map;
    return () => {
      map.remove();
      mapRef.current = null;
      fittedRef.current = null;
    };
  }, [config.tileUrl, config.tileAttribution, config.tileCrs]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    layerRef.current?.remove();
    const group = L.featureGroup();

    if (boundary) {
      L.geoJSON(shift(boundary, config), {
        style: { color: '#c8161e', weight: 3, fillColor: '#c8161e', fillOpacity: 0.03, dashArray: '6 4' },
        interactive: false,
      }).addTo(group);
    }

    for (const building of buildings) {
      const { color, caption } = styleOf(building);
      const isSelected = building.code === selected;
      const label = `<b>${escapeHtml(buildingLabel(building))}</b>${caption ? `<br/><span>${escapeHtml(caption)}</span>` : ''}`;
      let layer: L.Layer | null = null;
      if (building.boundary) {
        layer = L.geoJSON(shift(building.boundary, config), {
          style: {
            color: isSelected ? '#000' : '#555',
            weight: isSelected ? 3 : 1,
            fillColor: color,
            fillOpacity: 0.75,
          },
        });
      } else if (building.location) {
        const [lng, lat] = shift(building.location, config).coordinates as [number, number];
        layer = L.circleMarker([lat, lng], { radius: 14, color: isSelected ? '#000' : '#555', weight: isSelected ? 3 : 1, fillColor: color, fillOpacity: 0.8 });
      }
      if (!layer) continue;
      (layer as L.Path | L.GeoJSON)
        .bindTooltip(label, { permanent: true, direction: 'center', className: 'linli-building-label' })
        .on('click', (event: L.LeafletMouseEvent) => {
          L.DomEvent.stopPropagation(event);
          onSelectRef.current(building.code);
        });
      layer.addTo(group);
    }

    group.addTo(map);
    layerRef.current = group;
    // Fit once per compound (recolouring or selecting must not move the view).
    const key = `${buildings.map((b) => b.code).join(',')}|${boundary ? 'b' : ''}`;
    if (fittedRef.current !== key) {
      const bounds = group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [24, 24], maxZoom: 19 });
      else if (location) {
        const [lng, lat] = shift(location, config).coordinates as [number, number];
        map.setView([lat, lng], 17);
      }
      fittedRef.current = key;
    }
  }, [boundary, location, buildings, styleOf, selected, config]);

  return <div ref={containerRef} className="linli-map linli-compound-map" data-testid="compound-map" />;
}
