// The cases behind a number (a rate's numerator or denominator, a map cluster, a count): GET /cases with the same
// conditions the number was counted with, cursor-paged; a case opens on top with its timeline and actions.
import { useState } from 'react';
import { Drawer, Table, Typography } from 'antd';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { beijingTime } from '../../time';
import { CaseStateTag, DeadlineCell, useWorkCalendar } from './case-bits';
import { CaseDetailView } from './case-detail';
import type { CaseItem, ListFilters } from './cases-api';

export interface CaseListRequest {
  title: string;
  /** what the list shows, in words (e.g. 西陵社区 · 2026-01-01 至 2026-11-29 · 响应率分子) */
  subtitle?: string;
  filters: ListFilters;
  /** a map cluster's ids: shown in this order instead of a query */
  ids?: number[];
}

function CaseListTable({ filters, onOpen }: { filters: ListFilters; onOpen: (id: number) => void }) {
  const list = useCursorList<CaseItem>('/cases', filters);
  const calendar = useWorkCalendar();
  return (
    <>
      <Table<CaseItem>
        rowKey="id" size="small" pagination={false} loading={list.loading} dataSource={list.items}
        locale={{ emptyText: list.error ?? '没有案件' }}
        data-testid="case-drill-table"
        columns={[
          { title: '服务单号', dataIndex: 'serviceNo', width: 160, render: (v: string, c) => <a onClick={() => onOpen(c.id)}>{v}</a> },
          { title: '类别', dataIndex: 'categoryName', width: 120 },
          { title: '问题', dataIndex: 'description', ellipsis: true },
          { title: '位置', width: 150, render: (_: unknown, c) => c.microGridName ?? c.gridName ?? c.communityName ?? c.streetName },
          { title: '状态', width: 90, render: (_: unknown, c) => <CaseStateTag state={c.state} name={c.stateName} /> },
          { title: '期限', width: 140, render: (_: unknown, c) => <DeadlineCell item={c} calendar={calendar} /> },
          { title: '上报时间', dataIndex: 'reportedAt', width: 130, render: (v: string) => beijingTime(v, 'YYYY-MM-DD HH:mm') },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </>
  );
}

export function CaseListDrawer({ request, onClose }: { request: CaseListRequest | null; onClose: () => void }) {
  const [openId, setOpenId] = useState<number | null>(null);
  return (
    <Drawer open={request !== null} onClose={onClose} size={1000} destroyOnHidden data-testid="case-drill-drawer"
      title={request?.title}>
      {request?.subtitle && <Typography.Paragraph type="secondary">{request.subtitle}</Typography.Paragraph>}
      {request && <CaseListTable filters={request.filters} onOpen={setOpenId} />}
      <Drawer open={openId !== null} onClose={() => setOpenId(null)} width={960} destroyOnHidden title="案件详情">
        {openId && <CaseDetailView id={openId} />}
      </Drawer>
    </Drawer>
  );
}
