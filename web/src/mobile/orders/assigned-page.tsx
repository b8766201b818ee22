// /m/orders — 我的接单: orders dispatched to me, to my branch, open in my community, and those I hold.
import { useNavigate } from 'react-router-dom';
import { ErrorBlock, InfiniteScroll, List, NavBar } from 'antd-mobile';
import { useInfinitePages } from '../use-infinite-pages';
import { ordersApi } from '../../pages/orders/orders-api';
import { beijingShort as shortTime } from '../../time';
import { StateTag } from './order-bits';

const MODE: Record<string, string> = { member: '派给我', branch: '派给支部', open: '公开招募' };

export function AssignedOrdersPage() {
  const navigate = useNavigate();
  const { items, hasMore, error, loadMore } = useInfinitePages((cursor) => ordersApi.assigned(cursor));

  return (
    <div className="linli-m-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>
        我的接单
      </NavBar>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      <List className="linli-m-list" data-testid="h5-assigned">
        {items.map((o) => (
          <List.Item
            key={o.id}
            onClick={() => navigate(`/m/orders/${o.id}`)}
            description={
              <span>
                {o.placeName ?? o.communityName} · {o.state === 'dispatched' && o.dispatchMode ? MODE[o.dispatchMode] : o.skillName ?? ''}
                {o.state === 'dispatched' && o.acceptDeadline ? ` · ${shortTime(o.acceptDeadline)} 前接单` : ''}
              </span>
            }
            extra={<StateTag order={o} />}
            arrowIcon
          >
            <span data-testid="h5-assigned-title">{o.title}</span>
          </List.Item>
        ))}
      </List>
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 单` : '暂时没有派给您的订单')}
        </InfiniteScroll>
      )}
    </div>
  );
}
