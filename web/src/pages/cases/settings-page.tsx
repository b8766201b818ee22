// 案件设置: the category dictionary with its deadlines in working days, the working-day calendar (national holidays and
// make-up days from the statutory calendar, and the district's own overrides), and the supervision policy (cards,
// rating window, duplicates). Everyone with case:read reads them; case:admin changes the calendar and the policy.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, App, Button, Calendar, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Popconfirm, Radio, Row, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, errorMessage } from '../../api';
import { TerritoryPicker } from '../../components/territory-picker';
import { useAuth } from '../../auth';
import { beijingTime, SERVICE_TZ } from '../../time';
import { forgetCalendars } from './case-bits';
import { casesApi, TIER_LABEL, type CalendarYear, type CasePolicy, type Category } from './cases-api';

const DEPARTMENT_KIND_LABEL: Record<string, string> = {
  chengguan: '城管', market: '市场监管', police: '公安', housing: '住建', fire: '消防', ecology: '生态环境',
};

function CategoriesTab() {
  const [items, setItems] = useState<Category[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [expanded, setExpanded] = useState<string[]>([]);
  useEffect(() => {
    casesApi.categories().then((list) => { setItems(list); setExpanded(list.map((m) => m.code)); }).catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  const days = (n: number) => <span>{n}</span>;
  return (
    <>
      {error && <Alert type="error" showIcon title={error} />}
      <Table<Category>
        rowKey="code" size="small" loading={items === null && !error} dataSource={items ?? []} pagination={false}
        expandable={{ expandedRowKeys: expanded, onExpandedRowsChange: (keys) => setExpanded(keys as string[]) }}
        data-testid="case-categories"
        columns={[
          { title: '编码', dataIndex: 'code', width: 110 },
          { title: '名称', dataIndex: 'name', render: (v: string, c) => (c.children ? <b>{v}</b> : v) },
          { title: '类型', dataIndex: 'kind', width: 70, render: (v: string) => (v === 'component' ? '部件' : '事件') },
          { title: '默认承办', dataIndex: 'defaultTier', width: 90, render: (v: string) => TIER_LABEL[v] ?? v },
          { title: '对口部门', dataIndex: 'departmentKind', width: 90, render: (v: string | null) => (v ? DEPARTMENT_KIND_LABEL[v] ?? v : '—') },
          {
            title: '期限（工作日）',
            children: [
              { title: '受理', width: 60, render: (_: unknown, c: Category) => days(c.deadlines.accept) },
              { title: '处置', width: 60, render: (_: unknown, c: Category) => days(c.deadlines.handle) },
              { title: '核查', width: 60, render: (_: unknown, c: Category) => days(c.deadlines.verify) },
              { title: '部门报到', width: 80, render: (_: unknown, c: Category) => days(c.deadlines.reportIn) },
              { title: '部门反馈', width: 80, render: (_: unknown, c: Category) => days(c.deadlines.respond) },
            ],
          },
          {
            title: '视频事件', dataIndex: 'cameraEvents', width: 180,
            render: (v: string[] | undefined) => (v?.length ? <Space size={2} wrap>{v.map((e) => <Tag key={e}>{e}</Tag>)}</Space> : '—'),
          },
          { title: 'Open311', dataIndex: 'open311', width: 80, render: (v: boolean | undefined) => (v ? '开放' : '—') },
        ]}
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
        期限按工作日计算：到期时间为第 N 个工作日的 24 时（北京时间），节假日与调休按下方工作日历。小类的“默认承办”决定案件上报后由哪一级（微网格、网格、社区、街道）受理。
      </Typography.Paragraph>
    </>
  );
}

function CalendarTab({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs>(() => dayjs().tz(SERVICE_TZ));
  const [data, setData] = useState<CalendarYear | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Dayjs | null>(null);
  const year = month.year();

  const load = useCallback(() => {
    setError(null);
    casesApi.calendar(year).then(setData).catch((e: unknown) => setError(errorMessage(e)));
  }, [year]);
  useEffect(load, [load]);

  const byDay = useMemo(() => new Map((data?.days ?? []).map((d) => [d.day, d])), [data]);
  const changed = () => { forgetCalendars(); load(); };

  const cell = (d: Dayjs) => {
    const key = d.format('YYYY-MM-DD');
    const entry = byDay.get(key);
    if (!entry) return null;
    const color = entry.source === 'override' ? 'purple' : entry.workday ? 'orange' : 'red';
    return (
      <div data-testid={`calendar-${key}`}>
        <Tag color={color} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
          {entry.workday ? '班' : '休'} {entry.name}
        </Tag>
        {entry.source === 'override' && <div style={{ fontSize: 11, color: '#722ed1' }}>本地调整</div>}
      </div>
    );
  };

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Row gutter={16}>
        <Col xs={24} xl={16}>
          <Calendar
            value={month}
            onPanelChange={(d) => setMonth(d)}
            onSelect={(d, info) => { setMonth(d); if (canEdit && info.source === 'date') setEditing(d); }}
            cellRender={(d, info) => (info.type === 'date' ? cell(d) : null)}
            data-testid="case-calendar"
          />
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={`${year} 年各月工作日`} style={{ marginBottom: 12 }}>
            {data ? (
              <Descriptions size="small" column={3}>
                {data.workdays.map((n, i) => <Descriptions.Item key={i} label={`${i + 1} 月`}>{n} 天</Descriptions.Item>)}
              </Descriptions>
            ) : null}
          </Card>
          <Card size="small" title="本地调整" extra={canEdit ? <Typography.Text type="secondary">点击日历上的日期添加</Typography.Text> : null}>
            <Table
              rowKey="day" size="small" pagination={false} dataSource={data?.overrides ?? []}
              locale={{ emptyText: '没有本地调整，完全按国家法定节假日与调休' }}
              data-testid="calendar-overrides"
              columns={[
                { title: '日期', dataIndex: 'day', width: 110 },
                { title: '调整为', dataIndex: 'workday', width: 80, render: (v: boolean) => (v ? <Tag color="orange">工作日</Tag> : <Tag color="red">休息日</Tag>) },
                { title: '说明', dataIndex: 'name' },
                ...(canEdit ? [{
                  title: '', width: 60,
                  render: (_: unknown, o: { day: string }) => (
                    <Popconfirm title={`删除 ${o.day} 的调整，恢复国家日历？`} onConfirm={async () => {
                      try { await casesApi.clearDay(o.day); message.success('已恢复'); changed(); } catch (e) { message.error(errorMessage(e)); }
                    }}>
                      <a style={{ color: '#c8161e' }}>删除</a>
                    </Popconfirm>
                  ),
                }] : []),
              ]}
            />
          </Card>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
            <Tag color="red">休</Tag>法定节假日 <Tag color="orange">班</Tag>调休上班 <Tag color="purple">本地调整</Tag>
            本地调整对全平台生效，已计算的期限不变，之后新算的期限按新日历。
          </Typography.Paragraph>
        </Col>
      </Row>
      <DayModal day={editing} entry={editing ? byDay.get(editing.format('YYYY-MM-DD')) ?? null : null}
        onClose={() => setEditing(null)} onSaved={() => { setEditing(null); changed(); }} />
    </>
  );
}

function DayModal({ day, entry, onClose, onSaved }: {
  day: Dayjs | null;
  entry: { workday: boolean; name: string; source: string } | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ workday: boolean; name: string }>();
  const [saving, setSaving] = useState(false);
  const weekend = day ? [0, 6].includes(day.day()) : false;
  const currentlyWorkday = entry ? entry.workday : !weekend;
  useEffect(() => {
    if (day) form.setFieldsValue({ workday: !currentlyWorkday, name: entry?.source === 'override' ? entry.name : '' });
  }, [day, entry, currentlyWorkday, form]);
  const key = day?.format('YYYY-MM-DD') ?? '';
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      await casesApi.setDay(key, { workday: v.workday, name: v.name.trim() });
      message.success(`${key} 已设为${v.workday ? '工作日' : '休息日'}`);
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open={day !== null} title={`调整 ${key}`} onCancel={onClose} onOk={save} confirmLoading={saving} okText="保存" destroyOnHidden data-testid="calendar-day-modal">
      <Typography.Paragraph>
        当前：{currentlyWorkday ? '工作日' : '休息日'}{entry ? `（${entry.name}${entry.source === 'override' ? '，本地调整' : ''}）` : weekend ? '（周末）' : ''}
      </Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="workday" label="设为">
          <Radio.Group options={[{ value: true, label: '工作日' }, { value: false, label: '休息日' }]} />
        </Form.Item>
        <Form.Item name="name" label="说明" rules={[{ required: true, whitespace: true, message: '请写明原因，如：台风停工' }]}>
          <Input maxLength={40} placeholder="如：台风停工、亚运会调休" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function PolicyTab({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CasePolicy>();
  const [policy, setPolicy] = useState<CasePolicy | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    casesApi.policy().then((p) => { setPolicy(p); form.setFieldsValue(p); }).catch((e: unknown) => setError(errorMessage(e)));
  }, [form]);
  const save = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    setError(null);
    try {
      const { yellowAfterDays, redAfterDays, ratingWindowDays, unratedPolicy, duplicateRadiusM, duplicateWindowHours } = v;
      const saved = await casesApi.savePolicy({ yellowAfterDays, redAfterDays, ratingWindowDays, unratedPolicy, duplicateRadiusM, duplicateWindowHours });
      setPolicy(saved);
      form.setFieldsValue(saved);
      message.success('规则已保存');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const num = (name: keyof CasePolicy, label: string, min: number, max: number, unit: string, extra: string) => (
    <Form.Item name={name} label={label} extra={extra} rules={[{ required: true, message: `请填写${label}` }]}>
      <InputNumber min={min} max={max} precision={0} suffix={unit} style={{ width: 220 }} disabled={!canEdit} />
    </Form.Item>
  );
  return (
    <div style={{ maxWidth: 720 }}>
      {!canEdit && <Alert type="info" showIcon title="只有区级管理员可以修改规则。" style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" data-testid="case-policy" disabled={!policy}>
        <Typography.Title level={5}>超期督办</Typography.Title>
        <Row gutter={16}>
          <Col span={12}>{num('yellowAfterDays', '黄牌：超期', 0, 30, '个工作日', '0 表示一超期即亮黄牌，承办人收到提醒')}</Col>
          <Col span={12}>
            <Form.Item name="redAfterDays" label="红牌：超期" extra="须大于黄牌；亮红牌时上一级收到督办通知"
              dependencies={['yellowAfterDays']}
              rules={[{ required: true, message: '请填写红牌阈值' }, ({ getFieldValue }) => ({
                validator: (_, v: number) => (v > (getFieldValue('yellowAfterDays') as number) ? Promise.resolve() : Promise.reject(new Error('红牌阈值须大于黄牌阈值'))),
              })]}>
              <InputNumber min={1} max={60} precision={0} suffix="个工作日" style={{ width: 220 }} disabled={!canEdit} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>评价结案</Typography.Title>
        <Row gutter={16}>
          <Col span={12}>{num('ratingWindowDays', '评价期限', 1, 30, '个工作日', '核查通过后等待居民评价的时间')}</Col>
          <Col span={12}>
            <Form.Item name="unratedPolicy" label="期满未评价" extra="期满后案件结案的方式">
              <Select disabled={!canEdit} options={[
                { value: 'close_unrated', label: '结案，记为“未评价”（不计入满意率）' },
                { value: 'close_satisfied', label: '结案，视为满意（计入满意率）' },
              ]} />
            </Form.Item>
          </Col>
        </Row>
        <Typography.Title level={5}>疑似重复</Typography.Title>
        <Row gutter={16}>
          <Col span={12}>{num('duplicateRadiusM', '距离范围', 5, 1000, '米', '同类在办案件在此距离内视为疑似重复')}</Col>
          <Col span={12}>{num('duplicateWindowHours', '时间范围', 1, 720, '小时', '只比对此时间内上报的案件')}</Col>
        </Row>
        {canEdit && <Button type="primary" onClick={save} loading={saving} data-testid="case-policy-save">保存规则</Button>}
        {policy?.updatedAt && <Typography.Text type="secondary" style={{ marginLeft: 12 }}>最近修改：{beijingTime(policy.updatedAt, 'YYYY-MM-DD HH:mm')}</Typography.Text>}
      </Form>
    </div>
  );
}

interface ApiKeyItem {
  id: string; kind: 'open311' | 'camera'; kindName: string; name: string;
  jurisdictionCode: string; jurisdictionName: string; createdAt: string; revokedAt: string | null;
}

/** 接入密钥: the keys Open311 clients and camera platforms file cases with; the key itself is shown once, at issue. */
function KeysTab() {
  const { message } = App.useApp();
  const [items, setItems] = useState<ApiKeyItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [issuing, setIssuing] = useState(false);
  const [issued, setIssued] = useState<(ApiKeyItem & { key: string }) | null>(null);
  const [form] = Form.useForm<{ kind: 'open311' | 'camera'; name: string; jurisdiction: string[] }>();
  const [saving, setSaving] = useState(false);
  const load = useCallback(() => {
    api.get<ApiKeyItem[]>('/cases/intake/keys').then(setItems).catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);

  const issue = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      const key = await api.post<ApiKeyItem & { key: string }>('/cases/intake/keys', { kind: v.kind, name: v.name.trim(), jurisdictionCode: v.jurisdiction[0] });
      setIssuing(false);
      setIssued(key);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  const revoke = async (k: ApiKeyItem) => {
    try {
      await api.post(`/cases/intake/keys/${k.id}/revoke`);
      message.success(`已停用：${k.name}`);
      load();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => { form.resetFields(); setIssuing(true); }} data-testid="key-issue">签发密钥</Button>
        <Typography.Text type="secondary">Open311 客户端（如市 12345 平台）与视频识别平台用密钥提交案件，只能提交到签发的辖区内。</Typography.Text>
      </Space>
      <Table<ApiKeyItem>
        rowKey="id" size="small" loading={items === null && !error} dataSource={items ?? []} pagination={false}
        data-testid="case-keys"
        columns={[
          { title: '编号', dataIndex: 'id', width: 130, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: '用途 / 对接方', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kindName', width: 120 },
          { title: '辖区', dataIndex: 'jurisdictionName', width: 160 },
          { title: '签发时间', dataIndex: 'createdAt', width: 150, render: (v: string) => beijingTime(v, 'YYYY-MM-DD HH:mm') },
          {
            title: '状态', width: 170,
            render: (_: unknown, k) => (k.revokedAt
              ? <Tag>已停用 {beijingTime(k.revokedAt, 'MM-DD HH:mm')}</Tag>
              : (
                <Space>
                  <Tag color="green">使用中</Tag>
                  <Popconfirm title={`停用“${k.name}”？停用后用它提交的请求一律被拒绝。`} onConfirm={() => revoke(k)}>
                    <a style={{ color: '#c8161e' }}>停用</a>
                  </Popconfirm>
                </Space>
              )),
          },
        ]}
      />
      <Modal open={issuing} title="签发接入密钥" onCancel={() => setIssuing(false)} onOk={issue} confirmLoading={saving} okText="签发" destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: 'open311' }}>
          <Form.Item name="kind" label="类型">
            <Radio.Group options={[{ value: 'open311', label: 'Open311 客户端' }, { value: 'camera', label: '视频识别平台' }]} />
          </Form.Item>
          <Form.Item name="name" label="用途或对接方" rules={[{ required: true, whitespace: true, min: 2, message: '请填写用途或对接方（至少 2 个字）' }]}>
            <Input maxLength={60} placeholder="如：市 12345 平台、西兴街道视频中台" />
          </Form.Item>
          <Form.Item name="jurisdiction" label="辖区（只能提交到此范围内）" rules={[{ required: true, message: '请选择辖区' }]}>
            <TerritoryPicker multiple={false} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={issued !== null} title="密钥已签发" onCancel={() => setIssued(null)} footer={<Button type="primary" onClick={() => setIssued(null)}>我已保存</Button>}>
        <Alert type="warning" showIcon title="密钥只显示这一次，请复制后交给对接方妥善保存；平台只保存它的摘要，丢失后只能停用并重新签发。" style={{ marginBottom: 12 }} />
        <Typography.Paragraph copyable={{ text: issued?.key }} data-testid="key-issued">
          <Typography.Text code>{issued?.key}</Typography.Text>
        </Typography.Paragraph>
        <Typography.Text type="secondary">{issued?.kindName} · {issued?.name} · {issued?.jurisdictionName}</Typography.Text>
      </Modal>
    </>
  );
}

export default function CaseSettingsPage() {
  const { can } = useAuth();
  const admin = can('case:admin');
  return (
    <Card title="案件设置">
      <Tabs
        items={[
          { key: 'categories', label: '案件类别与期限', children: <CategoriesTab /> },
          { key: 'calendar', label: '工作日历', children: <CalendarTab canEdit={admin} /> },
          { key: 'policy', label: '督办与评价规则', children: <PolicyTab canEdit={admin} /> },
          ...(admin ? [{ key: 'keys', label: '接入密钥', children: <KeysTab /> }] : []),
        ]}
      />
    </Card>
  );
}
