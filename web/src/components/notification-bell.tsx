// The header's bell: unread count and the latest messages, kept live over Server-Sent Events.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, Button, Empty, List, Popover, Space, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { beijingTime } from '../time';
import { inboxApi, type InboxItem } from '../pages/tasks/tasks-api';
import { useEventSource } from '../pages/tasks/use-event-source';
import { NOTIFICATION_KIND_LABEL } from '../labels';
export { NOTIFICATION_KIND_LABEL } from '../labels';

const kindColor: Record<string, string> = { call: 'red', dispatch: 'orange', reminder: 'blue', flag: 'volcano' };

export function NotificationBell() {
  const navigate = useNavigate();
  const [unread, setUnread] = useState(0);
  const [items, setItems] = useState<InboxItem[]>([]);
  const [open, setOpen] = useState(false);

  const refresh = useCallback(() => {
    inboxApi.unread().then((r) => setUnread(r.unread)).catch(() => undefined);
    inboxApi.list({ limit: 8 }).then((r) => setItems(r.items)).catch(() => undefined);
  }, []);
  useEffect(refresh, [refresh]);

  useEventSource(inboxApi.streamUrl, 'notification', (item: InboxItem) => {
    setItems((prev) => (prev.some((p) => p.id === item.id) ? prev : [item, ...prev].slice(0, 8)));
    setUnread((n) => n + 1);
  });

  const openItem = async (item: InboxItem) => {
    setOpen(false);
    if (!item.read) {
      const r = await inboxApi.read(item.id).catch(() => null);
      if (r) setUnread(r.unread);
      setItems((prev) => prev.map((p) => (p.id === item.id ? { ...p, read: true } : p)));
    }
    if (item.link) navigate(item.link);
  };

  const readAll = async () => {
    const r = await inboxApi.readAll().catch(() => null);
    if (r) setUnread(r.unread);
    setItems((prev) => prev.map((p) => ({ ...p, read: true })));
  };

  const content = (
    <div style={{ width: 360 }} data-testid="notification-list">
      {items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无消息" />
      ) : (
        <List
          size="small"
          dataSource={items}
          renderItem={(item) => (
            <List.Item key={item.id} onClick={() => openItem(item)} style={{ cursor: 'pointer', opacity: item.read ? 0.6 : 1 }}>
              <List.Item.Meta
                title={
                  <Space size={4}>
                    {!item.read && <Badge status="error" />}
                    <Tag color={kindColor[item.kind]}>{NOTIFICATION_KIND_LABEL[item.kind] ?? item.kind}</Tag>
                    <Typography.Text strong={!item.read} ellipsis style={{ maxWidth: 220 }}>{item.title}</Typography.Text>
                  </Space>
                }
                description={
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {item.body ? `${item.body.slice(0, 40)} · ` : ''}{beijingTime(item.createdAt, 'MM-DD HH:mm')}
                  </Typography.Text>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      open={open}
      onOpenChange={(v) => { setOpen(v); if (v) refresh(); }}
      trigger="click"
      placement="bottomRight"
      title={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <span>消息</span>
          <Button type="link" size="small" onClick={readAll} disabled={unread === 0}>全部已读</Button>
        </Space>
      }
      content={content}
    >
      <Badge count={unread} size="small" overflowCount={99}>
        <Button type="text" icon={<BellOutlined style={{ fontSize: 18 }} />} aria-label="消息" data-testid="notification-bell" />
      </Badge>
    </Popover>
  );
}
