// 案件地图: the located cases of the caller's area clustered by the server for the current view (a circle sized by its
// count, red when some are overdue), a heat layer, filters by category, state, overdue and reporting period. A click on
// a cluster zooms in; a small cluster lists its cases, a single case opens.
import { useCallback, useEffect, useRef, useState } from 'react';
import { App, Card, DatePicker, Drawer, Select, Space, Switch, Table, TreeSelect, Typography } from 'antd';
import L from 'leaflet';
import type { Dayjs } from 'dayjs';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { loadConfig } from '../../config';
import { beijingTime } from '../../time';
import type { AppConfig } from '../../types';
import { CaseStateTag, useCategoryTree } from './case-bits';
import { CaseDetailView } from './case-detail';
import { areaLabelPane, createMap, escapeHtml, screenGeo } from './case-map-base';
import { CASE_STATE_LABEL, casesApi, type CaseItem, type CaseMap, type MapQuery } from './cases-api';
import { HeatLayer } from './heat-layer';

const AREA_KINDS = new Set(['district', 'street', 'community', 'grid', 'micro_grid']);

/** A cluster's colour: none overdue, some overdue, most overdue (half or more). */
const CLUSTER_COLOR = { none: '22,119,255', some: '250,140,22', most: '200,22,30' };
type Overdue = keyof typeof CLUSTER_COLOR;
const overdueLevel = (count: number, overdue: number): Overdue => (overdue === 0 ? 'none' : overdue * 2 >= count ? 'most' : 'some');

/** The circle of a cluster (inline style: the markers live outside React). */
function clusterStyle(level: Overdue, size: number): string {
  const rgb = CLUSTER_COLOR[level];
  return `width:${size}px;height:${size}px;line-height:${size}px;border-radius:50%;text-align:center;color:#fff;font-weight:600;`
    + `font-size:${size > 36 ? 14 : 12}px;background:rgba(${rgb},0.8);box-shadow:0 0 0 4px rgba(${rgb},0.25);cursor:pointer`;
}

function clusterIcon(count: number, overdue: number): L.DivIcon {
  const size = Math.round(Math.min(64, 22 + Math.log2(count) * 7));
  return L.divIcon({ className: '', iconSize: [size, size], html: `<div style="${clusterStyle(overdueLevel(count, overdue), size)}">${count}</div>` });
}

const legendDot = (level: Overdue): React.CSSProperties => ({
  display: 'inline-block', width: 14, height: 14, borderRadius: '50%', background: `rgba(${CLUSTER_COLOR[level]},0.8)`,
});

export default function CaseMapPage() {
  const { message } = App.useApp();
  const { user } = useAuth();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<L.Map | null>(null);
  const clusterLayerRef = useRef<L.LayerGroup | null>(null);
  const heatRef = useRef<HeatLayer | null>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [categoryCode, setCategoryCode] = useState<string | undefined>();
  const [state, setState] = useState<string>('open');
  const [overdue, setOverdue] = useState<'all' | 'true' | 'false'>('all');
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [heat, setHeat] = useState(false);
  const [summary, setSummary] = useState<CaseMap | null>(null);
  const [view, setView] = useState(0);
  const [picked, setPicked] = useState<number[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const { tree } = useCategoryTree();
  const scopeCode = user?.scope.codes[0];
  const gcj = Boolean(config?.tileUrl && config.tileCrs === 'gcj02');

  useEffect(() => { void loadConfig().then(setConfig); }, []);

  // the map, the area's outline with its children, and a reload whenever the view settles
  useEffect(() => {
    if (!containerRef.current || !config) return;
    const map = createMap(containerRef.current, config, '无底图 · 显示区域边界与案件');
    L.control.scale({ imperial: false }).addTo(map);
    mapRef.current = map;
    clusterLayerRef.current = L.layerGroup().addTo(map);
    heatRef.current = new HeatLayer();
    map.on('moveend', () => setView((v) => v + 1));
    if (scopeCode) {
      api.get<GeoJSON.FeatureCollection<GeoJSON.Geometry | null, { code: string; name: string; kind: string; role: string }>>(
        `/territory/nodes/${encodeURIComponent(scopeCode)}/map`,
      ).then((fc) => {
        if (!mapRef.current) return;
        const features = fc.features.filter((f) => f.geometry && AREA_KINDS.has(f.properties.kind));
        const outline = L.geoJSON(screenGeo({ ...fc, features } as GeoJSON.FeatureCollection, config), {
          interactive: false,
          style: (f) => (f?.properties.role === 'self'
            ? { color: '#c8161e', weight: 2, fillOpacity: 0, dashArray: '6 4' }
            : { color: '#8c8c8c', weight: 1, fillOpacity: 0 }),
          onEachFeature: (f, l) => {
            if (f.properties.role !== 'self' && features.length <= 60) {
              l.bindTooltip(escapeHtml(f.properties.name), { permanent: true, direction: 'center', className: 'linli-map-label', pane: areaLabelPane(map) });
            }
          },
        }).addTo(map);
        outline.bringToBack();
        if (outline.getBounds().isValid()) map.fitBounds(outline.getBounds(), { padding: [16, 16] });
        else setView((v) => v + 1);
      }).catch(() => setView((v) => v + 1));
    } else setView((v) => v + 1);
    return () => { map.remove(); mapRef.current = null; clusterLayerRef.current = null; heatRef.current = null; };
  }, [config, scopeCode]);

  const query = useCallback((): MapQuery | null => {
    const map = mapRef.current;
    if (!map) return null;
    const b = map.getBounds();
    const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
    return {
      bbox: [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((n) => n.toFixed(6)).join(','),
      zoom: Math.max(3, Math.min(20, Math.round(map.getZoom()))),
      categoryCode, state: state || undefined,
      overdue: overdue === 'all' ? undefined : overdue === 'true',
      from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD'),
      ...(gcj ? { crs: 'gcj02' } : {}),
    } as MapQuery;
  }, [categoryCode, state, overdue, range, gcj]);

  // clusters
  useEffect(() => {
    const q = query();
    const layer = clusterLayerRef.current;
    const map = mapRef.current;
    if (!q || !layer || !map || view === 0) return;
    let cancelled = false;
    casesApi.map(q).then((m) => {
      if (cancelled) return;
      setSummary(m);
      layer.clearLayers();
      if (heat) return;
      for (const c of m.clusters) {
        const marker = L.marker([c.lat, c.lng], { icon: clusterIcon(c.count, c.overdue), riseOnHover: true });
        marker.bindTooltip(`${c.count} 件${c.overdue ? `，其中超期 ${c.overdue} 件` : ''}`, { direction: 'top' });
        marker.on('click', () => {
          if (c.count === 1 && c.ids?.[0]) setOpenId(c.ids[0]);
          else if (c.ids && (c.ids.length <= 8 || map.getZoom() >= 17)) setPicked(c.ids);
          else map.setView([c.lat, c.lng], Math.min(map.getMaxZoom() || 19, map.getZoom() + 2));
        });
        marker.addTo(layer);
      }
    }).catch((e: unknown) => !cancelled && message.error(errorMessage(e)));
    return () => { cancelled = true; };
  }, [view, query, heat, message]);

  // heat layer
  useEffect(() => {
    const q = query();
    const map = mapRef.current;
    const layer = heatRef.current;
    if (!map || !layer || !q || view === 0) return;
    if (!heat) { layer.remove(); return; }
    let cancelled = false;
    casesApi.heat(q).then((h) => {
      if (cancelled) return;
      if (!map.hasLayer(layer)) layer.addTo(map);
      layer.setData(h.points, h.cellDegrees * 111_000);
    }).catch((e: unknown) => !cancelled && message.error(errorMessage(e)));
    return () => { cancelled = true; };
  }, [view, query, heat, message]);

  return (
    <Card
      title="案件地图"
      extra={
        <Space wrap data-testid="case-map-filters">
          <TreeSelect allowClear placeholder="案件类别" style={{ width: 180 }} treeData={tree} value={categoryCode} onChange={setCategoryCode}
            showSearch={{ treeNodeFilterProp: 'title' }} popupMatchSelectWidth={false} />
          <Select style={{ width: 120 }} value={state} onChange={setState}
            options={[{ value: 'open', label: '未办结' }, { value: '', label: '全部状态' }, ...Object.entries(CASE_STATE_LABEL).map(([value, label]) => ({ value, label }))]} />
          <Select style={{ width: 120 }} value={overdue} onChange={setOverdue}
            options={[{ value: 'all', label: '超期不限' }, { value: 'true', label: '只看超期' }, { value: 'false', label: '未超期' }]} />
          <DatePicker.RangePicker value={range} onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)} placeholder={['上报日期起', '上报日期止']} />
          <Space size={4}><Switch checked={heat} onChange={setHeat} data-testid="case-heat-toggle" />热力图</Space>
        </Space>
      }
    >
      <div className="linli-map-wrap">
        <div ref={containerRef} className="linli-map" style={{ height: 620 }} data-testid="case-map" />
        <div className="linli-map-legend">
          {heat ? (
            <Space orientation="vertical" size={2}>
              <b>热力图</b>
              <div style={{ width: 140, height: 10, background: 'linear-gradient(90deg,#2f54eb,#13c2c2,#52c41a,#fadb14,#f5222d)' }} />
              <Space style={{ width: 140, justifyContent: 'space-between', fontSize: 12 }}><span>少</span><span>多</span></Space>
            </Space>
          ) : (
            <Space orientation="vertical" size={2}>
              <Space size={6}><span style={legendDot('none')} />案件（数字为件数），无超期</Space>
              <Space size={6}><span style={legendDot('some')} />部分超期</Space>
              <Space size={6}><span style={legendDot('most')} />半数以上超期</Space>
            </Space>
          )}
          {summary && (
            <div style={{ marginTop: 4, fontSize: 12 }} data-testid="case-map-total">
              视野内 {summary.total} 件{summary.truncated ? '（聚合点过多，只显示案件最多的部分）' : ''}
            </div>
          )}
        </div>
      </div>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>点击圆圈放大；案件不多时列出案件，单件直接打开。只显示有坐标的案件。</Typography.Text>

      <ClusterDrawer ids={picked} onClose={() => setPicked(null)} onOpen={setOpenId} />
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} width={960} destroyOnHidden title="案件详情">
        {openId && <CaseDetailView id={openId} />}
      </Drawer>
    </Card>
  );
}

/** The few cases of one cluster (at most 20, as the server names them). */
function ClusterDrawer({ ids, onClose, onOpen }: { ids: number[] | null; onClose: () => void; onOpen: (id: number) => void }) {
  const [items, setItems] = useState<CaseItem[] | null>(null);
  useEffect(() => {
    if (!ids) { setItems(null); return; }
    let cancelled = false;
    setItems(null);
    void Promise.all(ids.slice(0, 20).map((id) => casesApi.get(id).then((d) => d.case).catch(() => null)))
      .then((list) => !cancelled && setItems(list.filter((c): c is CaseItem => c !== null)));
    return () => { cancelled = true; };
  }, [ids]);
  return (
    <Drawer open={ids !== null} onClose={onClose} size={720} title={`此处 ${ids?.length ?? 0} 件案件`} data-testid="case-cluster-drawer">
      <Table<CaseItem>
        rowKey="id" size="small" pagination={false} loading={items === null} dataSource={items ?? []}
        columns={[
          { title: '服务单号', dataIndex: 'serviceNo', width: 160, render: (v: string, c) => <a onClick={() => onOpen(c.id)}>{v}</a> },
          { title: '类别', dataIndex: 'categoryName', width: 110 },
          { title: '问题', dataIndex: 'description', ellipsis: true },
          { title: '状态', width: 90, render: (_: unknown, c) => <CaseStateTag state={c.state} name={c.stateName} /> },
          { title: '上报时间', dataIndex: 'reportedAt', width: 130, render: (v: string) => beijingTime(v, 'MM-DD HH:mm') },
        ]}
      />
    </Drawer>
  );
}
