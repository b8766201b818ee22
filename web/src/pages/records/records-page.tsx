// 服务记录: hours come from the order or task; the organiser confirms (hours corrected up to the cap) or rejects
// with a reason; the community and the branch rate. A member's certificate (服务证明) opens from their name.
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Button, Card, Image, Input, InputNumber, Modal, Rate, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { StaffRatingModal } from './staff-rating-modal';
import { FilePdfOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { RATER_KIND_LABEL, RECORD_SOURCE_LABEL, RECORD_STATUS, recordsApi, type ServiceRecord } from '../orders/orders-api';

export default function RecordsPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [params] = useSearchParams();
  // ?status=all shows every record; the default is the organiser's to-do (pending)
  const [status, setStatus] = useState<string | undefined>(params.get('status') === 'all' ? undefined : (params.get('status') ?? 'pending'));
  const [source, setSource] = useState<string | undefined>();
  const [q, setQ] = useState('');
  const list = useCursorList<ServiceRecord>('/service/records', { status, source, q: q || undefined });
  const [confirming, setConfirming] = useState<ServiceRecord | null>(null);
  const [rating, setRating] = useState<ServiceRecord | null>(null);
  const write = can('service:write');
  const replace = (r: ServiceRecord) => list.replaceItem((x) => x.id === r.id, r);

  const reject = (r: ServiceRecord) => {
    let reason = '';
    Modal.confirm({
      title: `驳回服务记录：${r.title}`,
      content: <Input.TextArea rows={3} placeholder="驳回原因（党员会收到）" onChange={(e) => (reason = e.target.value)} />,
      okText: '驳回',
      okButtonProps: { danger: true },
      onOk: async () => {
        if (reason.trim().length < 2) {
          message.warning('请写明驳回原因');
          throw new Error('reason');
        }
        try {
          replace(await recordsApi.reject(r.id, reason.trim()));
          message.success('已驳回');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <Card
      title="服务记录"
      extra={
        <Space>
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 110 }}
            value={status}
            onChange={setStatus}
            options={Object.entries(RECORD_STATUS).map(([value, s]) => ({ value, label: s.text }))}
            data-testid="record-status-filter"
          />
          <Select
            allowClear
            placeholder="来源"
            style={{ width: 120 }}
            value={source}
            onChange={setSource}
            options={Object.entries(RECORD_SOURCE_LABEL).map(([value, label]) => ({ value, label }))}
          />
          <Input.Search placeholder="服务内容" allowClear onSearch={(v) => setQ(v.trim())} style={{ width: 180 }} />
          <Button icon={<ReloadOutlined />} onClick={list.reload} />
        </Space>
      }
    >
      <Typography.Paragraph type="secondary">
        时长来自订单或任务本身，由组织者或服务对象确认（谁确认谁负责），每次活动有时长上限；不设每日打卡、不计在线时长。
      </Typography.Paragraph>
      <Table<ServiceRecord>
        rowKey="id"
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        data-testid="records-table"
        locale={{ emptyText: list.error ?? '暂无服务记录' }}
        columns={[
          { title: '日期', dataIndex: 'servedOn', width: 110 },
          {
            title: '党员',
            dataIndex: 'memberName',
            width: 110,
            render: (v: string | null, r) => (
              <Space size={4}>
                <span>{v ?? '—'}</span>
                <Tooltip title="服务证明">
                  <a href={`/api/v1/service/members/${r.forceId}/certificate`} target="_blank" rel="noreferrer" data-testid={`certificate-${r.forceId}`}>
                    <FilePdfOutlined />
                  </a>
                </Tooltip>
              </Space>
            ),
          },
          {
            title: '服务内容',
            dataIndex: 'title',
            render: (v: string, r) => (
              <Space orientation="vertical" size={0}>
                <span>{v}</span>
                <span style={{ color: '#888', fontSize: 12 }}>
                  {RECORD_SOURCE_LABEL[r.source]} · {r.communityName}
                  {r.note ? ` · ${r.note}` : ''}
                </span>
              </Space>
            ),
          },
          { title: '时长', width: 110, render: (_: unknown, r) => <span>{r.hours} 小时<span style={{ color: '#999' }}> / 上限 {r.hourCap}</span></span> },
          {
            title: '照片（选填）',
            width: 120,
            render: (_: unknown, r) =>
              r.evidence.length ? (
                <Image.PreviewGroup>
                  <Space size={4}>
                    {r.evidence.slice(0, 3).map((e) => (
                      <Image key={e.id} src={e.url} width={36} height={36} style={{ objectFit: 'cover' }} alt="凭证" />
                    ))}
                  </Space>
                </Image.PreviewGroup>
              ) : (
                '—'
              ),
          },
          {
            title: '状态',
            width: 150,
            render: (_: unknown, r) => (
              <Space orientation="vertical" size={0}>
                <Tag color={RECORD_STATUS[r.status]?.color}>{RECORD_STATUS[r.status]?.text}</Tag>
                {r.confirmedByName && (
                  <span style={{ fontSize: 12, color: '#888' }}>
                    {r.confirmedAs === 'resident' ? '服务对象' : '组织者'}：{r.confirmedByName}
                  </span>
                )}
              </Space>
            ),
          },
          {
            title: '评价',
            width: 170,
            render: (_: unknown, r) =>
              r.ratings.length ? (
                <Space orientation="vertical" size={0}>
                  {r.ratings.map((g) => (
                    <span key={g.raterKind} style={{ fontSize: 12 }}>
                      {RATER_KIND_LABEL[g.raterKind]} <Rate disabled value={g.score} style={{ fontSize: 10 }} />
                    </span>
                  ))}
                </Space>
              ) : (
                '—'
              ),
          },
          {
            title: '操作',
            width: 140,
            render: (_: unknown, r) => (
              <Space size={6}>
                {write && r.status === 'pending' && (
                  <>
                    <a onClick={() => setConfirming(r)} data-testid={`record-confirm-${r.id}`}>确认</a>
                    <a onClick={() => reject(r)} style={{ color: '#c8161e' }}>驳回</a>
                  </>
                )}
                {write && r.status !== 'rejected' && r.ratings.filter((g) => g.raterKind !== 'resident').length < 2 && <a onClick={() => setRating(r)}>评价</a>}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <ConfirmModal record={confirming} onClose={() => setConfirming(null)} onDone={(r) => { setConfirming(null); replace(r); }} />
      <StaffRatingModal title={rating?.title ?? null} submit={(r) => recordsApi.rate(rating!.id, r)}
        onClose={() => setRating(null)} onDone={(r) => { setRating(null); replace(r); }} />
    </Card>
  );
}

function ConfirmModal({ record, onClose, onDone }: { record: ServiceRecord | null; onClose: () => void; onDone: (r: ServiceRecord) => void }) {
  const { message } = App.useApp();
  const [hours, setHours] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    if (!record) return;
    setSaving(true);
    try {
      onDone(await recordsApi.confirm(record.id, hours !== null && hours !== record.hours ? { hours } : {}));
      message.success('已确认');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={record !== null}
      title={`确认服务时长：${record?.title ?? ''}`}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      okText="确认"
      destroyOnHidden
      afterOpenChange={(open) => open && record && setHours(record.hours)}
    >
      <Space>
        <InputNumber min={0.5} max={record?.hourCap} step={0.5} value={hours} onChange={setHours} addonAfter="小时" data-testid="confirm-hours" />
        <span style={{ color: '#888' }}>本次上限 {record?.hourCap} 小时</span>
      </Space>
    </Modal>
  );
}
