// 三张清单: pick a community on the left; the right shows its needs list (需求清单), resources list (资源清单),
// project list (项目清单) and its crowd-funded projects (公益众筹). Every figure is counted from the records.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Empty, Popconfirm, Row, Select, Space, Spin, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import {
  FORCE_RESOURCE_KIND_LABEL, FORCE_RESOURCE_STATUS_LABEL, formatTime, label, NEED_CATEGORY_LABEL, NEED_SOURCE_LABEL, NEED_STATUS_LABEL,
  PROJECT_KIND_LABEL, PROJECT_STATUS_LABEL,
} from '../../labels';
import { territoryApi } from '../territory/territory-api';
import { CommunityTree } from './community-tree';
import { MoneyProgress, NeedStatusTag, ProjectDrawer, StatusTag } from './project-drawer';
import { NeedModal, ProjectModal } from './project-forms';
import { projectsApi, type CommunityLists, type Count, type Need, type ProjectItem, type ReachingUnit } from './projects-api';

const countOf = (rows: Count[], key: string) => rows.find((r) => r.key === key)?.count ?? 0;
const statusOptions = (map: Record<string, { text: string }>) => Object.entries(map).map(([value, s]) => ({ value, label: s.text }));
const plainOptions = (map: Record<string, string>) => Object.entries(map).map(([value, text]) => ({ value, label: text }));

function NeedsTab({ code, canWrite, onChanged, onMakeProject }: {
  code: string;
  canWrite: boolean;
  onChanged: () => void;
  onMakeProject: (need: Need) => void;
}) {
  const { message } = App.useApp();
  const [filters, setFilters] = useState<{ status?: string; category?: string }>({});
  const [editing, setEditing] = useState<Need | 'new' | null>(null);
  const [exporting, setExporting] = useState(false);
  const list = useCursorList<Need>('/service/needs', { communityCode: code, ...filters }, 20);

  const setStatus = async (need: Need, status: string) => {
    try {
      list.replaceItem((n) => n.id === need.id, await projectsApi.updateNeed(need.id, { status }));
      message.success(`需求已${NEED_STATUS_LABEL[status]?.text ?? status}`);
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const exportXlsx = async () => {
    setExporting(true);
    try {
      await api.download('/service/needs', { communityCode: code, ...filters, format: 'xlsx' }, '需求清单.xlsx');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="状态" style={{ width: 120 }} value={filters.status} options={statusOptions(NEED_STATUS_LABEL)}
          onChange={(v: string | undefined) => setFilters((f) => ({ ...f, status: v }))} data-testid="need-filter-status" />
        <Select allowClear placeholder="类别" style={{ width: 130 }} value={filters.category} options={plainOptions(NEED_CATEGORY_LABEL)}
          onChange={(v: string | undefined) => setFilters((f) => ({ ...f, category: v }))} />
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="need-create">登记需求</Button>}
        <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} data-testid="need-export">导出 Excel</Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<Need>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1180 }}
        data-testid="needs-table"
        columns={[
          { title: '需求', dataIndex: 'title', width: 260, render: (v: string, row) => <Space orientation="vertical" size={0}><span>{v}</span>
            {row.description && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{row.description}</Typography.Text>}</Space> },
          { title: '类别', dataIndex: 'category', width: 100, render: (v: string) => <Tag>{label(NEED_CATEGORY_LABEL, v)}</Tag> },
          { title: '来源', dataIndex: 'source', width: 100, render: (v: string) => label(NEED_SOURCE_LABEL, v) },
          { title: '受益人数', dataIndex: 'beneficiaries', width: 90, align: 'right' as const, render: (v: number | null) => v ?? '—' },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <NeedStatusTag status={v} /> },
          { title: '立项', dataIndex: 'projectCount', width: 60, align: 'right' as const },
          { title: '登记时间', dataIndex: 'createdAt', width: 170, render: formatTime },
          ...(canWrite ? [{
            title: '操作', key: 'ops', width: 230,
            render: (_: unknown, row: Need) => (
              <Space size={4} wrap>
                {(row.status === 'open' || row.status === 'in_project') && <Button size="small" type="link" onClick={() => onMakeProject(row)}>立项</Button>}
                <Button size="small" type="link" onClick={() => setEditing(row)}>编辑</Button>
                {(row.status === 'open' || row.status === 'in_project') && (
                  <Popconfirm title="确认该需求已满足？" onConfirm={() => setStatus(row, 'met')}><Button size="small" type="link">已满足</Button></Popconfirm>
                )}
                {(row.status === 'open' || row.status === 'in_project') && (
                  <Popconfirm title="关闭该需求？" onConfirm={() => setStatus(row, 'closed')}><Button size="small" type="link" danger>关闭</Button></Popconfirm>
                )}
                {row.status === 'closed' && <Button size="small" type="link" onClick={() => setStatus(row, 'open')}>重新打开</Button>}
              </Space>
            ),
          }] : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <NeedModal communityCode={code} need={editing === 'new' ? null : editing} open={editing !== null} onClose={() => setEditing(null)}
        onSaved={() => { message.success('已保存'); setEditing(null); list.reload(); onChanged(); }} />
    </>
  );
}

function ResourcesTab({ lists }: { lists: CommunityLists }) {
  const r = lists.resources;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {Object.entries(FORCE_RESOURCE_KIND_LABEL).map(([kind, text]) => (
          <Tag key={kind} color="geekblue" style={{ padding: '2px 10px' }}>{text} {countOf(r.byKind, kind)}</Tag>
        ))}
      </Space>
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={r.latest}
        data-testid="resources-table"
        locale={{ emptyText: <Empty description="暂无资源，可在力量图谱中登记场地、资金、设备和服务" image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
        columns={[
          { title: '资源', dataIndex: 'name' },
          { title: '类别', dataIndex: 'kind', width: 100, render: (v: string) => <Tag>{label(FORCE_RESOURCE_KIND_LABEL, v)}</Tag> },
          { title: '提供方', key: 'provider', render: (_: unknown, row) => row.providerName ?? row.providerOrg ?? '—' },
          { title: '数量', key: 'quantity', width: 110, render: (_: unknown, row) => (row.quantity === null ? '—' : `${row.quantity} ${row.unit ?? ''}`) },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => label(FORCE_RESOURCE_STATUS_LABEL, v) },
          { title: '登记时间', dataIndex: 'createdAt', width: 170, render: formatTime },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
        资源清单来自力量图谱（场地、资金、设备物资、服务），此处列出最近登记的 {r.latest.length} 项，共 {r.total} 项可用。
        <Link to="/forces/resources">到力量图谱查看和登记资源</Link>
      </Typography.Paragraph>
    </>
  );
}

function ProjectsTab({ code, canWrite, version, onOpen, onCreate }: {
  code: string;
  canWrite: boolean;
  version: number;
  onOpen: (id: number) => void;
  onCreate: () => void;
}) {
  const [filters, setFilters] = useState<{ status?: string; kind?: string }>({});
  const list = useCursorList<ProjectItem>('/service/projects', { communityCode: code, ...filters }, 20);
  const { reload } = list;
  useEffect(() => {
    if (version > 0) reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="状态" style={{ width: 120 }} value={filters.status} options={statusOptions(PROJECT_STATUS_LABEL)}
          onChange={(v: string | undefined) => setFilters((f) => ({ ...f, status: v }))} />
        <Select allowClear placeholder="类型" style={{ width: 130 }} value={filters.kind} options={plainOptions(PROJECT_KIND_LABEL)}
          onChange={(v: string | undefined) => setFilters((f) => ({ ...f, kind: v }))} />
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="project-create">发布项目</Button>}
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<ProjectItem>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="projects-table"
        scroll={{ x: 1100 }}
        onRow={(row) => ({ onClick: () => onOpen(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '项目', dataIndex: 'title', width: 260, render: (v: string, row) => <Space orientation="vertical" size={0}><a>{v}</a>
            {row.needTitle && <Typography.Text type="secondary" style={{ fontSize: 12 }}>需求：{row.needTitle}</Typography.Text>}</Space> },
          { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => label(PROJECT_KIND_LABEL, v) },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <StatusTag status={v} /> },
          { title: '认领单位', key: 'units', width: 220, render: (_: unknown, row) => (row.unitCount === 0 ? <Typography.Text type="secondary">待认领</Typography.Text>
            : <span>{row.leadUnit}{row.unitCount > 1 ? ` 等 ${row.unitCount} 家` : ''}</span>) },
          { title: '资金进度', key: 'money', width: 220, render: (_: unknown, row) => <MoneyProgress project={row} compact /> },
          { title: '发布时间', dataIndex: 'createdAt', width: 170, render: formatTime },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </>
  );
}

/** 公益众筹: one card per crowd-funded project with its two money bars. */
function CrowdfundingTab({ code, canWrite, version, onOpen, onCreate }: {
  code: string;
  canWrite: boolean;
  version: number;
  onOpen: (id: number) => void;
  onCreate: () => void;
}) {
  const [status, setStatus] = useState<string | undefined>();
  const list = useCursorList<ProjectItem>('/service/projects', { communityCode: code, kind: 'crowdfunding', status }, 12);
  const { reload } = list;
  useEffect(() => {
    if (version > 0) reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="状态" style={{ width: 120 }} value={status} options={statusOptions(PROJECT_STATUS_LABEL)} onChange={setStatus} />
        {canWrite && <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid="crowdfunding-create">发起众筹</Button>}
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      {list.loading && list.items.length === 0 && <Spin />}
      {!list.loading && list.items.length === 0 && <Empty description="暂无公益众筹项目" />}
      <Row gutter={[16, 16]} data-testid="crowdfunding-cards">
        {list.items.map((p) => (
          <Col key={p.id} xs={24} xl={12}>
            <Card size="small" hoverable onClick={() => onOpen(p.id)} title={<Space><StatusTag status={p.status} /><span>{p.title}</span></Space>}>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }} ellipsis>
                认领单位：{p.unitCount > 0 ? `${p.leadUnit}${p.unitCount > 1 ? ` 等 ${p.unitCount} 家` : ''}` : '待认领'}
                {p.needTitle ? `　需求：${p.needTitle}` : ''}
              </Typography.Paragraph>
              <Row gutter={8} style={{ marginBottom: 8 }}>
                <Col span={8}><Statistic title="目标" value={p.targetAmount ?? 0} precision={2} suffix="元" styles={{ content: { fontSize: 18 } }} /></Col>
                <Col span={8}><Statistic title={`已认捐（${p.pledgeCount} 笔）`} value={p.pledgedAmount} precision={2} suffix="元" styles={{ content: { fontSize: 18 } }} /></Col>
                <Col span={8}><Statistic title="已支出" value={p.spentAmount} precision={2} suffix="元" styles={{ content: { fontSize: 18 } }} /></Col>
              </Row>
              <MoneyProgress project={p} compact />
            </Card>
          </Col>
        ))}
      </Row>
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </>
  );
}

export default function ListsPage() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const canWrite = can('service:write');
  const [params, setParams] = useSearchParams();
  const selected = params.get('code');
  const tab = params.get('tab') ?? 'needs';
  const openProjectParam = params.get('project');
  const [node, setNode] = useState<{ code: string; name: string; kind: string } | null>(null);
  const [lists, setLists] = useState<CommunityLists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [units, setUnits] = useState<ReachingUnit[]>([]);
  const [needs, setNeeds] = useState<Need[]>([]);
  const [version, setVersion] = useState(0);
  const [creating, setCreating] = useState<{ kind?: string; needId?: number } | null>(null);
  const [openProject, setOpenProject] = useState<number | null>(openProjectParam ? Number(openProjectParam) : null);

  const isCommunity = node?.kind === 'community' && node.code === selected;

  useEffect(() => {
    if (!selected) return;
    if (node?.code === selected) return;
    territoryApi.node(selected).then(setNode).catch((e: unknown) => setError(errorMessage(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selected]);

  const refresh = useCallback(() => {
    if (!selected) return;
    projectsApi.lists(selected).then(setLists).catch((e: unknown) => setError(errorMessage(e)));
    api.get<{ items: Need[] }>('/service/needs', { communityCode: selected, limit: 200 }).then((p) => setNeeds(p.items)).catch(() => setNeeds([]));
  }, [selected]);

  useEffect(() => {
    setLists(null);
    if (!selected || !isCommunity) return;
    setError(null);
    refresh();
    projectsApi.units(selected).then((r) => setUnits(r.items)).catch(() => setUnits([]));
  }, [selected, isCommunity, refresh]);

  const changed = () => {
    refresh();
    setVersion((v) => v + 1);
  };

  const setTab = (key: string) => setParams((p) => { const next = new URLSearchParams(p); next.set('tab', key); return next; }, { replace: true });

  const header = useMemo(() => {
    if (!lists) return null;
    const p = lists.projects;
    return (
      <Row gutter={[16, 16]} data-testid="lists-figures">
        <Col xs={12} md={6}><Statistic title="需求（待认领）" value={lists.needs.total} suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>（{countOf(lists.needs.byStatus, 'open')}）</Typography.Text>} /></Col>
        <Col xs={12} md={6}><Statistic title="资源" value={lists.resources.total} suffix="项" /></Col>
        <Col xs={12} md={6}><Statistic title="项目（实施中）" value={p.total} suffix={<Typography.Text type="secondary" style={{ fontSize: 14 }}>（{countOf(p.byStatus, 'in_progress')}）</Typography.Text>} /></Col>
        <Col xs={12} md={6}><Statistic title="参与单位" value={p.unitsInvolved} suffix="家" /></Col>
        <Col xs={12} md={6}><Statistic title="众筹目标" value={p.targetAmount} precision={2} suffix="元" /></Col>
        <Col xs={12} md={6}><Statistic title="已认捐" value={p.pledgedAmount} precision={2} suffix="元" /></Col>
        <Col xs={12} md={6}><Statistic title="已支出" value={p.spentAmount} precision={2} suffix="元" /></Col>
        <Col xs={12} md={6}><Statistic title="结余" value={Math.round((p.pledgedAmount - p.spentAmount) * 100) / 100} precision={2} suffix="元" /></Col>
      </Row>
    );
  }, [lists]);

  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xl={6}>
        <CommunityTree
          title="三张清单"
          selected={selected}
          testId="lists-tree"
          onFirstRoot={(root) => {
            if (!selected && root.kind === 'community') setParams({ code: root.code }, { replace: true });
          }}
          onSelect={(item) => {
            setNode(item);
            setParams({ code: item.code });
          }}
        />
      </Col>
      <Col xs={24} lg={17} xl={18}>
        {selected && error && !isCommunity && <Alert type="error" showIcon title={error} />}
        {(!selected || (node && node.kind !== 'community')) && (
          <Card>
            <Empty description={<span>请在左侧选择社区查看其需求清单、资源清单和项目清单。{node && <> 也可查看 <Link to={`/service/overview?scope=${node.code}`}>{node.name}各社区概览</Link>。</>}</span>} />
          </Card>
        )}
        {selected && isCommunity && (
          <Card
            title={lists ? `${lists.communityName} · 三张清单` : '三张清单'}
            extra={<Link to="/service/overview">各社区概览</Link>}
            data-testid="lists-card"
          >
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
            {!lists && !error && <Spin />}
            {header}
            {lists && (
              <Tabs
                style={{ marginTop: 16 }}
                activeKey={tab}
                onChange={setTab}
                items={[
                  { key: 'needs', label: `需求清单（${lists.needs.total}）`,
                    children: <NeedsTab code={selected} canWrite={canWrite} onChanged={changed} onMakeProject={(n) => setCreating({ needId: n.id })} /> },
                  { key: 'resources', label: `资源清单（${lists.resources.total}）`, children: <ResourcesTab lists={lists} /> },
                  { key: 'projects', label: `项目清单（${lists.projects.total}）`,
                    children: <ProjectsTab code={selected} canWrite={canWrite} version={version} onOpen={setOpenProject} onCreate={() => setCreating({})} /> },
                  { key: 'crowdfunding', label: `公益众筹（${countOf(lists.projects.byKind, 'crowdfunding')}）`,
                    children: <CrowdfundingTab code={selected} canWrite={canWrite} version={version} onOpen={setOpenProject}
                      onCreate={() => setCreating({ kind: 'crowdfunding' })} /> },
                ]}
              />
            )}
          </Card>
        )}
      </Col>
      {selected && (
        <ProjectModal communityCode={selected} needs={needs} initialKind={creating?.kind} initialNeedId={creating?.needId} open={creating !== null}
          onClose={() => setCreating(null)}
          onSaved={(id) => { message.success('项目已发布'); setCreating(null); changed(); setTab(creating?.kind === 'crowdfunding' ? 'crowdfunding' : 'projects'); setOpenProject(id); }} />
      )}
      <ProjectDrawer projectId={openProject} mode="staff" units={units} onClose={() => setOpenProject(null)} onChanged={changed} />
    </Row>
  );
}
