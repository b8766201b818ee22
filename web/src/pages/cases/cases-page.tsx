// 案件台: the caller's queues as tabs with their counts (待我处理, 待受理, 本范围全部, 吹哨/部门, 超期/黄红牌), filters
// (category, state, channel, reporting dates, keyword) and the cases with their deadline and cards; a case opens in a
// drawer with its timeline and the actions this person may take.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Button, Card, DatePicker, Drawer, Input, Segmented, Select, Space, Table, Tabs, Tag, TreeSelect, Typography } from 'antd';
import { ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useAuth } from '../../auth';
import { ExportButton } from '../../components/export-button';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { beijingTime } from '../../time';
import { CaseStateTag, DeadlineCell, useCategoryTree, useWorkCalendar } from './case-bits';
import { CaseDetailView } from './case-detail';
import { HotlineImportModal } from './hotline-import-modal';
import { CASE_STATE_LABEL, casesApi, CHANNEL_LABEL, TIER_LABEL, type CaseItem } from './cases-api';

interface Queue {
  key: string;
  label: string;
  /** the list query of this tab */
  query: Record<string, string | undefined>;
  show: (can: (p: string) => boolean) => boolean;
}

const desk = (can: (p: string) => boolean) => !can('case:department') || can('case:desk');
const QUEUES: Queue[] = [
  { key: 'mine', label: '待我处理', query: { queue: 'mine' }, show: () => true },
  { key: 'reported', label: '待受理', query: { queue: 'reported' }, show: (can) => can('case:desk') || can('case:supervise') },
  { key: 'scope', label: '本范围全部', query: { queue: 'scope' }, show: desk },
  { key: 'department', label: '吹哨 / 部门', query: { queue: 'department' }, show: (can) => can('case:department') },
  { key: 'overdue', label: '超期 / 黄红牌', query: { queue: 'scope', overdue: 'true' }, show: desk },
];

/** GET /cases/counts: open cases of the caller's queues (a department's: its own and those it was whistled on). */
interface Counts { mine: number; reported: number; open: number; overdue: number; yellow: number; red: number; rating: number; total: number }

function QueueLabel({ tab, counts }: { tab: Queue; counts: Counts | null }) {
  const dim = (n: number, prefix = '') => <span style={{ color: '#999', marginLeft: 4 }}>{prefix}{n}</span>;
  let badge: React.ReactNode = null;
  if (counts) {
    if (tab.key === 'mine') badge = counts.mine > 0 ? <Tag color="volcano" style={{ marginLeft: 6 }}>{counts.mine}</Tag> : dim(0);
    else if (tab.key === 'reported') badge = dim(counts.reported);
    else if (tab.key === 'scope' || tab.key === 'department') badge = dim(counts.open, '在办 ');
    else if (tab.key === 'overdue') {
      badge = (
        <>
          {counts.overdue > 0 ? <Tag color="red" style={{ marginLeft: 6 }}>{counts.overdue}</Tag> : dim(0)}
          {counts.yellow > 0 && <Tag color="#faad14" style={{ marginInlineEnd: 2 }}>黄 {counts.yellow}</Tag>}
          {counts.red > 0 && <Tag color="#c8161e">红 {counts.red}</Tag>}
        </>
      );
    }
  }
  return <span data-testid={`case-queue-${tab.key}`}>{tab.label}{badge}</span>;
}

export default function CasesPage() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const queues = QUEUES.filter((q) => q.show(can));
  const [queue, setQueue] = useState(() => queues.find((q) => q.key === params.get('queue'))?.key ?? queues[0]?.key ?? 'mine');
  const [categoryCode, setCategoryCode] = useState<string | undefined>();
  // a link from the home's to-dos carries its filters (state, card, whistle) in the address
  const [state, setState] = useState<string | undefined>(() => params.get('state') ?? undefined);
  const [channel, setChannel] = useState<string | undefined>();
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [q, setQ] = useState('');
  const [card, setCard] = useState<'' | 'yellow' | 'red'>(() => (params.get('card') === 'red' || params.get('card') === 'yellow' ? params.get('card') as 'yellow' | 'red' : ''));
  const [whistle, setWhistle] = useState(() => params.get('whistle') === 'open');
  const [importing, setImporting] = useState(false);
  const [counts, setCounts] = useState<Counts | null>(null);
  const { tree } = useCategoryTree();
  const calendar = useWorkCalendar();
  const openId = params.get('id') ? Number(params.get('id')) : null;

  const current = queues.find((x) => x.key === queue) ?? queues[0]!;
  const filters = {
    ...current.query,
    ...(current.key === 'overdue' && card ? { card } : {}),
    ...(state ? { state } : {}),
    ...(whistle ? { whistle: 'open' } : {}),
    categoryCode, channel,
    from: range?.[0].format('YYYY-MM-DD'), to: range?.[1].format('YYYY-MM-DD'),
    q: q || undefined,
  };
  const list = useCursorList<CaseItem>('/cases', filters);
  useEffect(() => { casesApi.counts().then((c) => setCounts(c as unknown as Counts)).catch(() => setCounts(null)); }, [list.items]);

  const open = (id: number | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('id', String(id)); else next.delete('id');
    setParams(next, { replace: !id });
  };

  return (
    <Card
      title="案件台"
      extra={
        <Space>
          {can('case:desk') && <Button icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="hotline-open">导入热线工单</Button>}
          {can('case:report') && <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/cases/new')} data-testid="case-new">登记案件</Button>}
          <ExportButton path="/cases" query={filters} fileName="案件清单.xlsx" masked testId="case-export" />
          <Button icon={<ReloadOutlined />} onClick={list.reload} aria-label="刷新" />
        </Space>
      }
    >
      <Tabs
        activeKey={current.key}
        onChange={(key) => { setQueue(key); const next = new URLSearchParams(params); next.set('queue', key); setParams(next, { replace: true }); }}
        data-testid="case-queues"
        items={queues.map((tab) => ({ key: tab.key, label: <QueueLabel tab={tab} counts={counts} /> }))}
      />
      <Space wrap style={{ marginBottom: 12 }} data-testid="case-filters">
        <TreeSelect allowClear placeholder="案件类别" style={{ width: 200 }} treeData={tree} value={categoryCode} onChange={setCategoryCode}
          showSearch={{ treeNodeFilterProp: 'title' }} popupMatchSelectWidth={false} data-testid="case-filter-category" />
        {current.key === 'overdue' && (
          <Segmented value={card} onChange={(v) => setCard(v as '' | 'yellow' | 'red')} data-testid="case-filter-card"
            options={[{ value: '', label: '全部超期' }, { value: 'yellow', label: '黄牌' }, { value: 'red', label: '红牌' }]} />
        )}
        {current.key !== 'reported' && (
          <Select allowClear placeholder="状态" style={{ width: 120 }} value={state} onChange={setState}
            options={[{ value: 'open', label: '在办（未办结）' }, ...Object.entries(CASE_STATE_LABEL).map(([value, label]) => ({ value, label }))]} />
        )}
        {whistle && (
          <Tag closable color="orange" onClose={() => setWhistle(false)} data-testid="case-filter-whistle">吹哨未反馈</Tag>
        )}
        <Select allowClear placeholder="来源" style={{ width: 130 }} value={channel} onChange={setChannel}
          options={Object.entries(CHANNEL_LABEL).map(([value, label]) => ({ value, label }))} />
        <DatePicker.RangePicker value={range} onChange={(v) => setRange(v?.[0] && v[1] ? [v[0], v[1]] : null)} placeholder={['上报日期起', '上报日期止']} />
        <Input.Search placeholder="服务单号或描述关键字" allowClear onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} data-testid="case-search" />
      </Space>
      <Table<CaseItem>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="cases-table"
        locale={{ emptyText: list.error ?? '暂无案件' }}
        onRow={(c) => ({ onDoubleClick: () => open(c.id) })}
        columns={[
          {
            title: '服务单号', dataIndex: 'serviceNo', width: 165,
            render: (v: string, c) => <a onClick={() => open(c.id)} data-testid={`case-open-${c.id}`}>{v}</a>,
          },
          {
            title: '类别', dataIndex: 'categoryName', width: 140,
            render: (v: string, c) => (
              <Space orientation="vertical" size={0}>
                <span>{v}</span>
                <span style={{ color: '#888', fontSize: 12 }}>{c.majorName} · {c.channelName}</span>
              </Space>
            ),
          },
          {
            title: '问题', dataIndex: 'description',
            render: (v: string, c) => (
              <Space orientation="vertical" size={0} style={{ minWidth: 200 }}>
                <Typography.Paragraph ellipsis={{ rows: 2, tooltip: v }} style={{ marginBottom: 0 }}>{v}</Typography.Paragraph>
                {c.duplicateOf && <Tag color="warning" style={{ fontSize: 11 }}>疑似重复</Tag>}
              </Space>
            ),
          },
          {
            title: '位置（社区 / 网格）', width: 160,
            render: (_: unknown, c) => (
              <Space orientation="vertical" size={0}>
                <span>{c.communityName ?? c.streetName}</span>
                <span style={{ color: '#888', fontSize: 12 }}>{c.microGridName ?? c.gridName ?? '—'}</span>
              </Space>
            ),
          },
          {
            title: '当前承办', width: 140,
            render: (_: unknown, c) => (
              <Space orientation="vertical" size={0}>
                <span>{c.handlerName}</span>
                <span style={{ color: '#888', fontSize: 12 }}>{TIER_LABEL[c.handlerTier] ?? c.handlerTier}</span>
              </Space>
            ),
          },
          { title: '状态', dataIndex: 'stateName', width: 90, render: (v: string, c) => <CaseStateTag state={c.state} name={v} /> },
          { title: '期限', width: 140, render: (_: unknown, c) => <DeadlineCell item={c} calendar={calendar} /> },
          { title: '上报时间', dataIndex: 'reportedAt', width: 140, render: (v: string) => beijingTime(v, 'YYYY-MM-DD HH:mm') },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />

      <Drawer
        open={openId !== null}
        onClose={() => open(null)}
        title={openId ? <Space>案件详情<Link to={`/cases/${openId}`} style={{ fontSize: 13, fontWeight: 'normal' }}>在新页面打开</Link></Space> : '案件详情'}
        size={1000}
        destroyOnHidden
        data-testid="case-drawer"
      >
        {openId && (
          <CaseDetailView id={openId} onChanged={(c) => list.replaceItem((x) => x.id === c.id, c)} />
        )}
      </Drawer>
      <HotlineImportModal open={importing} onClose={() => setImporting(false)} onImported={list.reload} />
    </Card>
  );
}
