// 单位认领 (unit party organisation): the projects in its reach it may still claim (可认领项目: communities whose
// alliance it belongs to, or where it is located) and the projects it has claimed (我单位认领的项目).
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Select, Space, Table, Tabs, Typography } from 'antd';
import { useAuth } from '../../auth';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { formatTime, label, PROJECT_KIND_LABEL, PROJECT_UNIT_ROLE_LABEL } from '../../labels';
import { MoneyProgress, ProjectDrawer, StatusTag } from './project-drawer';
import { ClaimModal } from './project-forms';
import type { ProjectItem } from './projects-api';

function UnitProjectTable({ path, claimable, version, onOpen, onClaim }: {
  path: string;
  claimable: boolean;
  version: number;
  onOpen: (id: number) => void;
  onClaim: (project: ProjectItem) => void;
}) {
  const [kind, setKind] = useState<string | undefined>();
  const list = useCursorList<ProjectItem>(path, { kind }, 20);
  const { reload } = list;
  useEffect(() => {
    if (version > 0) reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Select allowClear placeholder="类型" style={{ width: 130 }} value={kind} onChange={setKind}
          options={Object.entries(PROJECT_KIND_LABEL).map(([value, text]) => ({ value, label: text }))} />
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<ProjectItem>
        rowKey="id"
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid={claimable ? 'claimable-projects' : 'my-projects'}
        scroll={{ x: 1200 }}
        onRow={(row) => ({ onClick: () => onOpen(row.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '社区', dataIndex: 'communityName', width: 110 },
          { title: '项目', dataIndex: 'title', width: 260, render: (v: string, row) => <Space orientation="vertical" size={0}><a>{v}</a>
            {row.description && <Typography.Text type="secondary" style={{ fontSize: 12, maxWidth: 240 }} ellipsis>{row.description}</Typography.Text>}</Space> },
          { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => label(PROJECT_KIND_LABEL, v) },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <StatusTag status={v} /> },
          { title: '已认领单位', key: 'units', width: 200, render: (_: unknown, row) => (row.unitCount === 0 ? <Typography.Text type="secondary">暂无，认领即为牵头单位</Typography.Text>
            : <span>{row.leadUnit}{row.unitCount > 1 ? ` 等 ${row.unitCount} 家` : ''}</span>) },
          { title: '资金进度', key: 'money', width: 210, render: (_: unknown, row) => <MoneyProgress project={row} compact /> },
          { title: '发布时间', dataIndex: 'createdAt', width: 150, render: formatTime },
          ...(claimable ? [{
            title: '操作', key: 'claim', width: 80, fixed: 'right' as const,
            render: (_: unknown, row: ProjectItem) => (
              <Button type="primary" size="small" data-testid="claim-button" onClick={(e) => { e.stopPropagation(); onClaim(row); }}>认领</Button>
            ),
          }] : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </>
  );
}

export default function UnitProjectsPage() {
  const { user } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'claimable';
  const [version, setVersion] = useState(0);
  const [open, setOpen] = useState<number | null>(null);
  const [claiming, setClaiming] = useState<ProjectItem | null>(null);
  const changed = () => setVersion((v) => v + 1);

  return (
    <Card title="共建项目认领" extra={<Typography.Text type="secondary">{user?.displayName}</Typography.Text>}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        可认领的是本单位所在社区、以及本单位加入的党建联盟/理事会所服务社区发布的项目。第一个认领的单位为牵头单位，其余为共建单位。
      </Typography.Paragraph>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key }, { replace: true })}
        items={[
          { key: 'claimable', label: '可认领项目',
            children: <UnitProjectTable path="/service/projects" claimable version={version} onOpen={setOpen} onClaim={setClaiming} /> },
          { key: 'mine', label: '我单位认领的项目',
            children: <UnitProjectTable path="/service/projects/mine" claimable={false} version={version} onOpen={setOpen} onClaim={setClaiming} /> },
        ]}
      />
      {claiming && (
        <ClaimModal projectId={claiming.id} projectTitle={claiming.title} open onClose={() => setClaiming(null)}
          onSaved={(r) => { message.success(`认领成功：${label(PROJECT_UNIT_ROLE_LABEL, r.role)}`); setClaiming(null); changed(); }} />
      )}
      <ProjectDrawer projectId={open} mode="unit" ownOrgName={user?.displayName} onClose={() => setOpen(null)} onChanged={changed} />
    </Card>
  );
}
