// 服务订单 (订单台): residents' orders of my communities by state; dispatch (member / branch / open), re-dispatch,
// decline to take an order, rate a finished one, and the timeline of every order in a drawer.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Button, Card, Drawer, Input, Modal, Rate, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { StaffRatingModal } from '../records/staff-rating-modal';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { beijingTime as formatTime } from '../../time';
import { DispatchModal } from './dispatch-modal';
import { OrderSummary, OrderTimeline } from './order-timeline';
import { ORDER_SIZE_LABEL, ORDER_STATE_COLOR, ordersApi, type OrderDetail, type ServiceOrder } from './orders-api';

const STATE_TABS = [
  { key: '', label: '全部' },
  { key: 'ordered', label: '待派单' },
  { key: 'dispatched', label: '待接单' },
  { key: 'accepted', label: '服务中' },
  { key: 'done', label: '待评价' },
  { key: 'rated', label: '已评价' },
  { key: 'cancelled', label: '已取消' },
];

export default function OrdersPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const [state, setState] = useState(() => params.get('state') ?? 'ordered');
  const [size, setSize] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const list = useCursorList<ServiceOrder>('/service/orders', { state: state || undefined, size, q: q || undefined });
  const [counts, setCounts] = useState<{ byState: Record<string, number>; total: number; overdue: number } | null>(null);
  const refreshCounts = () => {
    ordersApi.counts().then(setCounts).catch(() => setCounts(null));
  };
  useEffect(refreshCounts, [list.items]);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [dispatching, setDispatching] = useState<{ order: ServiceOrder; action: 'dispatch' | 'redispatch' } | null>(null);
  const [rating, setRating] = useState<ServiceOrder | null>(null);
  const openId = params.get('id');
  const write = can('service:write');

  const open = async (id: number) => {
    try {
      setDetail(await ordersApi.get(id));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  useEffect(() => {
    if (openId) void open(Number(openId));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openId]);

  const updated = (d: OrderDetail) => {
    list.replaceItem((o) => o.id === d.order.id, d.order);
    if (detail?.order.id === d.order.id) setDetail(d);
  };

  const reject = (order: ServiceOrder) => {
    let reason = '';
    Modal.confirm({
      title: `不予受理：${order.title}`,
      content: <Input.TextArea rows={3} placeholder="请写明原因（居民会收到）" onChange={(e) => (reason = e.target.value)} />,
      okText: '不予受理',
      okButtonProps: { danger: true },
      onOk: async () => {
        if (!reason.trim()) {
          message.warning('请写明原因');
          throw new Error('reason');
        }
        try {
          updated(await ordersApi.act(order.id, { action: 'reject', note: reason.trim() }));
          message.success('已告知居民');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  const actions = (o: ServiceOrder) => (
    <Space size={4} wrap>
      <a onClick={() => void open(o.id)} data-testid={`order-open-${o.id}`}>详情</a>
      {write && o.state === 'ordered' && (
        <>
          <a onClick={() => setDispatching({ order: o, action: 'dispatch' })} data-testid={`order-dispatch-${o.id}`}>派单</a>
          <a onClick={() => reject(o)} style={{ color: '#c8161e' }}>不予受理</a>
        </>
      )}
      {write && o.state === 'dispatched' && <a onClick={() => setDispatching({ order: o, action: 'redispatch' })}>改派</a>}
      {write && (o.state === 'done' || o.state === 'rated') && <a onClick={() => setRating(o)}>社区评价</a>}
    </Space>
  );

  return (
    <Card
      title="服务订单"
      extra={
        <Space>
          <Select
            allowClear
            placeholder="规模"
            style={{ width: 110 }}
            value={size}
            onChange={setSize}
            options={Object.entries(ORDER_SIZE_LABEL).map(([value, label]) => ({ value, label }))}
          />
          <Input.Search placeholder="需求或服务编号" allowClear onSearch={(v) => setQ(v.trim())} style={{ width: 220 }} />
          <Button icon={<ReloadOutlined />} onClick={list.reload} />
        </Space>
      }
    >
      <Tabs
        activeKey={state}
        onChange={setState}
        data-testid="order-state-tabs"
        items={STATE_TABS.map((tab) => {
          const n = counts ? (tab.key ? counts.byState[tab.key] ?? 0 : counts.total) : null;
          return {
            key: tab.key,
            label: (
              <span>
                {tab.label}
                {n !== null && <span style={{ color: '#999', marginLeft: 4 }}>{n}</span>}
                {tab.key === 'dispatched' && counts && counts.overdue > 0 && (
                  <Tag color="red" style={{ marginLeft: 6 }}>超时 {counts.overdue}</Tag>
                )}
              </span>
            ),
          };
        })}
      />
      <Table<ServiceOrder>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="orders-table"
        locale={{ emptyText: list.error ?? '暂无订单' }}
        columns={[
          { title: '服务编号', dataIndex: 'serviceNo', width: 170 },
          {
            title: '需求',
            dataIndex: 'title',
            render: (v: string, o) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{v}</Typography.Text>
                <span style={{ color: '#888', fontSize: 12 }}>
                  {[o.skillName, ORDER_SIZE_LABEL[o.size]].filter(Boolean).join(' · ')}
                </span>
              </Space>
            ),
          },
          { title: '地点', dataIndex: 'placeName', width: 150, render: (_: unknown, o) => o.placeName ?? o.communityName },
          { title: '居民', dataIndex: 'residentName', width: 80 },
          {
            title: '状态',
            dataIndex: 'stateName',
            width: 120,
            render: (v: string, o) => (
              <Space orientation="vertical" size={0}>
                <Tag color={ORDER_STATE_COLOR[o.state]} data-testid={`order-state-${o.id}`}>{v}</Tag>
                {o.residentScore !== null && <Rate disabled value={o.residentScore} style={{ fontSize: 11 }} />}
              </Space>
            ),
          },
          {
            title: '接单',
            width: 170,
            render: (_: unknown, o) =>
              o.state === 'dispatched' ? (
                <Space orientation="vertical" size={0}>
                  <span>{o.assigneeName ?? o.assigneeOrgName ?? '公开招募'}</span>
                  {o.acceptDeadline && (
                    <span style={{ fontSize: 12, color: dayjs(o.acceptDeadline).isBefore(dayjs()) ? '#c8161e' : '#888' }}>
                      限 {formatTime(o.acceptDeadline, 'MM-DD HH:mm')} 前接单
                    </span>
                  )}
                </Space>
              ) : (
                o.assigneeName ?? o.assigneeOrgName ?? '—'
              ),
          },
          { title: '下单时间', dataIndex: 'createdAt', width: 160, render: (v: string) => formatTime(v) },
          { title: '操作', width: 170, render: (_: unknown, o) => actions(o) },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />

      <Drawer
        open={detail !== null}
        onClose={() => {
          setDetail(null);
          if (openId) setParams({}, { replace: true });
        }}
        title="订单详情"
        width={560}
        data-testid="order-drawer"
        extra={
          detail && write && detail.allowedActions.some((a) => a.action === 'dispatch') ? (
            <Button type="primary" onClick={() => setDispatching({ order: detail.order, action: 'dispatch' })}>
              派单
            </Button>
          ) : null
        }
      >
        {detail && (
          <>
            <OrderSummary detail={detail} />
            <OrderTimeline detail={detail} />
          </>
        )}
      </Drawer>

      <DispatchModal
        order={dispatching?.order ?? null}
        action={dispatching?.action ?? 'dispatch'}
        onClose={() => setDispatching(null)}
        onDone={(d) => {
          setDispatching(null);
          updated(d);
          if (state === 'ordered') list.reload();
        }}
      />
      <StaffRatingModal title={rating?.title ?? null} submit={(r) => ordersApi.rate(rating!.id, r)}
        onClose={() => setRating(null)} onDone={(d) => { setRating(null); updated(d); }} />
    </Card>
  );
}
