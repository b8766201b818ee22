// 登录日志: every login attempt and logout, newest first.
import { useState } from 'react';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { LOGIN_OUTCOME_LABEL, formatTime } from '../../labels';
import type { LoginLogEntry } from '../../types';

export default function LoginLogPage() {
  const [username, setUsername] = useState('');
  const [filter, setFilter] = useState<string | undefined>(undefined);
  const list = useCursorList<LoginLogEntry>('/auth/login-log', { username: filter }, 50);

  return (
    <Card title="登录日志">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="用户名"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          onSearch={(v) => setFilter(v.trim() || undefined)}
          allowClear
          enterButton="查询"
          style={{ width: 260 }}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<LoginLogEntry>
        rowKey={(row) => String(row.id)}
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 900 }}
        tableLayout="fixed"
        data-testid="login-log-table"
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatTime(v) },
          { title: '用户名', dataIndex: 'username', width: 200 },
          {
            title: '结果',
            dataIndex: 'outcome',
            width: 110,
            render: (v: string) => {
              const entry = LOGIN_OUTCOME_LABEL[v];
              return <Tag color={entry?.color}>{entry?.text ?? v}</Tag>;
            },
          },
          { title: 'IP', dataIndex: 'ip', width: 140, render: (v: string | null) => v ?? '—' },
          {
            title: '客户端',
            dataIndex: 'userAgent',
            render: (v: string | null) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} ellipsis={{ tooltip: v }}>
                {v ?? '—'}
              </Typography.Text>
            ),
          },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </Card>
  );
}
