// A task on the member's phone: what, when, where, slots left; claim, give the slot back, optionally check in and out
// (never required: the span only pre-fills the hours), or report it done with hours (≤ the task's cap) and optional
// photos. The organiser confirms the hours.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Dialog, ErrorBlock, Form, ImageUploader, List, NavBar, ProgressBar, Result, Space, Stepper, Tag, TextArea, Toast, type ImageUploadItem } from 'antd-mobile';
import { api, errorMessage } from '../../api';
import { distanceLabel, TASK_SIZE_LABEL, TASK_STATUS_LABEL, tasksApi, type Task } from '../../pages/tasks/tasks-api';
import { claimTask } from '../member/member-home';
import { shortTime } from '../format';
import { RequiredLabel } from '../required-label';

export function TaskPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [task, setTask] = useState<Task | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [reported, setReported] = useState<number | null>(null);

  const load = useCallback(() => {
    tasksApi.get(id!).then(setTask).catch((e) => setError(errorMessage(e)));
  }, [id]);
  useEffect(load, [load]);

  if (error) return (
    <div className="linli-m-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>任务</NavBar>
      <ErrorBlock status="empty" title="任务不存在或不在您的范围内" description={error} />
    </div>
  );
  if (!task) return <div className="linli-m-page"><NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>任务</NavBar></div>;

  const left = task.capacity - task.claimed;
  const claim = async () => {
    setBusy(true);
    if (await claimTask(task)) load();
    setBusy(false);
  };
  const giveBack = async () => {
    if (!(await Dialog.confirm({ content: '确定取消认领？名额将让给其他党员。' }))) return;
    await act(setBusy, () => tasksApi.cancelMine(task.id), '已取消认领', load);
  };

  return (
    <div className="linli-m-page" data-testid="h5-task-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate(-1)}>任务详情</NavBar>
      <Card className="linli-m-card" bodyStyle={{ paddingTop: 0 }} title={<Space style={{ "--gap": "6px" }}>{task.emergency && <Tag color="danger">应急</Tag>}{task.title}</Space>}>
        <List style={{ '--border-top': 'none', '--border-bottom': 'none', '--padding-left': '0' }}>
          <List.Item extra={`${shortTime(task.startsAt)} – ${shortTime(task.endsAt).slice(11)}`}>时间</List.Item>
          <List.Item extra={task.scopeName}>范围</List.Item>
          {task.distanceMeters !== null && task.distanceMeters !== undefined && <List.Item extra={distanceLabel(task.distanceMeters)}>离家</List.Item>}
          <List.Item extra={TASK_SIZE_LABEL[task.size] ?? task.size}>类型</List.Item>
          <List.Item extra={task.skills.map((s) => s.name).join('、') || '不限'}>所需技能</List.Item>
          <List.Item extra={`${task.hourCap} 小时`}>时长上限</List.Item>
          <List.Item extra={TASK_STATUS_LABEL[task.status] ?? task.status}>状态</List.Item>
        </List>
        {task.description && <div style={{ padding: '8px 0' }}>{task.description}</div>}
        <div style={{ marginTop: 8 }}>
          <div className="linli-m-muted">名额：已认领 {task.claimed} / {task.capacity}{left > 0 ? `，剩 ${left} 个` : '，已满'}</div>
          <ProgressBar percent={(100 * task.claimed) / task.capacity} style={{ '--fill-color': '#c8161e' }} />
        </div>
      </Card>

      {!task.myClaim && task.status === 'open' && (
        <div style={{ padding: '0 12px' }}>
          <Button block color="primary" size="large" loading={busy} disabled={left <= 0} onClick={() => void claim()} data-testid="h5-task-claim">
            {left <= 0 ? '名额已满' : '认领'}
          </Button>
        </div>
      )}
      {task.myClaim?.status === 'claimed' && reported === null && (
        <>
          {task.status !== 'cancelled' && <AttendanceCard task={task} onChange={load} />}
          <DoneForm key={task.myClaim.suggestedHours ?? 'none'} task={task} claimId={task.myClaim.id} onDone={(hours) => { setReported(hours); load(); }} />
          <div style={{ padding: '8px 12px' }}>
            <Button block fill="outline" loading={busy} onClick={() => void giveBack()} data-testid="h5-task-cancel">取消认领</Button>
          </div>
        </>
      )}
      {(reported !== null || task.myClaim?.status === 'done') && (
        <Result status="success" title="已报告完成" description={reported !== null ? `申报 ${reported} 小时，待组织方确认后计入服务时长` : '待组织方确认后计入服务时长'} />
      )}
    </div>
  );
}

/** Runs one request of this page: busy while it runs, the outcome as a toast, `then` on success. */
async function act(setBusy: (b: boolean) => void, request: () => Promise<unknown>, done: string, then: () => void): Promise<void> {
  setBusy(true);
  try {
    await request();
    Toast.show({ icon: 'success', content: done });
    then();
  } catch (e) {
    Toast.show({ icon: 'fail', content: errorMessage(e) });
  } finally {
    setBusy(false);
  }
}

/** 签到 / 签退: optional, for the member's own record of when they came and went; no condition for anything. */
function AttendanceCard({ task, onChange }: { task: Task; onChange: () => void }) {
  const [busy, setBusy] = useState(false);
  const claim = task.myClaim!;
  const mark = (which: 'in' | 'out') => act(setBusy, () => (which === 'in' ? tasksApi.checkIn(task.id) : tasksApi.checkOut(task.id)),
    which === 'in' ? '已签到' : '已签退', onChange);
  return (
    <Card className="linli-m-card" title="签到签退（选填）" data-testid="h5-task-attendance">
      <div className="linli-m-muted" style={{ marginBottom: 8 }}>不签也可以报告完成，不影响时长确认和评价；签了会按到场时长建议服务时长。</div>
      {claim.checkedInAt && <div data-testid="h5-task-checked-in">签到 {shortTime(claim.checkedInAt)}{claim.checkedOutAt ? `，签退 ${shortTime(claim.checkedOutAt).slice(11)}` : ''}</div>}
      {!claim.checkedInAt && task.status === 'open' && (
        <Button block fill="outline" loading={busy} onClick={() => void mark('in')} data-testid="h5-task-check-in">签到</Button>
      )}
      {claim.checkedInAt && !claim.checkedOutAt && (
        <Button block fill="outline" loading={busy} onClick={() => void mark('out')} style={{ marginTop: 8 }} data-testid="h5-task-check-out">签退</Button>
      )}
    </Card>
  );
}

function DoneForm({ task, claimId, onDone }: { task: Task; claimId: number; onDone: (hours: number) => void }) {
  // the check-in/out span, when there is one, is only the starting value: the member states the hours
  const suggested = task.myClaim?.suggestedHours ?? null;
  const [hours, setHours] = useState(suggested ?? Math.min(2, task.hourCap));
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const upload = async (file: File): Promise<ImageUploadItem> => {
    const form = new FormData();
    form.append('file', file);
    const stored = await api.upload<{ id: string; url: string }>('/files', form);
    return { key: stored.id, url: stored.url };
  };
  const submit = async () => {
    setBusy(true);
    try {
      await tasksApi.done(task.id, claimId, { hours, evidence: photos.map((p) => String(p.key)), ...(note.trim() ? { note: note.trim() } : {}) });
      Toast.show({ icon: 'success', content: '已提交，待组织方确认' });
      onDone(hours);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="linli-m-card" title="报告完成" data-testid="h5-task-done">
      <Form layout="horizontal">
        <Form.Item label={<RequiredLabel text="服务时长" />} extra={<span className="linli-m-muted">上限 {task.hourCap} 小时</span>}
          description={suggested !== null ? `按签到签退约 ${suggested} 小时，可修改` : undefined}>
          <Stepper min={0.5} max={task.hourCap} step={0.5} digits={1} value={hours} onChange={(v) => setHours(v ?? 0.5)} data-testid="h5-task-hours" />
        </Form.Item>
        <Form.Item label="现场照片（选填）" layout="vertical">
          <ImageUploader value={photos} onChange={setPhotos} upload={upload} maxCount={9} capture="environment" accept="image/*" />
        </Form.Item>
        <Form.Item label="情况说明" layout="vertical">
          <TextArea rows={2} placeholder="做了什么（选填）" value={note} onChange={setNote} maxLength={500} />
        </Form.Item>
      </Form>
      <Button block color="primary" size="large" loading={busy} onClick={() => void submit()} data-testid="h5-task-done-submit">提交完成</Button>
    </Card>
  );
}
