// 资源: venues, funds, equipment and services a community can draw on, with who provides them.
import { useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import { FORCE_RESOURCE_KIND_LABEL, FORCE_RESOURCE_STATUS_LABEL } from '../../labels';
import { CommunitySelect } from './community-select';
import { forcesApi, type Resource } from './forces-api';

const STATUS_COLOR: Record<string, string> = { available: 'green', in_use: 'blue', withdrawn: 'default' };

export default function ResourcesPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [communityCode, setCommunityCode] = useState<string | null>(null);
  const [kind, setKind] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const list = useCursorList<Resource>('/forces/resources', { communityCode: communityCode ?? undefined, kind }, 50);
  const writable = can('forces:write');

  const create = async () => {
    const values = (await form.validateFields()) as Record<string, unknown>;
    try {
      await forcesApi.createResource({ ...values, communityCode });
      message.success('已登记资源');
      setCreating(false);
      form.resetFields();
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const update = async (r: Resource, body: Record<string, unknown>) => {
    try {
      const next = await forcesApi.updateResource(r.id, body);
      list.replaceItem((x) => x.id === r.id, next);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card title="资源" extra={writable && <Button type="primary" icon={<PlusOutlined />} disabled={!communityCode} onClick={() => setCreating(true)}>登记资源</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <CommunitySelect value={communityCode} onChange={(code) => setCommunityCode(code)} />
        <Select allowClear placeholder="类型" style={{ width: 130 }} value={kind} onChange={(v: string | undefined) => setKind(v)}
          options={Object.entries(FORCE_RESOURCE_KIND_LABEL).map(([value, label]) => ({ value, label }))} />
      </Space>
      <Table<Resource>
        rowKey="id"
        dataSource={communityCode ? list.items : []}
        loading={list.loading && list.items.length === 0}
        pagination={false}
        columns={[
          { title: '名称', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => <Tag color="cyan">{FORCE_RESOURCE_KIND_LABEL[v] ?? v}</Tag> },
          { title: '数量', key: 'qty', width: 110, render: (_: unknown, r) => (r.quantity === null ? '—' : `${r.quantity} ${r.unit ?? ''}`) },
          { title: '提供方', key: 'provider', render: (_: unknown, r) => r.providerOrgName ?? r.providerName ?? '—' },
          { title: '可用说明', dataIndex: 'availableNote', render: (v: string | null) => v ?? '—' },
          {
            title: '状态', dataIndex: 'status', width: 90,
            render: (v: string) => <Tag color={STATUS_COLOR[v]}>{FORCE_RESOURCE_STATUS_LABEL[v] ?? v}</Tag>,
          },
          ...(writable
            ? [{
                title: '', key: 'op', width: 170,
                render: (_: unknown, r: Resource) =>
                  r.status === 'withdrawn' ? null : (
                    <Space size={0}>
                      <Button type="link" size="small" onClick={() => update(r, { status: r.status === 'in_use' ? 'available' : 'in_use' })}>
                        {r.status === 'in_use' ? '设为可用' : '设为使用中'}
                      </Button>
                      <Popconfirm title="撤下此资源？（保留记录）" onConfirm={async () => {
                        try { await forcesApi.withdrawResource(r.id); list.reload(); } catch (e) { message.error(errorMessage(e)); }
                      }}>
                        <Button type="link" size="small" danger>撤下</Button>
                      </Popconfirm>
                    </Space>
                  ),
              }]
            : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <Modal title="登记资源" open={creating} onCancel={() => setCreating(false)} onOk={create} okText="登记">
        <Form form={form} layout="vertical" initialValues={{ kind: 'venue' }}>
          <Form.Item name="name" label="名称" rules={[{ required: true, max: 100 }]}><Input placeholder="如：社区议事厅" /></Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
            <Select options={Object.entries(FORCE_RESOURCE_KIND_LABEL).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Space>
            <Form.Item name="quantity" label="数量"><InputNumber min={0} /></Form.Item>
            <Form.Item name="unit" label="单位"><Input style={{ width: 100 }} placeholder="间 / 元 / 台" /></Form.Item>
          </Space>
          <Form.Item name="providerName" label="提供方"><Input placeholder="单位或个人名称" /></Form.Item>
          <Form.Item name="availableNote" label="可用说明"><Input placeholder="如：工作日晚上、周末全天" /></Form.Item>
          <Form.Item name="description" label="说明"><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
