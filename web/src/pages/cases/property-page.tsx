// 物业案件: what a property company (物业) works from — the property cases of its compounds by state (待受理 first),
// its three rates with the residents' satisfaction as its rating, and its compounds' pages. A case opens in a drawer
// with its timeline and the actions the company may take (受理, 处置反馈 with photos, 退回社区, 申请延期).
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Col, Drawer, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { HomeOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { beijingTime } from '../../time';
import { CaseStateTag, DeadlineCell, useWorkCalendar } from './case-bits';
import { CaseDetailView } from './case-detail';
import { casesApi, MEASURE_LABEL, percentText, SATISFACTION_LABEL, type CaseItem, type PropertySummary, type RateFigure } from './cases-api';

const TABS = [
  { key: 'reported', label: '待受理', count: (s: PropertySummary) => s.states.reported },
  { key: 'handling', label: '处置中', count: (s: PropertySummary) => s.states.handling },
  { key: 'resolved', label: '待社区核查', count: (s: PropertySummary) => s.states.resolved },
  { key: 'rating', label: '待居民评价', count: (s: PropertySummary) => s.states.rating },
  { key: 'closed', label: '已结案', count: (s: PropertySummary) => s.states.closed },
  { key: '', label: '全部', count: () => null },
] as const;

const RATE_HINT: Record<string, string> = {
  response: '期限内受理的案件 ÷ 已到受理期限的案件',
  resolution: '处置通过社区核查的案件 ÷ 已受理的案件',
  satisfaction: '居民评价满意、基本满意的案件 ÷ 已评价的案件',
};

function RateCard({ measure, figure, onList }: { measure: 'response' | 'resolution' | 'satisfaction'; figure: RateFigure; onList: () => void }) {
  return (
    <Card size="small" data-testid={`property-rate-${measure}`}>
      <Statistic title={measure === 'satisfaction' ? '居民满意率（评价）' : MEASURE_LABEL[measure]} value={percentText(figure.rate)} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {figure.numerator} / {figure.denominator} 件 · {RATE_HINT[measure]}
      </Typography.Text>
      {figure.denominator > 0 && <div><Button type="link" size="small" style={{ padding: 0 }} onClick={onList}>查看这些案件</Button></div>}
    </Card>
  );
}

export default function PropertyCasesPage() {
  const [params, setParams] = useSearchParams();
  const [summary, setSummary] = useState<PropertySummary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const calendar = useWorkCalendar();
  const tab = params.get('state') ?? 'reported';
  const measure = params.get('measure');
  const openId = params.get('id') ? Number(params.get('id')) : null;
  const filters = measure ? { measure, met: 'true' } : { state: tab || undefined };
  const list = useCursorList<CaseItem>('/cases/property', filters);

  useEffect(() => {
    casesApi.propertySummary().then(setSummary).catch((e: unknown) => setProblem(errorMessage(e)));
  }, [list.items]);

  const update = (next: Record<string, string | null>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) if (v === null) p.delete(k); else p.set(k, v);
    setParams(p, { replace: !next.id });
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      {problem && <Alert type="error" showIcon title={problem} />}
      <Card
        size="small"
        title="物业案件"
        extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>刷新</Button>}
      >
        <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
          居民在所服务小区内反映的物业类问题（电梯、楼道堆物、漏水渗水、停车、绿化）直接交给本物业，社区也可交办。
          请在受理期限内受理，处置后上传现场照片反馈；社区核查通过后由居民评价，评价结果计入满意率。非物业事项请退回社区并说明原因。
        </Typography.Paragraph>
        {summary && (
          <Row gutter={12}>
            {(['response', 'resolution', 'satisfaction'] as const).map((m) => (
              <Col xs={24} md={6} key={m}>
                <RateCard measure={m} figure={summary[m]} onList={() => update({ measure: m, state: null, id: null })} />
              </Col>
            ))}
            <Col xs={24} md={6}>
              <Card size="small" title={<span><HomeOutlined /> 服务的小区</span>} data-testid="property-compounds">
                {summary.compounds.length === 0 && <Typography.Text type="secondary">—</Typography.Text>}
                {summary.compounds.map((k) => (
                  <div key={k.code}>
                    <Link to={`/archive/compounds/${k.code}`}>{k.name}</Link>
                    {k.company && <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>{k.company}</Typography.Text>}
                  </div>
                ))}
                {summary.states.overdue > 0 && <Tag color="red" style={{ marginTop: 8 }}>超期 {summary.states.overdue} 件</Tag>}
              </Card>
            </Col>
          </Row>
        )}
      </Card>

      <Card size="small">
        {measure ? (
          <Alert type="info" showIcon style={{ marginBottom: 12 }}
            title={`${MEASURE_LABEL[measure] ?? measure}：计入的案件`}
            action={<Button size="small" onClick={() => update({ measure: null })}>返回按状态查看</Button>} />
        ) : (
          <Tabs
            activeKey={tab}
            onChange={(key) => update({ state: key, id: null })}
            items={TABS.map((t) => {
              const n = summary ? t.count(summary) : null;
              return { key: t.key, label: <span data-testid={`property-tab-${t.key || 'all'}`}>{t.label}{n !== null && <span style={{ color: '#999', marginLeft: 4 }}>{n}</span>}</span> };
            })}
          />
        )}
        {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
        <Table<CaseItem>
          rowKey="id"
          size="middle"
          loading={list.loading && list.items.length === 0}
          dataSource={list.items}
          pagination={false}
          data-testid="property-cases"
          locale={{ emptyText: tab === 'reported' && !measure ? '没有待受理的案件' : '没有案件' }}
          onRow={(c) => ({ onClick: () => update({ id: String(c.id) }), style: { cursor: 'pointer' } })}
          columns={[
            { title: '服务单号', dataIndex: 'serviceNo', width: 165, render: (v: string, c) => <a data-testid={`case-open-${c.id}`}>{v}</a> },
            { title: '类别', dataIndex: 'categoryName', width: 120 },
            {
              title: '问题', dataIndex: 'description',
              render: (v: string, c) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ marginBottom: 0 }}>{v}</Typography.Paragraph>
                  {c.address && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{c.address}</Typography.Text>}
                </Space>
              ),
            },
            { title: '状态', dataIndex: 'stateName', width: 100, render: (v: string, c) => <CaseStateTag state={c.state} name={v} /> },
            { title: '期限', width: 140, render: (_: unknown, c) => <DeadlineCell item={c} calendar={calendar} /> },
            {
              title: '居民评价', dataIndex: 'satisfaction', width: 100,
              render: (v: string | null) => (v ? <Tag color={v === 'unsatisfied' ? 'red' : 'green'}>{SATISFACTION_LABEL[v] ?? v}</Tag> : '—'),
            },
            { title: '上报时间', dataIndex: 'reportedAt', width: 140, render: (v: string) => beijingTime(v, 'YYYY-MM-DD HH:mm') },
          ]}
        />
        <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      </Card>

      <Drawer
        open={openId !== null}
        onClose={() => update({ id: null })}
        title={openId ? <Space>案件详情<Link to={`/cases/${openId}`} style={{ fontSize: 13, fontWeight: 'normal' }}>在新页面打开</Link></Space> : '案件详情'}
        size={1000}
        destroyOnHidden
        data-testid="case-drawer"
      >
        {openId && <CaseDetailView id={openId} onChanged={(c) => list.replaceItem((x) => x.id === c.id, c)} />}
      </Drawer>
    </Space>
  );
}
