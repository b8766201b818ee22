// 脱敏查看记录: every 查看明文 of personal data — who, when, whose data, which fields and why (audit action person.unmask).
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { UNMASK_FIELD_LABEL, formatTime } from '../../labels';
import type { AuditEntry } from '../../types';

interface UnmaskSummary {
  personId?: string | number;
  fields?: string[];
  reason?: string;
}

function summaryOf(entry: AuditEntry): UnmaskSummary {
  const s = entry.summary;
  if (s && typeof s === 'object') return s as UnmaskSummary;
  if (typeof s === 'string') {
    try {
      return JSON.parse(s) as UnmaskSummary;
    } catch {
      return { reason: s };
    }
  }
  return {};
}

const names = new Map<string, Promise<string | null>>();

/** The masked name of a person (the log keeps the id only); empty when out of the viewer's scope. */
function PersonName({ id }: { id: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    if (!names.has(id)) {
      names.set(
        id,
        api
          .get<{ name: string }>(`/archive/persons/${encodeURIComponent(id)}`)
          .then((p) => p.name)
          .catch(() => null),
      );
    }
    void names.get(id)!.then((value) => !cancelled && setName(value));
    return () => {
      cancelled = true;
    };
  }, [id]);
  return (
    <span data-testid="unmask-log-person">
      {name ? `${name} ` : ''}
      <Typography.Text type="secondary">#{id}</Typography.Text>
    </span>
  );
}

export default function UnmaskLogPage() {
  const [actor, setActor] = useState('');
  const [filters, setFilters] = useState<{ action: string; actor?: string }>({ action: 'unmask' });
  const list = useCursorList<AuditEntry>('/audit', filters, 50);

  return (
    <Card title="脱敏查看记录">
      <Typography.Paragraph type="secondary">
        居民个人信息默认脱敏显示；每一次“查看明文”都记录在此：查看人、时间、被查看人、查看的字段和理由。记录只可追加，不可修改。
      </Typography.Paragraph>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          placeholder="查看人用户名"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
          onPressEnter={() => setFilters({ action: 'unmask', actor: actor.trim() || undefined })}
          allowClear
          style={{ width: 200 }}
        />
        <Button type="primary" onClick={() => setFilters({ action: 'unmask', actor: actor.trim() || undefined })}>
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
        data-testid="unmask-log-table"
        columns={[
          { title: '时间', dataIndex: 'at', width: 170, render: (v: string) => formatTime(v) },
          { title: '查看人', dataIndex: 'actorUsername', width: 200, render: (v: string | null) => v ?? '—' },
          {
            title: '被查看人',
            key: 'person',
            width: 160,
            render: (_, row) => {
              const id = summaryOf(row).personId ?? row.targetId;
              return id === undefined || id === null ? '—' : <PersonName id={String(id)} />;
            },
          },
          {
            title: '查看字段',
            key: 'fields',
            width: 260,
            render: (_, row) => (
              <Space size={[4, 4]} wrap>
                {(summaryOf(row).fields ?? []).map((f) => (
                  <Tag key={f} color="volcano">
                    {UNMASK_FIELD_LABEL[f] ?? f}
                  </Tag>
                ))}
              </Space>
            ),
          },
          { title: '理由', key: 'reason', render: (_, row) => <span data-testid="unmask-log-reason">{summaryOf(row).reason ?? '—'}</span> },
          { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </Card>
  );
}
