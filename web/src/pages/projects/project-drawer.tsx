// 项目详情: units that claimed it, pledges, spending and the two progress bars (认捐进度 = pledged / target,
// 支出进度 = spent / pledged); staff move the status and record money, a unit claims and pledges for itself.
import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Empty, Image, Popconfirm, Progress, Space, Spin, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { formatTime, label, NEED_STATUS_LABEL, PROJECT_KIND_LABEL, PROJECT_STATUS_LABEL, PROJECT_UNIT_ROLE_LABEL } from '../../labels';
import { ClaimModal, PledgeModal, SpendingModal } from './project-forms';
import { percent, projectsApi, yuan, type ProjectDetail, type ReachingUnit } from './projects-api';

const STATUS_ACTION: Record<string, string> = { claimed: '标记为已认领', in_progress: '开始实施', done: '完成项目', cancelled: '取消项目' };

export function StatusTag({ status }: { status: string }) {
  const s = PROJECT_STATUS_LABEL[status];
  return <Tag color={s?.color}>{s?.text ?? status}</Tag>;
}

export function NeedStatusTag({ status }: { status: string }) {
  const s = NEED_STATUS_LABEL[status];
  return <Tag color={s?.color}>{s?.text ?? status}</Tag>;
}

/** The two money bars of a project; nothing when no money is involved. */
export function MoneyProgress({ project, compact = false }: {
  project: { targetAmount: number | null; pledgedAmount: number; spentAmount: number; progress: { pledged: number | null; spent: number | null } };
  compact?: boolean;
}) {
  if (project.targetAmount === null && project.pledgedAmount === 0) return compact ? <span>—</span> : null;
  const size = compact ? 'small' : 'default';
  return (
    <div style={{ minWidth: compact ? 180 : undefined }} data-testid="money-progress">
      {project.targetAmount !== null && (
        <div>
          {!compact && <Typography.Text type="secondary">认捐进度 {yuan(project.pledgedAmount)} / 目标 {yuan(project.targetAmount)}</Typography.Text>}
          <Progress size={size} percent={Math.min(100, percent(project.progress.pledged))} format={() => `认捐 ${percent(project.progress.pledged)}%`}
            status={project.progress.pledged !== null && project.progress.pledged >= 1 ? 'success' : 'active'} />
        </div>
      )}
      <div>
        {!compact && <Typography.Text type="secondary">支出进度 {yuan(project.spentAmount)} / 已认捐 {yuan(project.pledgedAmount)}</Typography.Text>}
        <Progress size={size} strokeColor="#fa8c16" percent={percent(project.progress.spent)} format={() => (project.progress.spent === null ? '未认捐' : `支出 ${percent(project.progress.spent)}%`)} />
      </div>
    </div>
  );
}

export function ProjectDrawer({ projectId, mode, units, ownOrgName, onClose, onChanged }: {
  projectId: number | null;
  /** staff keep the project; a unit claims and pledges for itself */
  mode: 'staff' | 'unit';
  /** units that may claim in the project's community (staff) */
  units?: ReachingUnit[];
  ownOrgName?: string;
  onClose: () => void;
  onChanged?: () => void;
}) {
  const { message } = App.useApp();
  const [project, setProject] = useState<ProjectDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'pledge' | 'spend' | 'claim' | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    if (projectId === null) return;
    setError(null);
    projectsApi
      .project(projectId)
      .then(setProject)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [projectId]);

  useEffect(() => {
    setProject(null);
    load();
  }, [load]);

  const changed = () => {
    setDialog(null);
    load();
    onChanged?.();
  };

  const move = async (status: string) => {
    if (!project) return;
    setBusy(true);
    try {
      setProject(await projectsApi.setStatus(project.id, status));
      message.success(`项目已${PROJECT_STATUS_LABEL[status]?.text ?? status}`);
      onChanged?.();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const open = project && project.status !== 'done' && project.status !== 'cancelled';
  const actions = project && (
    <Space wrap>
      {mode === 'staff' &&
        project.nextStatuses.map((s) =>
          s === 'cancelled' ? (
            <Popconfirm key={s} title="确定取消该项目？" onConfirm={() => move(s)}>
              <Button danger loading={busy}>{STATUS_ACTION[s]}</Button>
            </Popconfirm>
          ) : (
            <Button key={s} type="primary" ghost loading={busy} onClick={() => move(s)} data-testid={`status-${s}`}>
              {STATUS_ACTION[s] ?? s}
            </Button>
          ),
        )}
      {mode === 'staff' && (project.status === 'published' || project.status === 'claimed') && (
        <Button onClick={() => setDialog('claim')} data-testid="claim-for-unit">代单位认领</Button>
      )}
      {mode === 'unit' && project.claimable && (
        <Button type="primary" onClick={() => setDialog('claim')} data-testid="claim-project">认领</Button>
      )}
      {open && (
        <Button onClick={() => setDialog('pledge')} data-testid="pledge-button">{mode === 'unit' ? '本单位认捐' : '登记认捐'}</Button>
      )}
      {mode === 'staff' && project.status !== 'cancelled' && (
        <Button onClick={() => setDialog('spend')} disabled={project.pledgedAmount <= project.spentAmount} data-testid="spend-button">
          登记支出
        </Button>
      )}
    </Space>
  );

  return (
    <Drawer
      title={project ? `项目详情 · ${project.title}` : '项目详情'}
      open={projectId !== null}
      onClose={onClose}
      size={820}
      destroyOnHidden
      extra={project && <StatusTag status={project.status} />}
      data-testid="project-drawer"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!project && !error && <Spin />}
      {project && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          {actions}
          <Descriptions
            column={2}
            size="small"
            bordered
            styles={{ label: { width: 100 } }}
            items={[
              { key: 'kind', label: '类型', children: label(PROJECT_KIND_LABEL, project.kind) },
              { key: 'community', label: '社区', children: project.communityName },
              { key: 'need', label: '对应需求', children: project.needTitle ?? '—' },
              { key: 'period', label: '实施期间', children: project.startsOn || project.endsOn ? `${project.startsOn ?? '…'} 至 ${project.endsOn ?? '…'}` : '—' },
              { key: 'target', label: '目标金额', children: yuan(project.targetAmount) },
              { key: 'pledged', label: '已认捐', children: `${yuan(project.pledgedAmount)}（${project.pledgeCount} 笔）` },
              { key: 'spent', label: '已支出', children: yuan(project.spentAmount) },
              { key: 'balance', label: '结余', children: yuan(Math.round((project.pledgedAmount - project.spentAmount) * 100) / 100) },
              { key: 'desc', label: '项目说明', span: 2, children: project.description || '—' },
            ]}
          />
          <MoneyProgress project={project} />

          <div>
            <Typography.Title level={5}>认领单位（{project.units.length}）</Typography.Title>
            <Table
              size="small"
              rowKey="orgCode"
              pagination={false}
              dataSource={project.units}
              locale={{ emptyText: <Empty description="尚无单位认领" image={Empty.PRESENTED_IMAGE_SIMPLE} /> }}
              data-testid="project-units"
              columns={[
                { title: '单位党组织', dataIndex: 'orgName' },
                { title: '角色', dataIndex: 'role', width: 100, render: (v: string) => <Tag color={v === 'lead' ? 'red' : 'blue'}>{label(PROJECT_UNIT_ROLE_LABEL, v)}</Tag> },
                { title: '认领承诺', dataIndex: 'commitment', render: (v: string) => v || '—' },
                { title: '认领时间', dataIndex: 'claimedAt', width: 170, render: formatTime },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>认捐记录（{project.pledges.length}）</Typography.Title>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={project.pledges}
              data-testid="project-pledges"
              columns={[
                { title: '认捐方', dataIndex: 'donorName', render: (v: string, row) => <Space>{v}{row.orgCode ? <Tag>单位</Tag> : <Tag>个人</Tag>}</Space> },
                { title: '金额', dataIndex: 'amount', width: 160, align: 'right' as const, render: yuan },
                { title: '时间', dataIndex: 'pledgedAt', width: 170, render: formatTime },
              ]}
            />
          </div>
          <div>
            <Typography.Title level={5}>资金支出（{project.spending.length}）</Typography.Title>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={project.spending}
              data-testid="project-spending"
              columns={[
                { title: '用途', dataIndex: 'purpose' },
                { title: '金额', dataIndex: 'amount', width: 160, align: 'right' as const, render: yuan },
                { title: '支出日期', dataIndex: 'spentOn', width: 120 },
                {
                  title: '凭证', dataIndex: 'evidence', width: 200,
                  render: (v: string[]) => (v.length ? (
                    <Image.PreviewGroup>
                      <Space size={4} wrap>
                        {v.map((id) => <Image key={id} src={`/api/v1/files/${id}`} width={40} height={40} style={{ objectFit: 'cover' }} alt="凭证照片" />)}
                      </Space>
                    </Image.PreviewGroup>
                  ) : '—'),
                },
              ]}
            />
          </div>
          {project.needId !== null && project.needTitle && (
            <Typography.Text type="secondary">
              由需求“{project.needTitle}”立项；项目完成后需求转为 <NeedStatusTag status="met" />，取消后重新 <NeedStatusTag status="open" />。
            </Typography.Text>
          )}
        </Space>
      )}
      {project && (
        <>
          <PledgeModal projectId={project.id} units={units ?? []} ownOrgName={mode === 'unit' ? ownOrgName : undefined}
            open={dialog === 'pledge'} onClose={() => setDialog(null)} onSaved={() => { message.success('已登记认捐'); changed(); }} />
          <SpendingModal projectId={project.id} balance={Math.round((project.pledgedAmount - project.spentAmount) * 100) / 100}
            open={dialog === 'spend'} onClose={() => setDialog(null)} onSaved={() => { message.success('已登记支出'); changed(); }} />
          <ClaimModal projectId={project.id} projectTitle={project.title} units={mode === 'staff' ? units ?? [] : undefined}
            open={dialog === 'claim'} onClose={() => setDialog(null)}
            onSaved={(r) => { message.success(`${r.orgName}已认领（${label(PROJECT_UNIT_ROLE_LABEL, r.role)}）`); changed(); }} />
        </>
      )}
    </Drawer>
  );
}
