// One emergency call for its organiser: live counters over Server-Sent Events (pushed as members claim), and its
// tasks with their slots.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { App, Badge, Button, Card, Col, Descriptions, Popconfirm, Result, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { AlertOutlined, ArrowLeftOutlined, TeamOutlined } from '@ant-design/icons';
import { beijingTime } from '../../time';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { SlotBar } from './tasks-page';
import { SuggestionsDrawer } from './suggestions-drawer';
import { callsApi, TASK_STATUS_LABEL, type Call, type CallCounters, type Task } from './tasks-api';
import { useEventSource } from './use-event-source';

export default function CallPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const { can } = useAuth();
  const { message } = App.useApp();
  const [call, setCall] = useState<Call | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState<CallCounters | null>(null);
  const [pulse, setPulse] = useState(false);
  const [suggestFor, setSuggestFor] = useState<Task | null>(null);

  const load = useCallback(() => {
    callsApi.get(id!).then(setCall).catch((e) => setError(errorMessage(e)));
  }, [id]);
  useEffect(load, [load]);

  // Counters arrive as claims happen (at most twice a second); the task rows are refreshed with them.
  useEventSource(call && !call.closedAt ? callsApi.streamUrl(id!) : null, 'counters', (counters: CallCounters) => {
    setLive(counters);
    setPulse(true);
    window.setTimeout(() => setPulse(false), 600);
    load();
  });

  if (error) return <Result status="404" title="召集令不存在" subTitle={error} extra={<Button onClick={() => navigate('/service/tasks?tab=calls')}>返回</Button>} />;
  if (!call) return <Card loading bordered={false} />;
  const c = live ?? call.counters;

  const close = async () => {
    try {
      setCall(await callsApi.close(call.id));
      message.success('召集已结束');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Card
        bordered={false}
        title={
          <Space>
            <Button type="text" icon={<ArrowLeftOutlined />} onClick={() => navigate('/service/tasks?tab=calls')} />
            <AlertOutlined style={{ color: '#c8161e' }} />
            {call.title}
            {call.closedAt ? <Tag>已结束</Tag> : <Tag color="red">召集中</Tag>}
          </Space>
        }
        extra={
          <Space>
            {!call.closedAt && <Badge status={pulse ? 'processing' : 'success'} text="实时更新" />}
            {can('service:write') && !call.closedAt && (
              <Popconfirm title="结束召集后其任务不再接受认领。" onConfirm={close}>
                <Button danger>结束召集</Button>
              </Popconfirm>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="召集范围">{call.scopeName}</Descriptions.Item>
          <Descriptions.Item label="发出时间">{beijingTime(call.createdAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
          <Descriptions.Item label="内容">{call.message || '—'}</Descriptions.Item>
        </Descriptions>
        <Row gutter={16} style={{ marginTop: 12 }} data-testid="call-counters">
          <Col span={4}><Statistic title="任务" value={c.tasks} suffix="项" /></Col>
          <Col span={4}><Statistic title="总名额" value={c.capacity} /></Col>
          <Col span={4}><Statistic title="已认领" value={c.claimed} valueStyle={{ color: '#c8161e' }} /></Col>
          <Col span={4}><Statistic title="响应党员" value={c.members} suffix="人" /></Col>
          <Col span={4}><Statistic title="响应队伍" value={c.teams} suffix="支" /></Col>
          <Col span={4}><Statistic title="已报告完成" value={c.done} /></Col>
        </Row>
        <div style={{ marginTop: 12 }}>
          <SlotBar claimed={c.claimed} capacity={c.capacity} />
        </div>
      </Card>
      <Card bordered={false} title="任务">
        <Table<Task>
          rowKey="id"
          pagination={false}
          dataSource={call.tasks}
          columns={[
            { title: '任务', dataIndex: 'title', render: (v: string, t) => <Space direction="vertical" size={0}><Typography.Text strong>{v}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t.skills.map((s) => s.name).join('、') || '不限技能'} · 时长上限 {t.hourCap} 小时</Typography.Text></Space> },
            { title: '时间', key: 'time', render: (_: unknown, t) => `${beijingTime(t.startsAt, 'MM-DD HH:mm')} – ${beijingTime(t.endsAt, 'MM-DD HH:mm')}` },
            { title: '名额', key: 'slots', width: 220, render: (_: unknown, t) => <SlotBar claimed={t.claimed} capacity={t.capacity} /> },
            { title: '状态', dataIndex: 'status', render: (v: string) => TASK_STATUS_LABEL[v] ?? v },
            { title: '', key: 'suggest', render: (_: unknown, t) => <Button type="link" icon={<TeamOutlined />} onClick={() => setSuggestFor(t)}>推荐人选</Button> },
          ]}
        />
      </Card>
      <SuggestionsDrawer task={suggestFor} onClose={() => setSuggestFor(null)} />
    </Space>
  );
}
