// 党群联系 1:8: each in-service member keeps in touch with up to eight households. Figures from the records,
// a member's households (masked), assign / end, and a one-click nearest-first assignment for the community.
import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Col, Modal, Popconfirm, Progress, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ThunderboltOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import type { Page } from '../../types';
import { CommunitySelect } from './community-select';
import { forcesApi, type Contact, type ContactSummary, type ForcePerson } from './forces-api';

function MemberContacts({ member, onChanged }: { member: ForcePerson; onChanged: () => void }) {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [items, setItems] = useState<Contact[] | null>(null);
  const [adding, setAdding] = useState(false);
  const [options, setOptions] = useState<{ id: number; label: string; headName: string | null }[]>([]);
  const [picked, setPicked] = useState<number | null>(null);
  const load = useCallback(() => {
    forcesApi.contacts(member.id).then((r) => setItems(r.items)).catch((e: unknown) => message.error(errorMessage(e)));
  }, [member.id, message]);
  useEffect(load, [load]);
  const search = (q: string) =>
    api.get<Page<{ id: number; label: string; headName: string | null }>>('/archive/households', { q: q || undefined, limit: 20 })
      .then((r) => setOptions(r.items)).catch(() => setOptions([]));
  const assign = async () => {
    if (!picked) return;
    try {
      await forcesApi.assignContact(member.id, picked);
      message.success('已分配联系户');
      setAdding(false);
      setPicked(null);
      load();
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <div style={{ padding: '4px 0' }}>
      <Space wrap>
        {(items ?? []).map((c) => (
          <Tag key={c.id} color="blue" style={{ padding: '2px 8px' }}>
            {c.slot}. {c.label}（户主 {c.headName ?? '—'}，{c.residents} 人）
            {can('forces:write') && (
              <Popconfirm title="结束与该户的联系？" onConfirm={async () => {
                try { await forcesApi.endContact(c.id); load(); onChanged(); } catch (e) { message.error(errorMessage(e)); }
              }}>
                <a style={{ marginLeft: 6 }}>结束</a>
              </Popconfirm>
            )}
          </Tag>
        ))}
        {items?.length === 0 && <Typography.Text type="secondary">尚未分配联系户</Typography.Text>}
        {can('forces:write') && (items?.length ?? 0) < 8 && <Button size="small" onClick={() => { setAdding(true); void search(''); }}>分配联系户</Button>}
      </Space>
      <Modal title={`为 ${member.name ?? ''} 分配联系户`} open={adding} onCancel={() => setAdding(false)} onOk={assign} okText="分配">
        <Select showSearch filterOption={false} onSearch={search} style={{ width: '100%' }} placeholder="按地址（3-2-501）或户主姓名查找"
          value={picked ?? undefined} onChange={(v: number) => setPicked(v)}
          options={options.map((o) => ({ value: o.id, label: `${o.label}　户主 ${o.headName ?? '—'}` }))} />
      </Modal>
    </div>
  );
}

export default function ContactsPage() {
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const [communityCode, setCommunityCode] = useState<string | null>(null);
  const [summary, setSummary] = useState<ContactSummary | null>(null);
  const filters = { communityCode: communityCode ?? undefined, kind: 'in_service_member', status: 'active' };
  const list = useCursorList<ForcePerson>('/forces/persons', filters, 50);
  const loadSummary = useCallback(() => {
    if (communityCode) forcesApi.contactSummary(communityCode).then(setSummary).catch(() => setSummary(null));
  }, [communityCode]);
  useEffect(loadSummary, [loadSummary]);
  const changed = () => {
    loadSummary();
    list.reload();
  };

  const autoAssign = () => {
    if (!communityCode) return;
    modal.confirm({
      title: '一键分配联系户',
      content: '把本社区尚无联系党员的家庭，按就近原则分给在职党员（每人至多 8 户）。',
      okText: '分配',
      onOk: async () => {
        try {
          const r = await forcesApi.autoAssign(communityCode);
          message.success(`已分配 ${r.assigned} 户给 ${r.members} 名党员${r.unassigned ? `，仍有 ${r.unassigned} 户待分配` : ''}`);
          changed();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  const coverage = summary && summary.households ? Math.round((summary.covered / summary.households) * 1000) / 10 : 0;
  return (
    <Card
      title="党群联系 1:8"
      extra={can('forces:write') && <Button type="primary" icon={<ThunderboltOutlined />} disabled={!communityCode} onClick={autoAssign} data-testid="auto-assign">一键就近分配</Button>}
    >
      <Space style={{ marginBottom: 16 }}>
        <CommunitySelect value={communityCode} onChange={(code) => setCommunityCode(code)} />
      </Space>
      {summary && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          <Col span={5}><Statistic title="家庭户数" value={summary.households} /></Col>
          <Col span={5}><Statistic title="已联系户数" value={summary.covered} /></Col>
          <Col span={5}><Statistic title="在职党员" value={summary.members} /></Col>
          <Col span={4}><Statistic title="剩余联系名额" value={summary.freeSlots} /></Col>
          <Col span={5}>
            <Typography.Text type="secondary">覆盖率</Typography.Text>
            <Progress percent={coverage} />
          </Col>
        </Row>
      )}
      <Table<ForcePerson>
        rowKey="id"
        dataSource={communityCode ? list.items : []}
        loading={list.loading && list.items.length === 0}
        pagination={false}
        expandable={{ expandedRowRender: (m) => <MemberContacts member={m} onChanged={changed} /> }}
        columns={[
          { title: '党员', dataIndex: 'name', width: 100 },
          { title: '手机号', dataIndex: 'mobile', width: 130 },
          { title: '住址', dataIndex: 'homeAddress', render: (v: string | null) => v ?? '—' },
          { title: '微网格', dataIndex: 'microGridName', width: 140, render: (v: string | null) => v ?? '—' },
          {
            title: '联系户（1:8）', dataIndex: 'contacts', width: 200,
            render: (v: number) => <Progress percent={(v / 8) * 100} steps={8} format={() => `${v}/8`} size="small" />,
          },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
    </Card>
  );
}
