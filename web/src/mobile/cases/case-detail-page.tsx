// /m/cases/:id — one case on the phone: what was reported (photos, place, category), where it stands and by when,
// the whole timeline on Beijing time, and what the caller may do now (allowedActions): the handler's actions; the
// reporter withdraws while it waits to be accepted and rates it when it is done (满意 / 基本满意 / 不满意 with the
// reason); a neighbour taps 我也遇到. Notifications in /m/inbox link here.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Dialog, ErrorBlock, List, NavBar, Selector, Space, TextArea, Toast } from 'antd-mobile';
import { errorMessage } from '../../api';
import { beijingShort } from '../../time';
import { CaseClock, CaseStateTag, CaseTimeline, Photos } from './case-bits';
import { casesApi, SATISFACTION_LABEL, type ActionInput, type CaseDetail } from './cases-api';
import { HandlerActions } from './handler-actions';
import './cases.css';

const OPEN = new Set(['reported', 'handling', 'resolved', 'rating']);

export function CaseDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const caseId = Number(id);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [followed, setFollowed] = useState(false);

  const load = useCallback(async () => {
    try {
      setDetail(await casesApi.get(caseId));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [caseId]);
  useEffect(() => void load(), [load]);

  const act = async (body: ActionInput, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      setDetail(await casesApi.act(caseId, body));
      Toast.show({ icon: 'success', content: done });
      return true;
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
      void load(); // the case may have moved on (someone else acted): show where it stands now
      return false;
    } finally {
      setBusy(false);
    }
  };

  const can = (action: string) => detail?.allowedActions.some((a) => a.action === action) ?? false;
  const c = detail?.case;
  const staffViewer = detail?.viewerKinds.some((k) => ['handler', 'superior', 'department'].includes(k)) ?? false;
  const reporter = detail?.viewerKinds.includes('reporter') ?? false;

  const withdraw = async () => {
    let note = '';
    const ok = await Dialog.confirm({
      title: '撤回这个上报？',
      content: <TextArea placeholder="撤回原因（选填），如：已经解决了" rows={3} onChange={(v) => (note = v)} />,
    });
    if (ok) await act({ action: 'withdraw', ...(note.trim() ? { note: note.trim() } : {}) }, '已撤回');
  };

  const follow = async () => {
    try {
      await casesApi.follow(caseId);
      setFollowed(true);
      Toast.show({ icon: 'success', content: '已关注，办理进度会通知您' });
      void load();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    }
  };

  return (
    <div className="linli-m-page" data-testid="h5-case-detail">
      <NavBar className="linli-m-navbar" onBack={() => (window.history.length > 1 ? navigate(-1) : navigate('/m'))}>案件详情</NavBar>
      {error && !detail && <ErrorBlock status="default" title="加载失败" description={error} />}
      {c && detail && (
        <>
          <Card className="linli-m-card" title={<span data-testid="h5-case-title">{c.majorName} / {c.categoryName}</span>} extra={<CaseStateTag c={c} />}>
            <div className="linli-m-muted" data-testid="h5-case-no">{c.serviceNo} · {c.channelName}</div>
            <p style={{ margin: '8px 0', fontSize: 16 }}>{c.description}</p>
            <Photos photos={c.photos} />
            <CaseClock c={c} />
          </Card>

          <List className="linli-m-list" mode="card" style={{ margin: '10px 10px 0' }}>
            {c.address && <List.Item extra={c.address}>位置</List.Item>}
            <List.Item extra={<span data-testid="h5-case-grid">{[c.gridName, c.microGridName].filter(Boolean).join(' · ') || c.communityName || c.streetName}</span>}>所属网格</List.Item>
            <List.Item extra={<span data-testid="h5-case-handler-name">{c.handlerName}</span>}>当前承办</List.Item>
            <List.Item extra={beijingShort(c.reportedAt)}>上报时间</List.Item>
            {staffViewer && c.reporterName && <List.Item extra={c.reporterName}>上报人</List.Item>}
            {c.followers > 0 && <List.Item extra={`${c.followers} 人`}>也遇到</List.Item>}
            {c.satisfaction && <List.Item extra={<span data-testid="h5-case-satisfaction">{SATISFACTION_LABEL[c.satisfaction] ?? c.satisfaction}</span>}>评价</List.Item>}
          </List>

          {c.resultPhotos.length > 0 && (
            <Card className="linli-m-card" title="处置后照片">
              <Photos photos={c.resultPhotos} />
            </Card>
          )}

          <HandlerActions allowed={detail.allowedActions} busy={busy} onAct={act} />
          {staffViewer && detail.allowedActions.some((a) => ['assign', 'whistle', 'copy', 'merge', 'verify'].includes(a.action)) && (
            <div className="linli-m-muted" style={{ padding: '6px 14px' }}>交办、吹哨、抄告、合并、核查请在电脑端案件台办理</div>
          )}

          {can('rate') && <RateCard reopened={c.reopenCount > 0} busy={busy} onRate={(body) => act(body, body.satisfaction === 'unsatisfied' && c.reopenCount === 0 ? '已退回重新办理' : '感谢您的评价')} />}

          {can('withdraw') && (
            <div style={{ padding: '10px 12px 0' }}>
              <Button block color="danger" fill="outline" size="large" onClick={() => void withdraw()} data-testid="h5-case-withdraw">撤回上报</Button>
            </div>
          )}

          {!reporter && !staffViewer && OPEN.has(c.state) && (
            <div style={{ padding: '10px 12px 0' }}>
              <Button block color="primary" fill="outline" size="large" disabled={followed} onClick={() => void follow()} data-testid="h5-case-follow">
                {followed ? '已关注' : '我也遇到（+1）'}
              </Button>
            </div>
          )}

          {detail.consultations.length > 0 && (
            <Card className="linli-m-card" title="会商记录">
              {detail.consultations.map((m) => (
                <div key={m.id} style={{ marginBottom: 8 }}>
                  <div className="linli-m-muted">{beijingShort(m.heldAt)} · {m.participants.join('、')}</div>
                  <div>{m.conclusion}</div>
                </div>
              ))}
            </Card>
          )}

          {detail.extensions.length > 0 && (
            <Card className="linli-m-card" title="延期申请">
              {detail.extensions.map((x) => (
                <div key={x.id} style={{ marginBottom: 8 }}>
                  <Space style={{ '--gap': '6px' }}>
                    <span>延长 {x.days} 个工作日</span>
                    <span className="linli-m-muted">{x.decision === 'approved' ? '已同意' : x.decision === 'refused' ? '未同意' : '待审批'}</span>
                  </Space>
                  <div className="linli-m-muted">{beijingShort(x.requestedAt)} · {x.reason}{x.decisionNote ? ` · 批复：${x.decisionNote}` : ''}</div>
                </div>
              ))}
            </Card>
          )}

          <Card className="linli-m-card" title="办理进度">
            <CaseTimeline steps={detail.steps} />
          </Card>
        </>
      )}
    </div>
  );
}

const CHOICES = [
  { label: '满意', value: 'satisfied' },
  { label: '基本满意', value: 'basically' },
  { label: '不满意', value: 'unsatisfied' },
] as const;

function RateCard({ reopened, busy, onRate }: { reopened: boolean; busy: boolean; onRate: (body: ActionInput) => Promise<boolean> }) {
  const [choice, setChoice] = useState<(typeof CHOICES)[number]['value'] | null>(null);
  const [note, setNote] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const submit = async () => {
    if (!choice) {
      setHint('请先选择满意程度');
      return;
    }
    if (choice === 'unsatisfied' && note.trim().length < 2) {
      setHint('不满意请写明原因，承办人会据此重新办理');
      return;
    }
    setHint(null);
    await onRate({ action: 'rate', satisfaction: choice, ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <Card className="linli-m-card" title="评价办理结果" data-testid="h5-case-rate">
      <div className="linli-m-muted" style={{ marginBottom: 8 }}>
        {reopened ? '这是重新办理后的结果，评价后结案' : '问题解决了吗？评价后结案；不满意会退回承办人重新办理一次'}
      </div>
      <Selector
        columns={3}
        options={CHOICES.map((x) => ({ label: x.label, value: x.value }))}
        value={choice ? [choice] : []}
        onChange={(v) => { setChoice((v[0] as typeof choice) ?? null); setHint(null); }}
        style={{ '--padding': '12px 0' }}
        data-testid="h5-case-rate-choice"
      />
      <TextArea
        rows={3}
        maxLength={2000}
        placeholder={choice === 'unsatisfied' ? '哪里不满意？（必填）' : '说说您的看法（选填）'}
        value={note}
        onChange={setNote}
        style={{ marginTop: 10 }}
        data-testid="h5-case-rate-note"
      />
      {hint && <div style={{ color: 'var(--adm-color-danger)', fontSize: 13, marginTop: 6 }} data-testid="h5-case-rate-hint">{hint}</div>}
      <Button block color="primary" size="large" loading={busy} onClick={() => void submit()} style={{ marginTop: 12 }} data-testid="h5-case-rate-submit">
        提交评价
      </Button>
    </Card>
  );
}
