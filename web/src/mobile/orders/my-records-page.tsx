// /m/records — 我的服务记录: a member's services with hours, who confirmed them and the ratings; the certificate
// (服务证明) of the confirmed hours opens as a printable page.
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, ErrorBlock, InfiniteScroll, List, NavBar, Rate, Tag } from 'antd-mobile';
import { useInfinitePages } from '../use-infinite-pages';
import { api } from '../../api';
import type { ServiceRecord } from '../../pages/orders/orders-api';

const STATUS: Record<string, { text: string; color: 'warning' | 'success' | 'danger' }> = {
  pending: { text: '待确认', color: 'warning' },
  confirmed: { text: '已确认', color: 'success' },
  rejected: { text: '已驳回', color: 'danger' },
};

interface Summary { registered: boolean; hours: { year: number; total: number; pending: number }; services: number }

export function MyRecordsPage() {
  const navigate = useNavigate();
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    api.get<Summary>('/service/members/me').then(setSummary).catch(() => setSummary(null));
  }, []);
  const { items, hasMore, error, loadMore } = useInfinitePages((cursor) => api.get<{ items: ServiceRecord[]; nextCursor: string | null }>('/service/records/mine', { cursor: cursor ?? undefined, limit: 20 }));
  return (
    <div className="linli-m-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>
        我的服务记录
      </NavBar>
      {summary?.registered && (
        <div className="linli-m-hello" data-testid="h5-hours">
          已确认 {summary.hours.total} 小时（今年 {summary.hours.year}）· 共 {summary.services} 次
          {summary.hours.pending > 0 ? ` · 待确认 ${summary.hours.pending} 小时` : ''}
        </div>
      )}
      {summary?.registered && (
        <div style={{ padding: '10px 12px 0' }}>
          <Button block color="primary" fill="outline" onClick={() => void window.open('/api/v1/service/members/me/certificate', '_blank')} data-testid="h5-certificate">
            服务证明（可打印 / 存为 PDF）
          </Button>
        </div>
      )}
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      <List className="linli-m-list" data-testid="h5-my-records">
        {items.map((r) => (
          <List.Item
            key={r.id}
            onClick={r.orderId ? () => navigate(`/m/orders/${r.orderId}`) : undefined}
            description={
              <div>
                <div>
                  {r.servedOn} · {r.hours} 小时
                  {r.confirmedByName ? ` · ${r.confirmedAs === 'resident' ? '服务对象' : '组织者'}确认` : ''}
                </div>
                {r.ratings.map((g) => (
                  <span key={g.raterKind} style={{ marginRight: 8 }}>
                    {g.raterKind === 'resident' ? '居民' : g.raterKind === 'community' ? '社区' : '支部'} <Rate readOnly value={g.score} style={{ '--star-size': '11px' }} />
                  </span>
                ))}
                {r.status === 'rejected' && r.note && <div style={{ color: '#c8161e' }}>{r.note}</div>}
              </div>
            }
            extra={<Tag color={STATUS[r.status]?.color ?? 'default'} fill="outline">{STATUS[r.status]?.text ?? r.status}</Tag>}
          >
            {r.title}
          </List.Item>
        ))}
      </List>
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 条` : '还没有服务记录')}
        </InfiniteScroll>
      )}
    </div>
  );
}
