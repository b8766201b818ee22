// An order's timeline (every transition with who and when) and its ratings; used by the desk drawer.
import { Descriptions, Image, Rate, Space, Tag, Timeline, Typography } from 'antd';
import { beijingTime as formatTime } from '../../time';
import { ACTOR_KIND_LABEL, DISPATCH_MODE_LABEL, ORDER_SIZE_LABEL, ORDER_STATE_COLOR, RATER_KIND_LABEL, type OrderDetail } from './orders-api';

export function OrderSummary({ detail }: { detail: OrderDetail }) {
  const o = detail.order;
  return (
    <Descriptions column={2} size="small" bordered>
      <Descriptions.Item label="服务编号" span={2}>{o.serviceNo}</Descriptions.Item>
      <Descriptions.Item label="需求" span={2}>
        <Typography.Text strong>{o.title}</Typography.Text>
        {o.description && <div style={{ color: '#666' }}>{o.description}</div>}
      </Descriptions.Item>
      <Descriptions.Item label="状态">
        <Tag color={ORDER_STATE_COLOR[o.state]}>{o.stateName}</Tag>
      </Descriptions.Item>
      <Descriptions.Item label="规模">{ORDER_SIZE_LABEL[o.size] ?? o.size}</Descriptions.Item>
      <Descriptions.Item label="技能">{o.skillName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="点单居民">{o.residentName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="地点" span={2}>{[o.communityName, o.placeName].filter(Boolean).join(' · ')}</Descriptions.Item>
      <Descriptions.Item label="派单方式">{o.dispatchMode ? DISPATCH_MODE_LABEL[o.dispatchMode] : '—'}</Descriptions.Item>
      <Descriptions.Item label="接单人">{o.assigneeName ?? o.assigneeOrgName ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="接单时限">{o.acceptDeadline ? formatTime(o.acceptDeadline) : '—'}</Descriptions.Item>
      <Descriptions.Item label="时长">{o.hours !== null ? `${o.hours} 小时（上限 ${o.hourCap}）` : `上限 ${o.hourCap} 小时`}</Descriptions.Item>
      {o.evidence.length > 0 && (
        <Descriptions.Item label="服务照片" span={2}>
          <Image.PreviewGroup>
            <Space wrap>
              {o.evidence.map((e) => (
                <Image key={e.id} src={e.url} width={72} height={72} style={{ objectFit: 'cover' }} alt="服务照片" />
              ))}
            </Space>
          </Image.PreviewGroup>
          {o.resultNote && <div style={{ marginTop: 4 }}>{o.resultNote}</div>}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

export function OrderTimeline({ detail }: { detail: OrderDetail }) {
  return (
    <>
      <Typography.Title level={5} style={{ marginTop: 20 }}>
        流转记录
      </Typography.Title>
      <Timeline
        data-testid="order-timeline"
        items={detail.events.map((e) => ({
          color: e.actorKind === 'system' ? 'gray' : e.to === 'cancelled' ? 'red' : 'blue',
          children: (
            <div>
              <Typography.Text strong>{e.actionName}</Typography.Text>
              <span style={{ color: '#999', marginLeft: 8 }}>{formatTime(e.at)}</span>
              <div style={{ color: '#666' }}>
                {ACTOR_KIND_LABEL[e.actorKind]}
                {e.actorName && e.actorKind !== 'system' ? `：${e.actorName}` : ''}
                {e.note ? ` · ${e.note}` : ''}
              </div>
            </div>
          ),
        }))}
      />
      {detail.ratings.length > 0 && (
        <>
          <Typography.Title level={5}>评价</Typography.Title>
          {detail.ratings.map((r) => (
            <div key={r.raterKind} style={{ marginBottom: 8 }} data-testid={`rating-${r.raterKind}`}>
              <Tag>{RATER_KIND_LABEL[r.raterKind]}</Tag>
              <Rate disabled value={r.score} style={{ fontSize: 14 }} />
              {r.comment && <span style={{ marginLeft: 8 }}>{r.comment}</span>}
            </div>
          ))}
        </>
      )}
    </>
  );
}
