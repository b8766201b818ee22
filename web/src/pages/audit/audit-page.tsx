// 审计日志: the append-only audit trail, newest first, filtered by action and target type.
import { useState } from 'react';
import { Alert, Button, Card, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { AUDIT_ACTION_LABEL, AUDIT_SUMMARY_KEY_LABEL, AUDIT_TARGET_LABEL, auditActionLabel, CASE_ACTION_LABEL, formatTime, ORDER_ACTION_LABEL } from '../../labels';
import type { AuditEntry } from '../../types';

/** A value of a summary as text: scalars as they are, lists joined, objects as key：value. */
function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(valueText).join('、');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${AUDIT_SUMMARY_KEY_LABEL[k] ?? k}：${valueText(v)}`).join('，');
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
}

/** The summary in words (its keys labelled), the record as stored in the tooltip. */
function renderSummary(summary: unknown) {
  if (summary === null || summary === undefined || summary === '') return '—';
  if (typeof summary === 'string') return summary;
  const entries = Object.entries(summary as Record<string, unknown>);
  if (!entries.length) return '—';
  const text = entries.map(([k, v]) => `${AUDIT_SUMMARY_KEY_LABEL[k] ?? k}：${valueText(v)}`).join('；');
  return (
    <Typography.Text style={{ fontSize: 12 }} ellipsis={{ tooltip: <pre style={{ margin: 0 }}>{JSON.stringify(summary, null, 2)}</pre> }}>
      {text}
    </Typography.Text>
  );
}

/** The actions to filter by: each prefix group (用户、案件…) and each action, by their labels. */
const ACTION_OPTIONS = (() => {
  const groups: Record<string, string> = { 'user.': '用户（全部）', 'territory.': '区划（全部）', 'person.': '人员（全部）', 'case.': '案件（全部）',
    'service_order.': '服务订单（全部）', 'registration.': '报到（全部）', 'force.': '力量（全部）', 'project.': '项目（全部）' };
  return [
    { label: '按类', options: Object.entries(groups).map(([value, label]) => ({ value, label })) },
    { label: '按操作', options: [
      ...Object.keys(AUDIT_ACTION_LABEL),
      ...Object.keys(CASE_ACTION_LABEL).map((a) => `case.${a}`),
      ...Object.keys(ORDER_ACTION_LABEL).map((a) => `service_order.${a}`),
    ].filter((v, i, all) => all.indexOf(v) === i).map((value) => ({ value, label: auditActionLabel(value) })) },
  ];
})();
const TARGET_OPTIONS = Object.entries(AUDIT_TARGET_LABEL).map(([value, label]) => ({ value, label }));

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
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          placeholder="操作"
          value={action || undefined}
          onChange={(v: string | undefined) => setAction(v ?? '')}
          options={ACTION_OPTIONS}
          style={{ width: 220 }}
          data-testid="audit-action"
        />
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          placeholder="对象"
          value={targetType || undefined}
          onChange={(v: string | undefined) => setTargetType(v ?? '')}
          options={TARGET_OPTIONS}
          style={{ width: 160 }}
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
          { title: '操作', dataIndex: 'action', width: 180, render: (v: string) => <Tooltip title={v}><Tag>{auditActionLabel(v)}</Tag></Tooltip> },
          {
            title: '对象',
            key: 'target',
            width: 240,
            render: (_: unknown, row) => (row.targetType
              ? <Tooltip title={row.targetType}>{`${AUDIT_TARGET_LABEL[row.targetType] ?? row.targetType}${row.targetId ? ` #${row.targetId}` : ''}`}</Tooltip> : '—'),
          },
          { title: '摘要', dataIndex: 'summary', render: renderSummary },
          { title: 'IP', dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </Card>
  );
}
