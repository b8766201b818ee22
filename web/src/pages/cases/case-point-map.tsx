// The case's point on a small map, inside the outline of the micro-grid (or grid) it was routed to.
import { useEffect, useRef, useState } from 'react';
import L from 'leaflet';
import { api } from '../../api';
import { loadConfig } from '../../config';
import type { AppConfig, TerritoryNodeDetail } from '../../types';
import { createMap, screenGeo, screenPoint } from './case-map-base';

export function CasePointMap({ lng, lat, areaCode, height = 200 }: { lng: number; lat: number; areaCode: string | null; height?: number }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);

  useEffect(() => { void loadConfig().then(setConfig); }, []);

  useEffect(() => {
    if (!containerRef.current || !config) return;
    const map = createMap(containerRef.current, config, '无底图', { zoom: 17, zoomControl: false, attributionControl: true });
    const point = screenPoint(lng, lat, config);
    map.setView(point, 17);
    L.circleMarker(point, { radius: 8, color: '#fff', weight: 2, fillColor: '#c8161e', fillOpacity: 1 }).addTo(map);
    let cancelled = false;
    if (areaCode) {
      api.get<TerritoryNodeDetail>(`/territory/nodes/${encodeURIComponent(areaCode)}`).then((node) => {
        if (cancelled || !node.boundary) return;
        const outline = L.geoJSON(screenGeo(node.boundary, config), {
          style: { color: '#1677ff', weight: 2, fillOpacity: 0.04, dashArray: '6 4' }, interactive: false,
        }).addTo(map);
        outline.bindTooltip(node.name, { permanent: true, direction: 'center', className: 'linli-map-label' });
        map.fitBounds(outline.getBounds().extend(point), { padding: [16, 16], maxZoom: 18 });
      }).catch(() => undefined);
    }
    const timer = setTimeout(() => map.invalidateSize(), 300);
    return () => { cancelled = true; clearTimeout(timer); map.remove(); };
  }, [config, lng, lat, areaCode]);

  return <div ref={containerRef} className="linli-map" style={{ height }} data-testid="case-point-map" />;
}
