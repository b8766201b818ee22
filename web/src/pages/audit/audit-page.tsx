// 审计日志: the append-only audit trail, newest first, filtered by action and target type.
import { useState } from 'react';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { formatTime } from '../../labels';
import type { AuditEntry } from '../../types';

function renderSummary(summary: unknown) {
  if (summary === null || summary === undefined || summary === '') return '—';
  if (typeof summary === 'string') return summary;
  const text = JSON.stringify(summary);
  if (text === '{}') return '—';
  return (
    <Typography.Text style={{ fontSize: 12 }} ellipsis={{ tooltip: <pre style={{ margin: 0 }}>{JSON.stringify(summary, null, 2)}</pre> }}>
      {text}
    </Typography.Text>
  );
}

export default function AuditPage() {
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState('');
  const [actor, setActor] = useState('');
  const [filters, setFilters] = useState<{ action?: string; targetType?: string; actor?: string }>({});
  const list = useCursorList<AuditEntry>('/audit', filters, 50);

  const apply = () =>
    setFilters({
      action: action.trim() || undefined,
      targetType: targetType.trim() || undefined,
      actor: actor.trim() || undefined,
    });

  return (
    <Card title="审计日志">
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          placeholder="操作人用户名"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          onPressEnter={apply}
          allowClear
          style={{ width: 180 }}
        />
        <Input
          title="以 . 结尾表示前缀，如 user."
          placeholder="操作，如 user.create 或 user."
          value={action}
          onChange={(e) => setAction(e.target.value)}
          onPressEnter={apply}
          allowClear
          style={{ width: 220 }}
        />
        <Input
          placeholder="对象类型，如 user"
          value={targetType}
          onChange={(e) => setTargetType(e.target.value)}
          onPressEnter={apply}
          allowClear
          style={{ width: 180 }}
        />
        <Button type="primary" onClick={apply}>
          查询
        </Button>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<AuditEntry>
        rowKey={(row) => String(row.id)}
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1250 }}
        tableLayout="fixed"
        data-testid="audit-table"
        columns={[
          { title: '序号', dataIndex: 'seq', width: 80, render: (v: number | null) => v ?? <Tag>封存中</Tag> },
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatTime(v) },
          { title: '操作人', dataIndex: 'actorUsername', width: 160, render: (v: string | null) => v ?? '系统' },
          { title: '操作', dataIndex: 'action', width: 180, render: (v: string) => <Tag>{v}</Tag> },
          {
            title: '对象',
            key: 'target',
            width: 240,
            render: (_: unknown, row) => (row.targetType ? `${row.targetType}${row.targetId ? ` #${row.targetId}` : ''}` : '—'),
          },
          { title: '摘要', dataIndex: 'summary', render: renderSummary },
          { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </Card>
  );
}
