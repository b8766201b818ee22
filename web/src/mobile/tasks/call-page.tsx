// A mobilisation call on the member's phone: the message and its tasks, each with slots left and a claim button.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Card, ErrorBlock, List, NavBar, NoticeBar } from 'antd-mobile';
import { errorMessage } from '../../api';
import { callsApi, type Call } from '../../pages/tasks/tasks-api';
import { TaskCard } from '../member/member-home';
import { shortTime } from '../format';

export function MobileCallPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [call, setCall] = useState<Call | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    callsApi.get(id!).then(setCall).catch((e) => setError(errorMessage(e)));
  }, [id]);
  useEffect(load, [load]);

  return (
    <div className="linli-m-page" data-testid="h5-call-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate(-1)}>召集令</NavBar>
      {error && <ErrorBlock status="empty" title="召集令不存在或不在您的范围内" description={error} />}
      {call && (
        <>
          {call.closedAt && <NoticeBar content="本次召集已结束" color="default" />}
          <Card className="linli-m-card" title={call.title}>
            <div>{call.message}</div>
            <div className="linli-m-muted" style={{ marginTop: 8 }}>
              {call.scopeName} · {shortTime(call.createdAt)} · 已认领 {call.counters.claimed}/{call.counters.capacity}，{call.counters.members} 名党员响应
            </div>
          </Card>
          <List header="任务（点“认领”占一个名额）" className="linli-m-list">
            {call.tasks.map((t) => <TaskCard key={t.id} task={t} onClaimed={load} />)}
          </List>
        </>
      )}
    </div>
  );
}
