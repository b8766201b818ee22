// 谈话提醒 / 表彰推荐: members whose rolling-year satisfaction is under 70 % or who have a negative-list item, for
// their unit's secretary to talk with (报回单位); and the best rated of a year, recommended for honours.
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { Alert, App, Card, DatePicker, Form, Input, InputNumber, Modal, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { beijingTime as formatTime } from '../../time';
import { recordsApi, type Honour, type MemberFlag } from '../orders/orders-api';

export default function CarePage() {
  const location = useLocation();
  const navigate = useNavigate();
  const { can } = useAuth();
  const tab = location.pathname.endsWith('/honours') ? 'honours' : 'flags';
  return (
    <Card title={tab === 'flags' ? '谈话提醒' : '表彰推荐'}>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(key === 'honours' ? '/service/honours' : '/service/flags')}
        items={[
          { key: 'flags', label: '谈话提醒', children: <FlagsTab /> },
          ...(can('service:read') ? [{ key: 'honours', label: '表彰推荐', children: <HonoursTab /> }] : []),
        ]}
      />
    </Card>
  );
}

function FlagsTab() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [items, setItems] = useState<MemberFlag[]>([]);
  const [loading, setLoading] = useState(false);
  const [talking, setTalking] = useState<MemberFlag | null>(null);
  const [form] = Form.useForm<{ talkedOn: dayjs.Dayjs; note: string }>();
  const load = async () => {
    setLoading(true);
    try {
      setItems((await recordsApi.flags()).items);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => void load(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async () => {
    if (!talking) return;
    const values = await form.validateFields();
    try {
      await recordsApi.talk(talking.forceId, { talkedOn: values.talkedOn.format('YYYY-MM-DD'), note: values.note.trim() });
      message.success('谈话已记录，提醒解除');
      setTalking(null);
      await load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        message={can('service:unit') ? '本单位在职党员中，近一年服务满意率低于 70%（至少 3 次评价）或有负面清单事项、尚未谈话的，请书记安排谈心谈话。' : '本范围内满意率低于 70% 或有负面清单事项、尚未谈话的报到党员。'}
      />
      <Table<MemberFlag>
        rowKey="forceId"
        loading={loading}
        dataSource={items}
        pagination={false}
        data-testid="flags-table"
        locale={{ emptyText: '暂无需要谈话的党员' }}
        columns={[
          { title: '党员', dataIndex: 'name', width: 90 },
          { title: '报到社区', dataIndex: 'communityName', width: 120 },
          { title: '工作单位', dataIndex: 'unitName', width: 180, render: (v: string | null) => v ?? '—' },
          {
            title: '满意率',
            width: 120,
            render: (_: unknown, f) => (f.satisfaction === null ? '—' : <Tag color={f.satisfaction < 0.7 ? 'red' : 'green'}>{Math.round(f.satisfaction * 100)}%（{f.ratings} 次）</Tag>),
          },
          { title: '原因', dataIndex: 'reasons', render: (v: string[]) => v.map((r) => <div key={r}>{r}</div>) },
          { title: '提醒时间', dataIndex: 'flaggedSince', width: 160, render: (v: string) => formatTime(v) },
          {
            title: '操作',
            width: 100,
            render: (_: unknown, f) => (
              <a
                onClick={() => {
                  form.setFieldsValue({ talkedOn: dayjs(), note: '' });
                  setTalking(f);
                }}
                data-testid={`talk-${f.forceId}`}
              >
                记录谈话
              </a>
            ),
          },
        ]}
      />
      <Modal open={talking !== null} title={`记录谈话：${talking?.name ?? ''}`} onCancel={() => setTalking(null)} onOk={submit} okText="保存" destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="talkedOn" label="谈话日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="note" label="谈话内容" rules={[{ required: true, min: 2, message: '请填写谈话内容' }]}>
            <Input.TextArea rows={4} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function HonoursTab() {
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const [data, setData] = useState<{ year: number; items: Honour[] } | null>(null);
  const [loading, setLoading] = useState(false);
  useEffect(() => {
    setLoading(true);
    recordsApi
      .honours({ year })
      .then(setData)
      .catch((e) => message.error(errorMessage(e)))
      .finally(() => setLoading(false));
  }, [year, message]);
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <span>年度</span>
        <InputNumber min={2020} max={2100} value={year} onChange={(v) => v && setYear(v)} />
        <Typography.Text type="secondary">至少 3 次评价；按满意率、平均分、已确认时长排序；有负面清单事项的不推荐。</Typography.Text>
      </Space>
      <Table<Honour>
        rowKey="forceId"
        loading={loading}
        dataSource={data?.items ?? []}
        pagination={false}
        data-testid="honours-table"
        locale={{ emptyText: '本年度暂无符合条件的党员' }}
        columns={[
          { title: '名次', width: 60, render: (_: unknown, _h, i) => i + 1 },
          { title: '党员', dataIndex: 'name', width: 90 },
          { title: '报到社区', dataIndex: 'communityName', width: 120 },
          { title: '满意率', dataIndex: 'satisfaction', width: 90, render: (v: number) => `${Math.round(v * 100)}%` },
          { title: '平均分', dataIndex: 'averageScore', width: 80 },
          { title: '评价次数', dataIndex: 'ratings', width: 90 },
          { title: '已确认时长', dataIndex: 'confirmedHours', width: 110, render: (v: number) => `${v} 小时` },
          { title: '服务次数', dataIndex: 'services', width: 90 },
          {
            title: '服务证明',
            width: 90,
            render: (_: unknown, h) => (
              <a href={`/api/v1/service/members/${h.forceId}/certificate`} target="_blank" rel="noreferrer">
                查看
              </a>
            ),
          },
        ]}
      />
    </>
  );
}
