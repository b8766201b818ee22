// Small H5 pieces shared by the resident's and the member's order pages: state tag and timeline.
import { Steps, Tag } from 'antd-mobile';
import { beijingShort as shortTime } from '../../time';
import type { OrderDetail, ServiceOrder } from '../../pages/orders/orders-api';

const STATE_COLOR: Record<string, 'default' | 'primary' | 'success' | 'warning' | 'danger'> = {
  ordered: 'warning',
  dispatched: 'warning',
  accepted: 'primary',
  done: 'primary',
  rated: 'success',
  cancelled: 'default',
};

export function StateTag({ order }: { order: ServiceOrder }) {
  return (
    <Tag color={STATE_COLOR[order.state] ?? 'default'} fill="outline" data-testid="h5-order-state">
      {order.stateName}
    </Tag>
  );
}

const ACTOR: Record<string, string> = { resident: '居民', community: '社区', assignee: '接单人', system: '系统' };

export function OrderSteps({ detail }: { detail: OrderDetail }) {
  return (
    <Steps direction="vertical" current={detail.events.length - 1} data-testid="h5-order-timeline">
      {detail.events.map((e) => (
        <Steps.Step
          key={e.id}
          title={e.actionName}
          description={`${shortTime(e.at)} · ${ACTOR[e.actorKind] ?? e.actorKind}${e.actorName && e.actorKind !== 'system' ? ` ${e.actorName}` : ''}${e.note ? ` · ${e.note}` : ''}`}
          status={e.to === 'cancelled' ? 'error' : 'finish'}
        />
      ))}
    </Steps>
  );
}
