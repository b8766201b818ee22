import { Button } from 'antd';

/** The "加载更多" footer of a cursor-paginated table. */
export function LoadMore({ hasMore, loading, onClick, count }: { hasMore: boolean; loading: boolean; onClick: () => void; count: number }) {
  return (
    <div style={{ textAlign: 'center', padding: '12px 0 0', color: '#999' }}>
      {hasMore ? (
        <Button onClick={onClick} loading={loading} data-testid="load-more">
          加载更多
        </Button>
      ) : (
        <span>{count > 0 ? `已显示全部 ${count} 条` : ''}</span>
      )}
    </div>
  );
}
