// 岗位 (岗位式报到): a community's service posts of the eight kinds, how many members hold each, set up and close posts.
import { useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Progress, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import { formatTime } from '../../labels';
import { CommunitySelect } from '../forces/community-select';
import { forcesApi, type PostKind } from '../forces/forces-api';
import { registrationApi, type ServicePost } from './registration-api';

export default function PostsPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [communityCode, setCommunityCode] = useState<string | null>(null);
  const [status, setStatus] = useState<string | undefined>('open');
  const [kinds, setKinds] = useState<PostKind[]>([]);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const list = useCursorList<ServicePost>('/service/posts', { communityCode: communityCode ?? undefined, status }, 50);
  useEffect(() => {
    forcesApi.postKinds().then((r) => setKinds(r.items)).catch(() => setKinds([]));
  }, []);
  const writable = can('service:write');

  const create = async () => {
    const values = (await form.validateFields()) as { kindCode: string; title: string; description?: string; capacity: number };
    try {
      await registrationApi.createPost({ ...values, communityCode: communityCode! });
      message.success('已设岗');
      setCreating(false);
      form.resetFields();
      list.reload();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card title="岗位" extra={writable && <Button type="primary" icon={<PlusOutlined />} disabled={!communityCode} onClick={() => setCreating(true)}>设岗</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <CommunitySelect value={communityCode} onChange={(code) => setCommunityCode(code)} />
        <Select allowClear placeholder="状态" style={{ width: 110 }} value={status} onChange={(v: string | undefined) => setStatus(v)}
          options={[{ value: 'open', label: '开放' }, { value: 'closed', label: '已关闭' }]} />
      </Space>
      <Table<ServicePost>
        rowKey="id"
        dataSource={communityCode ? list.items : []}
        loading={list.loading && list.items.length === 0}
        pagination={false}
        columns={[
          { title: '岗位', dataIndex: 'title' },
          { title: '类别', dataIndex: 'kindName', width: 120, render: (v: string) => <Tag color="red">{v}</Tag> },
          {
            title: '在岗 / 名额', key: 'cap', width: 200,
            render: (_: unknown, r) => <Progress percent={Math.round((r.taken / r.capacity) * 100)} format={() => `${r.taken}/${r.capacity}`} size="small" />,
          },
          { title: '说明', dataIndex: 'description', ellipsis: true },
          { title: '状态', dataIndex: 'status', width: 80, render: (v: string) => (v === 'open' ? <Tag color="green">开放</Tag> : <Tag>已关闭</Tag>) },
          { title: '设岗时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatTime(v) },
          ...(writable
            ? [{
                title: '', key: 'op', width: 80,
                render: (_: unknown, r: ServicePost) =>
                  r.status === 'open' && (
                    <Popconfirm title="关闭该岗位？" onConfirm={async () => {
                      try { await registrationApi.closePost(r.id); list.reload(); } catch (e) { message.error(errorMessage(e)); }
                    }}>
                      <Button type="link" size="small" danger>关闭</Button>
                    </Popconfirm>
                  ),
              }]
            : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <Modal title="设岗" open={creating} onCancel={() => setCreating(false)} onOk={create} okText="设岗">
        <Form form={form} layout="vertical" initialValues={{ capacity: 5 }}>
          <Form.Item name="kindCode" label="岗位类别" rules={[{ required: true, message: '请选择类别' }]}>
            <Select options={kinds.map((k) => ({ value: k.code, label: k.name }))} />
          </Form.Item>
          <Form.Item name="title" label="岗位名称" rules={[{ required: true, min: 2, max: 100 }]}><Input placeholder="如：周六上午法律咨询" /></Form.Item>
          <Form.Item name="capacity" label="名额" rules={[{ required: true }]}><InputNumber min={1} max={1000} /></Form.Item>
          <Form.Item name="description" label="说明"><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
