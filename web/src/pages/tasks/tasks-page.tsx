// 任务与召集: tasks with limited slots (progress of claimed / capacity), emergency calls with several tasks, who
// claimed, who would fit (suggestions with reasons). Every number is counted from the claims.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { App, Button, Card, Drawer, Empty, Input, Popconfirm, Progress, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { AlertOutlined, PlusOutlined, ReloadOutlined, TeamOutlined } from '@ant-design/icons';
import { beijingTime } from '../../time';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { CreateCallModal, CreateTaskModal } from './task-forms';
import { SuggestionsDrawer } from './suggestions-drawer';
import { CLAIM_STATUS_LABEL, callsApi, TASK_SIZE_LABEL, TASK_STATUS_LABEL, tasksApi, type CallItem, type ClaimItem, type Task } from './tasks-api';

const fmt = (v: string) => beijingTime(v, 'MM-DD HH:mm');
const statusColor: Record<string, string> = { open: 'green', closed: 'default', cancelled: 'red' };

export function SlotBar({ claimed, capacity }: { claimed: number; capacity: number }) {
  const percent = capacity ? Math.round((100 * claimed) / capacity) : 0;
  return (
    <Progress
      percent={percent}
      size="small"
      strokeColor={percent >= 100 ? '#52c41a' : '#c8161e'}
      format={() => `${claimed}/${capacity}`}
      style={{ minWidth: 160, margin: 0 }}
    />
  );
}

function ClaimsDrawer({ task, onClose }: { task: Task | null; onClose: () => void }) {
  const [items, setItems] = useState<ClaimItem[] | null>(null);
  useEffect(() => {
    setItems(null);
    if (task) tasksApi.claims(task.id).then((r) => setItems(r.items)).catch(() => setItems([]));
  }, [task]);
  return (
    <Drawer open={Boolean(task)} onClose={onClose} width={520} title={task ? `认领名单 · ${task.title}` : ''}>
      <Table<ClaimItem>
        rowKey="id"
        size="small"
        loading={items === null}
        dataSource={items ?? []}
        pagination={false}
        columns={[
          { title: '党员', dataIndex: 'name' },
          { title: '队伍', dataIndex: 'teamName', render: (v: string | null) => v ?? '个人' },
          { title: '状态', dataIndex: 'status', render: (v: string) => <Tag color={v === 'done' ? 'green' : v === 'cancelled' ? 'default' : 'blue'}>{CLAIM_STATUS_LABEL[v] ?? v}</Tag> },
          { title: '认领时间', dataIndex: 'claimedAt', render: fmt },
          // optional, never required: an empty cell is normal
          { title: '签到/签退（选填）', key: 'attendance', render: (_: unknown, c: ClaimItem) => (c.checkedInAt
            ? `${fmt(c.checkedInAt)}${c.checkedOutAt ? ` – ${fmt(c.checkedOutAt).slice(-5)}` : ''}` : '—') },
        ]}
      />
    </Drawer>
  );
}

function TasksTab() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string | undefined>('open');
  const [q, setQ] = useState('');
  const [items, setItems] = useState<Task[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [suggestFor, setSuggestFor] = useState<Task | null>(null);
  const [claimsOf, setClaimsOf] = useState<Task | null>(null);

  const load = useCallback(async (more = false) => {
    setLoading(true);
    try {
      const page = await tasksApi.list({ status, q: q || undefined, cursor: more ? cursor : null, limit: 20 });
      setItems((prev) => (more ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setLoading(false);
    }
  }, [status, q, cursor, message]);

  useEffect(() => { void load(false); }, [status, q]); // eslint-disable-line react-hooks/exhaustive-deps

  const finish = async (task: Task, how: 'close' | 'cancel') => {
    try {
      const updated = how === 'close' ? await tasksApi.close(task.id) : await tasksApi.cancel(task.id);
      setItems((prev) => prev.map((t) => (t.id === updated.id ? updated : t)));
      message.success(how === 'close' ? '任务已结束' : '任务已取消，认领人已收到通知');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          style={{ width: 120 }}
          value={status ?? 'all'}
          onChange={(v) => setStatus(v === 'all' ? undefined : v)}
          options={[{ value: 'all', label: '全部状态' }, ...Object.entries(TASK_STATUS_LABEL).map(([value, label]) => ({ value, label }))]}
        />
        <Input.Search placeholder="任务名称" allowClear onSearch={setQ} style={{ width: 220 }} />
        <Button icon={<ReloadOutlined />} onClick={() => load(false)}>刷新</Button>
        {can('service:write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="task-create">发布任务</Button>
        )}
      </Space>
      <Table<Task>
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        data-testid="task-table"
        columns={[
          {
            title: '任务', dataIndex: 'title',
            render: (v: string, t) => (
              <Space direction="vertical" size={0}>
                <Space size={4}>
                  {t.emergency && <Tag color="red" icon={<AlertOutlined />}>应急</Tag>}
                  <Typography.Text strong>{v}</Typography.Text>
                </Space>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {TASK_SIZE_LABEL[t.size] ?? t.size} · {t.scopeName} · 时长上限 {t.hourCap} 小时
                  {t.skills.length ? ` · ${t.skills.map((s) => s.name).join('、')}` : ''}
                </Typography.Text>
              </Space>
            ),
          },
          { title: '时间', key: 'time', width: 190, render: (_: unknown, t) => `${fmt(t.startsAt)} – ${fmt(t.endsAt)}` },
          { title: '名额（已认领/总数）', key: 'slots', width: 220, render: (_: unknown, t) => <SlotBar claimed={t.claimed} capacity={t.capacity} /> },
          { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => <Tag color={statusColor[v]}>{TASK_STATUS_LABEL[v] ?? v}</Tag> },
          {
            title: '操作', key: 'actions', width: 260,
            render: (_: unknown, t) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setClaimsOf(t)}>认领名单</Button>
                <Button type="link" size="small" icon={<TeamOutlined />} onClick={() => setSuggestFor(t)} data-testid="task-suggest">推荐人选</Button>
                {can('service:write') && t.status === 'open' && (
                  <>
                    <Popconfirm title="结束后不再接受认领，已认领的仍可报告完成。" onConfirm={() => finish(t, 'close')}>
                      <Button type="link" size="small">结束</Button>
                    </Popconfirm>
                    <Popconfirm title="取消任务将释放全部认领并通知认领人。" onConfirm={() => finish(t, 'cancel')}>
                      <Button type="link" size="small" danger>取消</Button>
                    </Popconfirm>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {cursor && <Button block style={{ marginTop: 12 }} onClick={() => load(true)} loading={loading}>加载更多</Button>}
      <CreateTaskModal open={creating} onClose={() => setCreating(false)} onCreated={(task) => { setCreating(false); setItems((prev) => [task, ...prev]); }} />
      <SuggestionsDrawer task={suggestFor} onClose={() => setSuggestFor(null)} />
      <ClaimsDrawer task={claimsOf} onClose={() => setClaimsOf(null)} />
    </>
  );
}

function CallsTab() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [items, setItems] = useState<CallItem[] | null>(null);
  const [creating, setCreating] = useState(false);

  const load = useCallback(() => {
    callsApi.list({ limit: 50 }).then((r) => setItems(r.items)).catch((e) => { message.error(errorMessage(e)); setItems([]); });
  }, [message]);
  useEffect(load, [load]);

  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<ReloadOutlined />} onClick={load}>刷新</Button>
        {can('service:write') && (
          <Button type="primary" danger icon={<AlertOutlined />} onClick={() => setCreating(true)} data-testid="call-create">发出召集令</Button>
        )}
      </Space>
      {items !== null && items.length === 0 && <Empty description="暂无召集令" />}
      <Space direction="vertical" style={{ width: '100%' }} size={12}>
        {(items ?? []).map((c) => (
          <Card
            key={c.id}
            size="small"
            hoverable
            onClick={() => navigate(`/service/tasks/calls/${c.id}`)}
            title={<Space><AlertOutlined style={{ color: '#c8161e' }} />{c.title}{c.closedAt ? <Tag>已结束</Tag> : <Tag color="red">召集中</Tag>}</Space>}
            extra={<Typography.Text type="secondary">{c.scopeName} · {beijingTime(c.createdAt, 'YYYY-MM-DD HH:mm')}</Typography.Text>}
            data-testid="call-card"
          >
            <Space size="large" wrap>
              <SlotBar claimed={c.counters.claimed} capacity={c.counters.capacity} />
              <span>任务 {c.counters.tasks} 项</span>
              <span>响应党员 {c.counters.members} 人</span>
              <span>响应队伍 {c.counters.teams} 支</span>
              <span>已报告完成 {c.counters.done}</span>
            </Space>
          </Card>
        ))}
      </Space>
      <CreateCallModal open={creating} onClose={() => setCreating(false)} onCreated={(call) => { setCreating(false); navigate(`/service/tasks/calls/${call.id}`); }} />
    </>
  );
}

export default function TasksPage() {
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'calls' ? 'calls' : 'tasks';
  return (
    <Card title="任务与召集" bordered={false}>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'calls' ? { tab: 'calls' } : {}, { replace: true })}
        items={[
          { key: 'tasks', label: '任务', children: <TasksTab /> },
          { key: 'calls', label: '召集令（应急式报到）', children: <CallsTab /> },
        ]}
      />
    </Card>
  );
}
