// In-service member's H5 home (在职党员): registration status, active calls (live), tasks near me with a claim
// button, my tasks, posts and orders, my hours and ratings — every figure from the member's own records.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { TodoStrip } from '../todo-strip';
import { Badge, Button, Card, Dialog, ErrorBlock, Grid, List, NavBar, NoticeBar, ProgressBar, Space, Tag, Toast } from 'antd-mobile';
import { api, ApiError, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { callsApi, distanceLabel, inboxApi, newRequestKey, tasksApi, type CallItem, type InboxItem, type Task } from '../../pages/tasks/tasks-api';
import { useEventSource } from '../../pages/tasks/use-event-source';
import { shortTime } from '../format';
import { MemberCaseItems } from '../cases/case-entries';

interface MemberSummary {
  registered: boolean;
  communityName: string | null;
  hours: { year: number; total: number; pending: number };
  services: number;
  ratings: number;
  satisfaction: number | null;
  posts: { id: number; title: string; kindName: string }[];
  openClaims: number;
  openOrders: number;
}

interface RegistrationLite { status: string; communityName: string }

const REGISTRATION_LABEL: Record<string, { text: string; color: string }> = {
  pending: { text: '待社区审核', color: 'warning' },
  approved: { text: '已报到', color: 'success' },
  rejected: { text: '未通过', color: 'danger' },
  withdrawn: { text: '已撤回', color: 'default' },
};

/** Claims a slot from a list; the request key makes a retried tap safe. */
export async function claimTask(task: Task): Promise<boolean> {
  try {
    await tasksApi.claim(task.id, newRequestKey());
    Toast.show({ icon: 'success', content: '认领成功' });
    return true;
  } catch (e) {
    Toast.show({ icon: 'fail', content: e instanceof ApiError && e.code === 'FULL' ? '名额已满' : errorMessage(e) });
    return false;
  }
}

export function TaskCard({ task, onClaimed }: { task: Task; onClaimed?: () => void }) {
  const navigate = useNavigate();
  const left = task.capacity - task.claimed;
  return (
    <List.Item
      onClick={() => navigate(`/m/tasks/${task.id}`)}
      description={
        <div>
          <div className="linli-m-muted">
            {shortTime(task.startsAt)} 起 · {task.scopeName}
            {task.distanceMeters !== null && task.distanceMeters !== undefined ? ` · 距家${distanceLabel(task.distanceMeters)}` : ''}
          </div>
          <ProgressBar percent={(100 * task.claimed) / task.capacity} text={`${task.claimed}/${task.capacity}`} style={{ marginTop: 4, '--fill-color': '#c8161e' }} />
        </div>
      }
      extra={
        task.myClaim ? (
          <Tag color={task.myClaim.status === 'done' ? 'success' : 'primary'}>{task.myClaim.status === 'done' ? '已完成' : '已认领'}</Tag>
        ) : task.status !== 'open' ? (
          <Tag>已结束</Tag>
        ) : (
          <Button
            size="mini"
            color="primary"
            disabled={left <= 0}
            onClick={async (e) => {
              e.stopPropagation();
              if (await claimTask(task)) onClaimed?.();
            }}
            data-testid="h5-claim"
          >
            {left <= 0 ? '已满' : '认领'}
          </Button>
        )
      }
      data-testid="h5-task"
    >
      <Space style={{ '--gap': '4px' }}>
        {task.emergency && <Tag color="danger">应急</Tag>}
        <span>{task.title}</span>
      </Space>
    </List.Item>
  );
}

export function MemberHome() {
  const navigate = useNavigate();
  const { user, logout } = useAuth();
  const [summary, setSummary] = useState<MemberSummary | null | 'none'>(null);
  const [registration, setRegistration] = useState<RegistrationLite | null | 'none'>(null);
  const [near, setNear] = useState<Task[] | null>(null);
  const [mine, setMine] = useState<Task[]>([]);
  // the to-do 「已认领的任务」 opens /m#my-tasks: scroll there once the list is in
  useEffect(() => {
    if (window.location.hash === '#my-tasks' && mine.length > 0) document.getElementById('my-tasks')?.scrollIntoView({ block: 'start' });
  }, [mine]);
  const [calls, setCalls] = useState<CallItem[]>([]);
  const [unread, setUnread] = useState(0);
  const [error, setError] = useState<string | null>(null);

  const loadTasks = useCallback(() => {
    tasksApi.list({ limit: 10 }).then((r) => setNear(r.items)).catch((e) => { setNear([]); setError(errorMessage(e)); });
    tasksApi.list({ mine: true, limit: 5 }).then((r) => setMine(r.items)).catch(() => setMine([]));
    callsApi.list({ active: true, limit: 3 }).then((r) => setCalls(r.items)).catch(() => setCalls([]));
  }, []);

  // Tasks and calls answer only registered members (403 before): ask for them once the registration is approved.
  const registered = summary !== null && summary !== 'none' && summary.registered;
  useEffect(() => {
    if (registered) loadTasks();
  }, [registered, loadTasks]);

  useEffect(() => {
    api.get<MemberSummary>('/service/members/me').then(setSummary).catch(() => setSummary('none'));
    api.get<{ items: RegistrationLite[] }>('/service/registrations/mine').then((r) => setRegistration(r.items[0] ?? 'none')).catch(() => setRegistration('none'));
    inboxApi.unread().then((r) => setUnread(r.unread)).catch(() => undefined);
  }, []);

  // A call to my area arrives live: show it at once and refresh the tasks it brought.
  useEventSource(inboxApi.streamUrl, 'notification', (item: InboxItem) => {
    setUnread((n) => n + 1);
    if (item.kind === 'call') {
      Toast.show({ content: item.title });
      if (registered) loadTasks();
    }
  });

  const onLogout = async () => {
    if (!(await Dialog.confirm({ content: '确定退出登录？' }))) return;
    await logout();
    navigate('/login?next=/m', { replace: true });
  };

  const reg = registration && registration !== 'none' ? REGISTRATION_LABEL[registration.status] : null;
  const s = summary && summary !== 'none' && summary.registered ? summary : null;

  return (
    <div className="linli-m-page" data-testid="h5-member-home">
      <NavBar
        back={null}
        className="linli-m-navbar"
        left={
          <Badge content={unread > 0 ? (unread > 99 ? '99+' : unread) : null}>
            <a className="linli-m-nav-link" onClick={() => navigate('/m/inbox')} data-testid="h5-inbox-link">消息</a>
          </Badge>
        }
        right={<a className="linli-m-nav-link" onClick={onLogout}>退出</a>}
      >
        党员服务
      </NavBar>
      <div className="linli-m-hello">
        {user?.displayName}，您好 ·{' '}
        {registration === null ? '…' : registration === 'none' ? (
          <a style={{ color: '#fff', textDecoration: 'underline' }} onClick={() => navigate('/m/register')}>尚未报到，去社区报到</a>
        ) : (
          <span>{registration.communityName} · {reg?.text ?? registration.status}</span>
        )}
      </div>

      {calls.map((c) => (
        <NoticeBar
          key={c.id}
          color="alert"
          wrap
          content={`召集令：${c.title}（已认领 ${c.counters.claimed}/${c.counters.capacity}）`}
          extra={<a onClick={() => navigate(`/m/calls/${c.id}`)}>去响应</a>}
          data-testid="h5-call-banner"
        />
      ))}

      <TodoStrip />

      <Card className="linli-m-card" title="我的服务" data-testid="h5-my-summary">
        {s ? (
          <Grid columns={4} gap={8} style={{ textAlign: 'center' }}>
            <Grid.Item><div style={{ fontSize: 20, color: '#c8161e' }}>{s.hours.year}</div><div className="linli-m-muted">今年时长</div></Grid.Item>
            <Grid.Item><div style={{ fontSize: 20 }}>{s.hours.total}</div><div className="linli-m-muted">累计时长</div></Grid.Item>
            <Grid.Item><div style={{ fontSize: 20 }}>{s.services}</div><div className="linli-m-muted">服务次数</div></Grid.Item>
            <Grid.Item>
              <div style={{ fontSize: 20 }}>{s.satisfaction === null ? '—' : `${Math.round(s.satisfaction * 100)}%`}</div>
              <div className="linli-m-muted">满意度（{s.ratings}）</div>
            </Grid.Item>
          </Grid>
        ) : (
          <div className="linli-m-muted">{summary === null ? '加载中…' : '报到通过后，这里显示您的服务时长与评价。'}</div>
        )}
        {s && s.hours.pending > 0 && <div className="linli-m-muted" style={{ marginTop: 8 }}>另有 {s.hours.pending} 小时待组织方确认</div>}
      </Card>

      <List header="我的" className="linli-m-list">
        <List.Item onClick={() => navigate('/m/posts')} extra={s ? `${s.posts.length} 个岗位` : undefined}>我的岗位</List.Item>
        <List.Item onClick={() => navigate('/m/orders')} extra={s ? `${s.openOrders} 单在办` : undefined}>我的接单</List.Item>
        <List.Item onClick={() => navigate('/m/records')} extra={s ? `${s.services} 次` : undefined} data-testid="h5-records-link">我的服务记录</List.Item>
        {s && (
          <List.Item
            onClick={() => void window.open('/api/v1/service/members/me/certificate', '_blank')}
            description="可打印，含经确认的服务时长"
            data-testid="h5-certificate-link"
          >
            服务证明
          </List.Item>
        )}
        <List.Item onClick={() => navigate('/m/register')} extra={reg?.text}>社区报到</List.Item>
        <MemberCaseItems />
      </List>

      {mine.length > 0 && (
        <div id="my-tasks">
        <List header="我认领的任务" className="linli-m-list">
          {mine.map((t) => <TaskCard key={t.id} task={t} />)}
        </List>
        </div>
      )}

      <List header="附近的任务（覆盖我所在社区或离家 3 公里内）" className="linli-m-list" data-testid="h5-near-tasks">
        {!registered && summary !== null && <List.Item><span className="linli-m-muted">报到通过后，可在这里认领附近的任务</span></List.Item>}
        {registered && near === null && <List.Item>加载中…</List.Item>}
        {near !== null && near.length === 0 && !error && <List.Item><span className="linli-m-muted">暂无进行中的任务</span></List.Item>}
        {(near ?? []).map((t) => <TaskCard key={t.id} task={t} onClaimed={loadTasks} />)}
      </List>
      {error && <ErrorBlock status="default" title={error} description="" />}
    </div>
  );
}
