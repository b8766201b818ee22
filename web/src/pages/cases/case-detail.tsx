// A case in full: the facts (photos, point, category, channel, masked reporter), the action buttons the server allows
// this viewer, the whole timeline, whistles with their deadlines, consultations, extensions, cards and likely duplicates.
// Used by the desk's drawer and by the /cases/:id page.
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Col, Descriptions, Empty, Row, Space, Spin, Table, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { errorMessage } from '../../api';
import { beijingTime } from '../../time';
import { CaseActionModal } from './case-action-modal';
import { CardBadge, CaseStateTag, DeadlineCell, deadlineText, PhotoStrip, useWorkCalendar } from './case-bits';
import { CasePointMap } from './case-point-map';
import {
  ACTOR_KIND_LABEL, CARD_LABEL, CASE_STATE_LABEL, casesApi, SATISFACTION_LABEL, TIER_LABEL,
  type AllowedAction, type CaseDetail, type CaseItem, type CaseStep, type Whistle,
} from './cases-api';

/** Actions that end or refuse something: shown as danger buttons. */
const DANGER = new Set(['void', 'return', 'reject', 'refuse_extension', 'withdraw']);
/** The usual next step of each state: the primary button. */
const PRIMARY = new Set(['accept', 'resolve', 'verify', 'report_in', 'respond', 'approve_extension', 'rate']);

export function CaseDetailView({ id, onChanged, compact }: { id: number; onChanged?: (item: CaseItem) => void; compact?: boolean }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [acting, setActing] = useState<AllowedAction | null>(null);
  const calendar = useWorkCalendar();

  const load = useCallback(async () => {
    setError(null);
    try {
      const d = await casesApi.get(id);
      setDetail(d);
      onChanged?.(d.case);
    } catch (e) {
      setError(errorMessage(e));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  useEffect(() => { setDetail(null); void load(); }, [load]);

  if (error) return <Alert type="error" showIcon title={error} action={<Button size="small" onClick={() => void load()}>重试</Button>} />;
  if (!detail) return <Spin style={{ display: 'block', margin: '48px auto' }} />;
  const c = detail.case;

  // one button per action (the same action may be allowed as handler and as superior)
  // (merging needs a likely duplicate to merge into)
  const actions = detail.allowedActions.filter((a, i, all) => all.findIndex((b) => b.action === a.action) === i
    && (a.action !== 'merge' || detail.duplicates.length > 0));
  const span = compact ? 24 : 12;
  return (
    <div data-testid="case-detail">
      <Space wrap style={{ marginBottom: 12 }} data-testid="case-actions">
        {actions.length === 0 && <Typography.Text type="secondary">当前没有您可以办理的操作</Typography.Text>}
        {actions.map((a) => (
          <Button key={a.action} type={PRIMARY.has(a.action) ? 'primary' : 'default'} danger={DANGER.has(a.action)}
            onClick={() => setActing(a)} data-testid={`case-action-${a.action}`}>
            {a.name}
          </Button>
        ))}
      </Space>
      <Row gutter={[16, 16]}>
        <Col span={span}>
          <CaseFacts item={c} calendar={calendar} />
        </Col>
        <Col span={span}>
          {c.lng !== null && c.lat !== null
            ? <CasePointMap lng={c.lng} lat={c.lat} areaCode={c.microGridCode ?? c.gridCode} height={compact ? 200 : 260} />
            : <Empty description="本案没有坐标（按地点登记）" />}
        </Col>
      </Row>
      <DuplicatesCard detail={detail} onMerge={() => setActing(actions.find((a) => a.action === 'merge') ?? null)} />
      <Row gutter={[16, 16]} style={{ marginTop: 16 }}>
        <Col span={span}>
          <Typography.Title level={5}>流转记录</Typography.Title>
          <CaseTimeline steps={detail.steps} />
        </Col>
        <Col span={span}>
          <WhistlesCard whistles={detail.whistles} />
          <ExtensionsCard detail={detail} />
          <ConsultationsCard detail={detail} />
          <CardsCard detail={detail} />
        </Col>
      </Row>
      <CaseActionModal detail={detail} action={acting} onClose={() => setActing(null)}
        onDone={(next) => { setActing(null); setDetail(next); onChanged?.(next.case); }}
        onStale={() => void load()} />
    </div>
  );
}

function CaseFacts({ item: c, calendar }: { item: CaseItem; calendar: Map<string, boolean> | null }) {
  const place = [c.streetName, c.communityName, c.gridName, c.microGridName].filter(Boolean).join(' / ');
  return (
    <Descriptions column={2} size="small" bordered styles={{ label: { whiteSpace: 'nowrap', width: 84 } }}>
      <Descriptions.Item label="服务单号" span={2}>
        <Typography.Text copyable strong>{c.serviceNo}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="状态">
        <Space size={4}><CaseStateTag state={c.state} name={c.stateName} /><CardBadge card={c.card} /></Space>
      </Descriptions.Item>
      <Descriptions.Item label="期限"><DeadlineCell item={c} calendar={calendar} /></Descriptions.Item>
      <Descriptions.Item label="类别">{c.majorName} / {c.categoryName} <Tag>{c.kind === 'component' ? '部件' : '事件'}</Tag></Descriptions.Item>
      <Descriptions.Item label="来源">{c.channelName}</Descriptions.Item>
      <Descriptions.Item label="问题描述" span={2}>
        <div style={{ whiteSpace: 'pre-wrap' }}>{c.description}</div>
        {c.followers > 0 && <Tag color="gold" style={{ marginTop: 4 }}>{c.followers} 位居民也遇到了</Tag>}
      </Descriptions.Item>
      {c.photos.length > 0 && <Descriptions.Item label="现场照片" span={2}><PhotoStrip photos={c.photos} /></Descriptions.Item>}
      <Descriptions.Item label="位置" span={2}>
        {place}
        {c.address && <div style={{ color: '#666' }}>{c.address}</div>}
      </Descriptions.Item>
      <Descriptions.Item label="当前承办">{c.handlerName}<Tag style={{ marginLeft: 6 }}>{TIER_LABEL[c.handlerTier] ?? c.handlerTier}</Tag></Descriptions.Item>
      <Descriptions.Item label="上报人">{c.reporterName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="上报时间">{beijingTime(c.reportedAt)}</Descriptions.Item>
      <Descriptions.Item label="办结期限">{deadlineText(c.deadline, true)}</Descriptions.Item>
      {c.resultPhotos.length > 0 && <Descriptions.Item label="处置照片" span={2}><PhotoStrip photos={c.resultPhotos} /></Descriptions.Item>}
      {(c.satisfaction || c.reopenCount > 0) && (
        <Descriptions.Item label="评价" span={2}>
          {c.satisfaction ? <Tag color={c.satisfaction === 'unsatisfied' ? 'red' : 'green'}>{SATISFACTION_LABEL[c.satisfaction] ?? c.satisfaction}</Tag> : '—'}
          {c.reopenCount > 0 && <Tag color="orange">不满意重办 {c.reopenCount} 次</Tag>}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

function stepColor(s: CaseStep): string {
  if (s.actorKind === 'system') return s.action === 'card' ? 'red' : 'gray';
  if (['voided', 'merged'].includes(s.to)) return 'gray';
  if (['void', 'return', 'reject', 'reopen', 'refuse_extension'].includes(s.action)) return 'red';
  if (s.to === 'closed') return 'green';
  return 'blue';
}

export function CaseTimeline({ steps }: { steps: CaseStep[] }) {
  if (steps.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />;
  return (
    <Timeline
      data-testid="case-timeline"
      items={steps.map((s) => ({
        color: stepColor(s),
        children: (
          <div data-testid={`case-step-${s.action}`}>
            <Space size={6} wrap>
              <Typography.Text strong>{s.actionName}</Typography.Text>
              {s.from !== s.to && s.to && <Tag style={{ marginInlineEnd: 0 }}>{CASE_STATE_LABEL[s.to] ?? s.to}</Tag>}
              <Typography.Text type="secondary">{beijingTime(s.at, 'YYYY-MM-DD HH:mm')}</Typography.Text>
            </Space>
            <div style={{ color: '#555' }}>
              {s.actorKind === 'channel' ? s.actorOrg : (
                <>
                  {ACTOR_KIND_LABEL[s.actorKind] ?? s.actorKind}
                  {s.actorName ? `：${s.actorName}` : ''}
                  {s.actorOrg && !(s.actorName ?? '').includes(s.actorOrg) ? `（${s.actorOrg}）` : ''}
                </>
              )}
              {s.tierFrom && s.tierTo && s.tierFrom !== s.tierTo && (
                <span style={{ marginLeft: 6 }}>{TIER_LABEL[s.tierFrom] ?? s.tierFrom} → {TIER_LABEL[s.tierTo] ?? s.tierTo}</span>
              )}
              {s.action === 'extend' || s.action === 'approve_extension'
                ? s.target && <span style={{ marginLeft: 6 }}>（{s.target} 个工作日）</span>
                : s.targetName && <span style={{ marginLeft: 6 }}>→ {s.targetName}</span>}
            </div>
            {s.note && <div style={{ whiteSpace: 'pre-wrap' }}>{s.note}</div>}
            {s.deadline && <div style={{ color: '#888', fontSize: 12 }}>期限至 {deadlineText(s.deadline, true)}</div>}
            {s.photos.length > 0 && <div style={{ marginTop: 4 }}><PhotoStrip photos={s.photos} size={56} /></div>}
          </div>
        ),
      }))}
    />
  );
}

function DuplicatesCard({ detail, onMerge }: { detail: CaseDetail; onMerge: () => void }) {
  if (detail.duplicates.length === 0) return null;
  const canMerge = detail.allowedActions.some((a) => a.action === 'merge');
  return (
    <Alert
      type="warning"
      showIcon
      style={{ marginTop: 16 }}
      data-testid="case-duplicates"
      title={`疑似重复：附近有 ${detail.duplicates.length} 件同类在办案件`}
      description={
        <Space orientation="vertical" size={2}>
          {detail.duplicates.map((d) => (
            <span key={d.id}>
              <Link to={`/cases/${d.id}`}>{d.serviceNo}</Link>
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                相距 {Math.round(d.distanceM)} 米 · {CASE_STATE_LABEL[d.state] ?? d.state} · {beijingTime(d.reportedAt, 'MM-DD HH:mm')} 上报
              </Typography.Text>
            </span>
          ))}
        </Space>
      }
      action={canMerge ? <Button size="small" onClick={onMerge} data-testid="case-merge">合并</Button> : undefined}
    />
  );
}

function whistleState(w: Whistle): React.ReactNode {
  const late = (deadline: string, done: string | null) => (done ? dayjs(done).isAfter(deadline) : dayjs().isAfter(deadline));
  if (w.respondedAt) return <Tag color={late(w.respondDeadline, w.respondedAt) ? 'orange' : 'green'}>已反馈</Tag>;
  if (w.reportedInAt) return <Tag color={late(w.respondDeadline, null) ? 'red' : 'blue'}>已报到，待反馈</Tag>;
  return <Tag color={late(w.reportInDeadline, null) ? 'red' : 'orange'}>待报到</Tag>;
}

function WhistlesCard({ whistles }: { whistles: Whistle[] }) {
  if (whistles.length === 0) return null;
  return (
    <Card size="small" title="吹哨报到" style={{ marginBottom: 12 }} data-testid="case-whistles">
      <Table<Whistle>
        rowKey="id" size="small" pagination={false} dataSource={whistles}
        columns={[
          { title: '部门', dataIndex: 'departmentName', render: (v: string, w) => <Space size={4} wrap>{v}<CardBadge card={w.card} /></Space> },
          {
            title: '状态', width: 130,
            render: (_: unknown, w) => (
              <Space orientation="vertical" size={0}>
                {whistleState(w)}
                {w.response && <span style={{ fontSize: 12 }}>{w.response}</span>}
              </Space>
            ),
          },
          {
            title: '报到 / 反馈期限', width: 150,
            render: (_: unknown, w) => (
              <Space orientation="vertical" size={0} style={{ fontSize: 12 }}>
                <span>{w.reportedInAt ? `${beijingTime(w.reportedInAt, 'MM-DD HH:mm')} 已报到` : `报到限 ${deadlineText(w.reportInDeadline)}`}</span>
                <span>{w.respondedAt ? `${beijingTime(w.respondedAt, 'MM-DD HH:mm')} 已反馈` : `反馈限 ${deadlineText(w.respondDeadline)}`}</span>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}

function ExtensionsCard({ detail }: { detail: CaseDetail }) {
  if (detail.extensions.length === 0) return null;
  const decision = (d: string | null) => (d === 'approved' ? <Tag color="green">已同意</Tag> : d === 'refused' ? <Tag color="red">不同意</Tag> : <Tag color="orange">待审批</Tag>);
  return (
    <Card size="small" title="延期申请" style={{ marginBottom: 12 }} data-testid="case-extensions">
      {detail.extensions.map((e) => (
        <div key={e.id} style={{ marginBottom: 8 }}>
          <Space wrap>
            {decision(e.decision)}
            <span>延期 {e.days} 个工作日</span>
            <Typography.Text type="secondary">{beijingTime(e.requestedAt, 'MM-DD HH:mm')} 申请</Typography.Text>
          </Space>
          <div>理由：{e.reason}</div>
          {e.decidedAt && <div style={{ color: '#666' }}>{beijingTime(e.decidedAt, 'MM-DD HH:mm')} 审批{e.decisionNote ? `：${e.decisionNote}` : ''}</div>}
        </div>
      ))}
    </Card>
  );
}

function ConsultationsCard({ detail }: { detail: CaseDetail }) {
  if (detail.consultations.length === 0) return null;
  return (
    <Card size="small" title="会商记录" style={{ marginBottom: 12 }} data-testid="case-consultations">
      {detail.consultations.map((m) => (
        <div key={m.id} style={{ marginBottom: 8 }}>
          <Typography.Text strong>{beijingTime(m.heldAt, 'YYYY-MM-DD HH:mm')}</Typography.Text>
          <div>参加：{m.participants.join('、')}</div>
          <div>结论：{m.conclusion}</div>
        </div>
      ))}
    </Card>
  );
}

function CardsCard({ detail }: { detail: CaseDetail }) {
  if (detail.cards.length === 0) return null;
  const color = (c: string) => (c === 'red' ? 'red' : c === 'yellow' ? 'gold' : 'volcano');
  return (
    <Card size="small" title="督办与亮牌" style={{ marginBottom: 12 }} data-testid="case-cards">
      {detail.cards.map((k) => (
        <div key={k.id} style={{ marginBottom: 6 }}>
          <Space wrap>
            <Tag color={color(k.color)}>{CARD_LABEL[k.color] ?? k.color}</Tag>
            <span>{CASE_STATE_LABEL[k.stepState] ?? k.stepState}环节</span>
            <Typography.Text type="secondary">{beijingTime(k.at, 'MM-DD HH:mm')}</Typography.Text>
          </Space>
          {k.note && <div>{k.note}</div>}
        </div>
      ))}
    </Card>
  );
}
