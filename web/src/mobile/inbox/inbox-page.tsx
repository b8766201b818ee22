// 我的消息: dispatches, calls, reminders — newest first, live over Server-Sent Events; tap to read and open.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, ErrorBlock, InfiniteScroll, List, NavBar, Tag } from 'antd-mobile';
import { errorMessage } from '../../api';
import { inboxApi, type InboxItem } from '../../pages/tasks/tasks-api';
import { useEventSource } from '../../pages/tasks/use-event-source';
import { shortTime } from '../format';

const KIND: Record<string, { text: string; color: string }> = {
  call: { text: '召集令', color: 'danger' }, dispatch: { text: '派单', color: 'warning' }, reminder: { text: '提醒', color: 'primary' },
  registration: { text: '报到', color: 'success' }, order: { text: '点单', color: 'primary' }, rating: { text: '评价', color: 'success' },
  flag: { text: '提示', color: 'warning' }, system: { text: '系统', color: 'default' }, case: { text: '案件', color: 'warning' },
};

export function InboxPage() {
  const navigate = useNavigate();
  const [items, setItems] = useState<InboxItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(false);

  const loadMore = useCallback(async () => {
    if (loading.current) return;
    loading.current = true;
    try {
      const page = await inboxApi.list({ cursor, limit: 20 });
      setItems((prev) => [...prev, ...page.items.filter((i) => !prev.some((p) => p.id === i.id))]);
      setCursor(page.nextCursor);
      setHasMore(Boolean(page.nextCursor));
    } catch (e) {
      setError(errorMessage(e));
      setHasMore(false);
    } finally {
      loading.current = false;
    }
  }, [cursor]);

  useEventSource(inboxApi.streamUrl, 'notification', (item: InboxItem) => {
    setItems((prev) => (prev.some((p) => p.id === item.id) ? prev : [item, ...prev]));
  });

  const open = async (item: InboxItem) => {
    if (!item.read) {
      await inboxApi.read(item.id).catch(() => undefined);
      setItems((prev) => prev.map((p) => (p.id === item.id ? { ...p, read: true } : p)));
    }
    if (item.link?.startsWith('/m')) navigate(item.link);
  };

  const readAll = async () => {
    await inboxApi.readAll().catch(() => undefined);
    setItems((prev) => prev.map((p) => ({ ...p, read: true })));
  };

  useEffect(() => () => { loading.current = false; }, []);

  return (
    <div className="linli-m-page" data-testid="h5-inbox">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')} right={<a className="linli-m-nav-link" onClick={readAll}>全部已读</a>}>
        我的消息
      </NavBar>
      <List className="linli-m-list">
        {items.map((item) => (
          <List.Item
            key={item.id}
            onClick={() => void open(item)}
            prefix={<Badge content={item.read ? null : Badge.dot}><Tag color={KIND[item.kind]?.color ?? 'default'}>{KIND[item.kind]?.text ?? item.kind}</Tag></Badge>}
            description={<>{item.body && <div>{item.body}</div>}<div className="linli-m-muted">{shortTime(item.createdAt)}</div></>}
            arrow={Boolean(item.link?.startsWith('/m'))}
            data-testid="h5-inbox-item"
          >
            <span style={{ fontWeight: item.read ? 'normal' : 600 }}>{item.title}</span>
          </List.Item>
        ))}
      </List>
      {error && <ErrorBlock status="default" title={error} description={<Button size="small" onClick={() => { setError(null); setHasMore(true); }}>重试</Button>} />}
      <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
        {hasMore ? '加载中…' : items.length ? '没有更多了' : '暂无消息'}
      </InfiniteScroll>
    </div>
  );
}
