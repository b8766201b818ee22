// 报到审核: the community's queue of in-service members' registrations; approve with placement (functional branch,
// party group, micro-grid — defaults preselected) or reject with a reason.
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Form, Input, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import { errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import { formatTime } from '../../labels';
import { CommunitySelect } from '../forces/community-select';
import { SkillTags, useSkills } from '../forces/forces-page';
import { availabilityText, forcesApi, type PostKind } from '../forces/forces-api';
import { REGISTRATION_STATUS_LABEL, registrationApi, type Placement, type Registration } from './registration-api';

function ApproveModal({ reg, onClose, onDone }: { reg: Registration | null; onClose: () => void; onDone: (r: Registration) => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [placement, setPlacement] = useState<Placement | null>(null);
  const branch = Form.useWatch('branchCode', form) as string | undefined;
  useEffect(() => {
    setPlacement(null);
    if (!reg) return;
    registrationApi
      .placement(reg.id)
      .then((p) => {
        setPlacement(p);
        form.setFieldsValue({
          branchCode: p.branches.find((b) => b.isDefault)?.code,
          groupCode: p.groups.find((g) => g.isDefault)?.code,
          microGridCode: p.microGrids.find((m) => m.isDefault)?.code,
        });
      })
      .catch((e: unknown) => message.error(errorMessage(e)));
  }, [reg, form, message]);
  const submit = async () => {
    if (!reg) return;
    const values = (await form.validateFields()) as { branchCode?: string; groupCode?: string; microGridCode?: string; note?: string };
    try {
      onDone(await registrationApi.approve(reg.id, values));
      message.success('已通过，党员已编入支部并进入力量名册');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal title={`审核通过：${reg?.name ?? ''}`} open={reg !== null} onCancel={onClose} onOk={submit} okText="通过并编入" destroyOnHidden>
      <Form form={form} layout="vertical">
        <Form.Item name="branchCode" label="编入党支部（默认：社区在职党员功能型党支部）" rules={[{ required: true, message: '请选择支部' }]}>
          <Select options={(placement?.branches ?? []).map((b) => ({ value: b.code, label: b.name }))} onChange={() => form.setFieldValue('groupCode', undefined)} />
        </Form.Item>
        <Form.Item name="groupCode" label="党小组">
          <Select allowClear placeholder="（无）"
            options={(placement?.groups ?? []).filter((g) => g.parentCode === branch).map((g) => ({ value: g.code, label: g.name }))} />
        </Form.Item>
        <Form.Item name="microGridCode" label="微网格（默认：住址所在楼幢的微网格）">
          <Select allowClear options={(placement?.microGrids ?? []).map((m) => ({ value: m.code, label: m.name }))} />
        </Form.Item>
        <Form.Item name="note" label="备注"><Input maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

export default function RegistrationsPage() {
  const { message, modal } = App.useApp();
  const { can } = useAuth();
  const { names } = useSkills();
  const [communityCode, setCommunityCode] = useState<string | null>(null);
  const [params] = useSearchParams();
  const [status, setStatus] = useState(() => params.get('status') ?? 'pending');
  const [approving, setApproving] = useState<Registration | null>(null);
  const [kinds, setKinds] = useState<PostKind[]>([]);
  useEffect(() => {
    forcesApi.postKinds().then((r) => setKinds(r.items)).catch(() => setKinds([]));
  }, []);
  const kindName = (code: string) => kinds.find((k) => k.code === code)?.name ?? code;
  const list = useCursorList<Registration>('/service/registrations', { communityCode: communityCode ?? undefined, status }, 20);
  const writable = can('service:write');

  const reject = (r: Registration) => {
    let note = '';
    modal.confirm({
      title: `不通过：${r.name ?? ''}`,
      content: <Input.TextArea rows={3} placeholder="请说明理由（如：住址不在本社区）" onChange={(e) => { note = e.target.value; }} />,
      okText: '不通过',
      okButtonProps: { danger: true },
      onOk: async () => {
        if (note.trim().length < 2) {
          message.warning('请填写理由');
          throw new Error('note');
        }
        try {
          await registrationApi.reject(r.id, note.trim());
          message.success('已退回');
          list.reload();
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  return (
    <Card title="报到审核" extra={<CommunitySelect value={communityCode} onChange={(code) => setCommunityCode(code)} />}>
      <Tabs activeKey={status} onChange={setStatus}
        items={Object.entries(REGISTRATION_STATUS_LABEL).map(([key, v]) => ({ key, label: v.text }))} />
      <Table<Registration>
        rowKey="id"
        dataSource={communityCode ? list.items : []}
        loading={list.loading && list.items.length === 0}
        pagination={false}
        data-testid="registrations-table"
        expandable={{
          expandedRowRender: (r) => (
            <Descriptions size="small" column={3}>
              <Descriptions.Item label="服务意向">{r.wishes.length ? r.wishes.map(kindName).join('、') : '—'}</Descriptions.Item>
              <Descriptions.Item label="可服务时间">{availabilityText(r.availability)}</Descriptions.Item>
              <Descriptions.Item label="提交时间">{formatTime(r.createdAt)}</Descriptions.Item>
              <Descriptions.Item label="党小组">{r.groupName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="微网格">{r.microGridName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="审核意见">{r.reviewNote ?? '—'}</Descriptions.Item>
            </Descriptions>
          ),
        }}
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '手机号', dataIndex: 'mobile', width: 125 },
          { title: '住址', dataIndex: 'homeAddress', render: (v: string | null) => v ?? '—' },
          { title: '单位党组织 / 工作单位', key: 'unit', render: (_: unknown, r) => <>{r.unitOrgName ?? '—'}<br /><span style={{ color: '#888' }}>{r.workUnit}</span></> },
          { title: '技能', dataIndex: 'skills', render: (v: string[]) => <SkillTags codes={v} skills={names} /> },
          {
            title: '状态', dataIndex: 'status', width: 90,
            render: (v: string) => <Tag color={REGISTRATION_STATUS_LABEL[v]?.color}>{REGISTRATION_STATUS_LABEL[v]?.text ?? v}</Tag>,
          },
          { title: '编入支部', dataIndex: 'branchName', width: 180, render: (v: string | null) => v ?? '—' },
          ...(writable && status === 'pending'
            ? [{
                title: '', key: 'op', width: 140,
                render: (_: unknown, r: Registration) => (
                  <Space size={0}>
                    <Button type="link" size="small" onClick={() => setApproving(r)} data-testid="approve">通过</Button>
                    <Button type="link" size="small" danger onClick={() => reject(r)}>不通过</Button>
                  </Space>
                ),
              }]
            : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <ApproveModal reg={approving} onClose={() => setApproving(null)} onDone={() => { setApproving(null); list.reload(); }} />
    </Card>
  );
}
