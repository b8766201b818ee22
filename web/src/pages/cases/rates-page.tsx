// 三率 (响应率, 解决率, 满意率) of an area or a department over a period: the three figures with their numerators and
// denominators, the breakdown one level down (street → community → grid → micro-grid) and by the departments whistled,
// and the trend. Every number opens the cases it counts (GET /cases?measure=&met=), with the same definition
// (server/src/modules/cases/cases.measures.ts); a child area's name drills the page into it.
import { useEffect, useMemo, useState } from 'react';
import { Alert, Breadcrumb, Card, Col, DatePicker, Empty, Row, Segmented, Space, Spin, Statistic, Table, Tabs, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { TERRITORY_KIND_LABEL } from '../../labels';
import { SERVICE_TZ } from '../../time';
import type { Page, TerritoryNodeDetail, TerritoryNodeSummary } from '../../types';
import { ExportButton } from '../../components/export-button';
import { CountLink } from './case-bits';
import { CaseListDrawer, type CaseListRequest } from './case-list-drawer';
import { casesApi, MEASURE_LABEL, percentText, type Breakdown, type BreakdownItem, type ListFilters, type Rates, type Trend } from './cases-api';
import { periodLabel, TrendChart, type Measure } from './trend-chart';

const AREA_KINDS = new Set(['district', 'street', 'community', 'grid', 'micro_grid']);

/** Numerator and denominator of each measure in the counts. */
const PARTS: Record<Measure, { num: keyof Rates['counts']; den: keyof Rates['counts']; numLabel: string; denLabel: string; missLabel: string; rate: 'responseRate' | 'resolutionRate' | 'satisfactionRate' }> = {
  response: { num: 'respondedOnTime', den: 'responseDue', numLabel: '按期响应', denLabel: '应响应', missLabel: '未按期响应', rate: 'responseRate' },
  resolution: { num: 'resolved', den: 'accepted', numLabel: '已解决', denLabel: '已立案', missLabel: '未解决', rate: 'resolutionRate' },
  satisfaction: { num: 'satisfied', den: 'rated', numLabel: '满意/基本满意', denLabel: '已评价', missLabel: '不满意', rate: 'satisfactionRate' },
};
const MEASURES: Measure[] = ['response', 'resolution', 'satisfaction'];

interface ScopeRef { code: string; name: string; kind: string }

/** A lazily loaded tree of the caller's areas (district → street → community → grid → micro-grid). */
function AreaPicker({ value, onPick }: { value: ScopeRef | null; onPick: (node: ScopeRef) => void }) {
  const [nodes, setNodes] = useState<{ id: string; pId: string | null; value: string; title: string; isLeaf: boolean; kind: string; name: string }[]>([]);
  const flat = (n: TerritoryNodeSummary, parent: string | null) => ({
    id: n.code, pId: parent, value: n.code, title: `${n.name}（${TERRITORY_KIND_LABEL[n.kind] ?? n.kind}）`,
    isLeaf: n.kind === 'micro_grid' || n.childCount === 0, kind: n.kind, name: n.name,
  });
  useEffect(() => {
    api.get<{ items: TerritoryNodeSummary[] }>('/territory/roots')
      .then((r) => setNodes(r.items.filter((n) => AREA_KINDS.has(n.kind)).map((n) => flat(n, null))))
      .catch(() => setNodes([]));
  }, []);
  const loadData = async ({ id }: { id?: string }) => {
    if (!id) return;
    const page = await api.get<Page<TerritoryNodeSummary>>(`/territory/nodes/${encodeURIComponent(id)}/children`, { limit: 500 });
    setNodes((prev) => {
      const known = new Set(prev.map((n) => n.id));
      return [...prev, ...page.items.filter((n) => AREA_KINDS.has(n.kind) && !known.has(n.code)).map((n) => flat(n, id))];
    });
  };
  return (
    <TreeSelect
      treeDataSimpleMode treeData={nodes} loadData={(n) => loadData(n as { id?: string })}
      // labelled by name even when the area was reached by drilling down and is not loaded in the tree yet
      labelInValue value={value?.code ? { value: value.code, label: value.name } : undefined}
      placeholder="统计范围" style={{ width: 260 }} popupMatchSelectWidth={false}
      showSearch={{ treeNodeFilterProp: 'title' }}
      onChange={(picked: { value: string; label?: React.ReactNode } | undefined) => {
        const n = nodes.find((x) => x.id === picked?.value);
        if (n) onPick({ code: n.id, name: n.name, kind: n.kind });
      }}
      data-testid="rates-scope"
    />
  );
}

function RateCard({ measure, rates, open }: { measure: Measure; rates: Rates; open: (measure: Measure, met: boolean | undefined, label: string) => void }) {
  const p = PARTS[measure];
  const num = rates.counts[p.num];
  const den = rates.counts[p.den];
  return (
    <Card size="small" data-testid={`rate-card-${measure}`}>
      <Statistic
        title={MEASURE_LABEL[measure]}
        valueRender={() => (
          <a onClick={() => open(measure, undefined, p.denLabel)} style={{ color: '#c8161d', fontSize: 36, fontWeight: 600 }} data-testid={`rate-${measure}`}>
            {percentText(rates[p.rate])}
          </a>
        )}
      />
      <Space size="large" style={{ marginTop: 4 }}>
        <span>{p.numLabel} <CountLink strong value={num} onClick={() => open(measure, true, p.numLabel)} testId={`rate-${measure}-num`} /></span>
        <span>{p.denLabel} <CountLink strong value={den} onClick={() => open(measure, undefined, p.denLabel)} testId={`rate-${measure}-den`} /></span>
        <span>{p.missLabel} <CountLink value={den - num} onClick={() => open(measure, false, p.missLabel)} testId={`rate-${measure}-miss`} /></span>
      </Space>
    </Card>
  );
}

export default function CaseRatesPage() {
  const { user, can } = useAuth();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().tz(SERVICE_TZ).startOf('year'), dayjs().tz(SERVICE_TZ)]);
  /** the area or department asked for (none: the caller's own scope, as the server chooses it) */
  const [requested, setRequested] = useState<string | undefined>();
  /** what the figures are about, with its kind once known */
  const [scope, setScope] = useState<ScopeRef | null>(null);
  const go = (ref: ScopeRef) => { setRequested(ref.code || undefined); setScope(ref); };
  const [trail, setTrail] = useState<ScopeRef[]>([]);
  const [rates, setRates] = useState<Rates | null>(null);
  const [breakdown, setBreakdown] = useState<Breakdown | null>(null);
  const [departments, setDepartments] = useState<Breakdown | null>(null);
  const [trend, setTrend] = useState<Trend | null>(null);
  const [interval, setInterval] = useState<'month' | 'week' | 'day'>('month');
  const [error, setError] = useState<string | null>(null);
  const [by, setBy] = useState<'children' | 'departments'>('children');
  const [drill, setDrill] = useState<CaseListRequest | null>(null);
  const from = range[0].format('YYYY-MM-DD');
  const to = range[1].format('YYYY-MM-DD');

  useEffect(() => {
    let cancelled = false;
    setError(null);
    setRates(null);
    casesApi.rates({ scopeCode: requested, from, to }).then((r) => {
      if (cancelled) return;
      setRates(r);
      setScope((s) => (s?.code === r.scopeCode ? s : { code: r.scopeCode, name: r.scopeName, kind: '' }));
    }).catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => { cancelled = true; };
  }, [requested, from, to]);

  // the scope's kind and its ancestors within reach, for the breadcrumb
  const departmentStaff = can('case:department') && !can('case:desk');
  useEffect(() => {
    if (!rates?.scopeCode) return;
    if (departmentStaff) {
      // a department's staff see their department's figures, not an area's
      setScope({ code: rates.scopeCode, name: rates.scopeName, kind: 'department' });
      setTrail([]);
      return;
    }
    api.get<TerritoryNodeDetail>(`/territory/nodes/${encodeURIComponent(rates.scopeCode)}`)
      .then((node) => {
        setScope({ code: node.code, name: node.name, kind: node.kind });
        setTrail([...node.ancestors.filter((a) => AREA_KINDS.has(a.kind)), { code: node.code, name: node.name, kind: node.kind }]);
      })
      .catch(() => { setScope((s) => (s ? { ...s, kind: 'department' } : s)); setTrail([{ code: rates.scopeCode, name: rates.scopeName, kind: 'department' }]); });
  }, [rates?.scopeCode, rates?.scopeName, departmentStaff]);

  useEffect(() => {
    if (!rates || scope?.kind === 'department' || scope?.kind === '') { setBreakdown(null); setDepartments(null); return; }
    let cancelled = false;
    const q = { scopeCode: rates.scopeCode || undefined, from, to };
    casesApi.breakdown({ ...q, by: 'children' }).then((b) => !cancelled && setBreakdown(b)).catch(() => !cancelled && setBreakdown(null));
    casesApi.breakdown({ ...q, by: 'departments' }).then((b) => !cancelled && setDepartments(b)).catch(() => !cancelled && setDepartments(null));
    return () => { cancelled = true; };
  }, [rates, scope?.kind, from, to]);

  useEffect(() => {
    if (!rates) return;
    let cancelled = false;
    casesApi.trend({ scopeCode: rates.scopeCode || undefined, from, to, interval })
      .then((t) => !cancelled && setTrend(t)).catch(() => !cancelled && setTrend(null));
    return () => { cancelled = true; };
  }, [rates, from, to, interval]);

  /** The list filters of a figure of `row` (an area, a department, or the page's own scope). */
  const filtersOf = (row: { code: string; kind: string }, extra: ListFilters, period = { from, to }): ListFilters => {
    const base: ListFilters = { ...period, ...extra };
    if (row.kind === 'department') return { ...base, departmentCode: row.code, ...(scope && scope.kind !== 'department' && scope.code ? { scopeCode: scope.code } : {}) };
    return row.code ? { ...base, scopeCode: row.code } : base;
  };
  const openMeasure = (row: { code: string; name: string; kind: string }, measure: Measure, met: boolean | undefined, label: string, period = { from, to }) =>
    setDrill({
      title: `${row.name} · ${MEASURE_LABEL[measure]} · ${label}`,
      subtitle: `上报日期 ${period.from} 至 ${period.to}（北京时间）。口径：${definition[measure]}`,
      filters: filtersOf(row, { measure, ...(met === undefined ? {} : { met: String(met) }) }, period),
    });
  const openCount = (row: { code: string; name: string; kind: string }, label: string, extra: ListFilters) =>
    setDrill({ title: `${row.name} · ${label}`, subtitle: `上报日期 ${from} 至 ${to}（北京时间）`, filters: filtersOf(row, extra) });

  // the areas above the caller's own scope are named in the trail but cannot be opened
  const reach = user?.scope.kind === 'all' ? 0 : Math.max(0, trail.findIndex((t) => user?.scope.codes.includes(t.code)));
  const self = rates ? { code: rates.scopeCode, name: rates.scopeName, kind: scope?.kind === 'department' ? 'department' : scope?.kind ?? '' } : null;

  const rateColumn = (measure: Measure) => ({
    title: MEASURE_LABEL[measure], width: 170,
    sorter: (a: BreakdownItem, b: BreakdownItem) => (a[PARTS[measure].rate] ?? -1) - (b[PARTS[measure].rate] ?? -1),
    render: (_: unknown, r: BreakdownItem) => {
      const p = PARTS[measure];
      const linkable = r.code !== '';
      const num = r.counts[p.num];
      const den = r.counts[p.den];
      if (!linkable) return <span>{percentText(r[p.rate])}（{num}/{den}）</span>;
      return (
        <Space size={4}>
          <CountLink strong value={percentText(r[p.rate])} onClick={() => openMeasure(r, measure, undefined, p.denLabel)} />
          <span style={{ color: '#888' }}>
            （<CountLink value={num} onClick={() => openMeasure(r, measure, true, p.numLabel)} />/<CountLink value={den} onClick={() => openMeasure(r, measure, undefined, p.denLabel)} />）
          </span>
        </Space>
      );
    },
  });

  const breakdownTable = (data: Breakdown | null, kind: 'children' | 'departments') => {
    if (!data) return <Spin />;
    if (data.items.length === 0) return <Empty description={kind === 'children' ? '没有下级区域' : '期内没有向职能部门吹哨'} />;
    return (
      <Table<BreakdownItem>
        rowKey={(r) => r.code || '_none'} size="small" dataSource={data.items} pagination={{ pageSize: 30, hideOnSinglePage: true }}
        data-testid={`rates-breakdown-${kind}`}
        columns={[
          {
            title: kind === 'children' ? '区域' : '职能部门', dataIndex: 'name',
            render: (v: string, r) => (kind === 'children' && r.code && r.kind !== 'micro_grid'
              ? <a onClick={() => go({ code: r.code, name: r.name, kind: r.kind })} data-testid={`rates-drill-${r.code}`}>{v}<span style={{ color: '#999', marginLeft: 4 }}>›</span></a>
              : <span>{v || '未归属下级区域'}</span>),
          },
          { title: kind === 'children' ? '期内上报' : '吹哨', width: 90, render: (_: unknown, r) => (r.code ? <CountLink value={r.counts.reported} onClick={() => openCount(r, kind === 'children' ? '期内上报' : '被吹哨的案件', {})} /> : r.counts.reported) },
          rateColumn('response'),
          rateColumn('resolution'),
          rateColumn('satisfaction'),
          { title: '在办', width: 70, render: (_: unknown, r) => (r.code ? <CountLink value={r.counts.open} onClick={() => openCount(r, '在办', { state: 'open' })} /> : r.counts.open) },
          {
            title: '超期', width: 70, sorter: (a, b) => a.counts.overdue - b.counts.overdue,
            render: (_: unknown, r) => (r.code
              ? <span style={{ color: r.counts.overdue ? '#c8161e' : undefined }}><CountLink value={r.counts.overdue} onClick={() => openCount(r, '超期', { overdue: 'true' })} /></span>
              : r.counts.overdue),
          },
        ]}
      />
    );
  };

  const trendItems = useMemo(() => trend?.items ?? [], [trend]);
  return (
    <Card
      title="三率统计 · 响应率 解决率 满意率"
      extra={
        <Space wrap>
          {scope?.kind !== 'department' && <AreaPicker value={scope} onPick={go} />}
          <DatePicker.RangePicker value={range} allowClear={false} disabledDate={(d) => d.isAfter(dayjs().endOf('day'))}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])}
            presets={[
              { label: '今年', value: [dayjs().startOf('year'), dayjs()] },
              { label: '本季度', value: [dayjs().startOf('month').subtract(dayjs().month() % 3, 'month'), dayjs()] },
              { label: '本月', value: [dayjs().startOf('month'), dayjs()] },
              { label: '去年', value: [dayjs().subtract(1, 'year').startOf('year'), dayjs().subtract(1, 'year').endOf('year')] },
            ]} />
          <ExportButton path="/cases/rates" query={{ scopeCode: requested, from, to }} fileName="三率.xlsx" testId="rates-export" />
        </Space>
      }
    >
      {trail.length > 1 && (
        <Breadcrumb style={{ marginBottom: 12 }} data-testid="rates-trail"
          items={trail.map((t, i) => ({
            title: i === trail.length - 1 ? <b>{t.name}</b>
              : i >= reach ? <a onClick={() => go(t)}>{t.name}</a>
                : <span style={{ color: '#999' }}>{t.name}</span>,
          }))} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {!rates && !error && <Spin style={{ display: 'block', margin: '48px auto' }} />}
      {rates && self && (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {rates.scopeName}
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8, fontSize: 13 }}>
              上报日期 {rates.from} 至 {rates.to} · 期内上报 <CountLink value={rates.counts.reported} onClick={() => openCount(self, '期内上报', {})} testId="rates-reported" /> 件 ·
              在办 <CountLink value={rates.counts.open} onClick={() => openCount(self, '在办', { state: 'open' })} /> 件 ·
              超期 <CountLink value={rates.counts.overdue} onClick={() => openCount(self, '超期', { overdue: 'true' })} /> 件
            </Typography.Text>
          </Typography.Title>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            {MEASURES.map((m) => (
              <Col span={8} key={m}><RateCard measure={m} rates={rates} open={(measure, met, label) => openMeasure(self, measure, met, label)} /></Col>
            ))}
          </Row>
          <Card size="small" title="趋势" style={{ marginBottom: 16 }}
            extra={<Segmented size="small" value={interval} onChange={(v) => setInterval(v as 'month' | 'week' | 'day')}
              options={[{ value: 'month', label: '按月' }, { value: 'week', label: '按周' }, { value: 'day', label: '按日' }]} />}>
            {trend ? (
              trendItems.length ? (
                <TrendChart items={trendItems} interval={interval}
                  onPick={(point, measure) => openMeasure(self, measure, undefined, `${periodLabel(point, interval)} ${PARTS[measure].denLabel}`, { from: point.from, to: point.to })} />
              ) : <Empty description="期内没有案件" />
            ) : <Spin />}
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>点击折线上的点，查看该时段计入该比率的案件。</Typography.Text>
          </Card>
          {scope?.kind !== 'department' && (
            <Tabs activeKey={by} onChange={(k) => setBy(k as 'children' | 'departments')}
              items={[
                { key: 'children', label: breakdown ? `按下级区域（${TERRITORY_KIND_LABEL[breakdown.items[0]?.kind ?? ''] ?? '下级'}）` : '按下级区域', children: breakdownTable(breakdown, 'children') },
                { key: 'departments', label: '按职能部门（吹哨报到）', children: breakdownTable(departments, 'departments') },
              ]} />
          )}
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
            口径：响应率 = {definition.response}；解决率 = {definition.resolution}；满意率 = {definition.satisfaction}。按上报日期（北京时间）统计，合并的重复件不计。
            职能部门按被吹哨的案件计：响应率 = 报到期限内报到 ÷ 应报到，解决率 = 已反馈 ÷ 被吹哨，满意率按这些案件的评价计。
          </Typography.Paragraph>
        </>
      )}
      <CaseListDrawer request={drill} onClose={() => setDrill(null)} />
    </Card>
  );
}

const definition: Record<Measure, string> = {
  response: '受理期限内受理或作废的案件 ÷ 已到受理期限或已受理/作废的案件',
  resolution: '处置经核查通过的案件 ÷ 已立案（受理）的案件',
  satisfaction: '评价为满意或基本满意的案件 ÷ 已评价的案件',
};
