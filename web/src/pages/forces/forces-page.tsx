// 力量图谱: one register of the people who serve (在职党员, 志愿者, 能工巧匠, 专业人士, 下沉干部) in a community, with
// skills, availability and home; masked; Excel export; put an archive person into the register; edit skills/status.
import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Col, Form, Input, Modal, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import type { Page } from '../../types';
import { CommunitySelect } from './community-select';
import {
  FORCE_KIND_COLOR, FORCE_KIND_LABEL, FORCE_STATUS_LABEL, PERIOD_LABEL, WEEKDAY_LABEL, availabilityText, forcesApi,
  type Availability, type ForcePerson, type Skill,
} from './forces-api';

interface Filters {
  communityCode?: string;
  kind?: string;
  skill?: string;
  status?: string;
  q?: string;
}

export function SkillTags({ codes, skills }: { codes: string[]; skills: Map<string, string> }) {
  if (!codes.length) return <>—</>;
  return (
    <Space size={[4, 4]} wrap>
      {codes.map((c) => (
        <Tag key={c} color="geekblue">
          {skills.get(c) ?? c}
        </Tag>
      ))}
    </Space>
  );
}

export function useSkills() {
  const [skills, setSkills] = useState<Skill[]>([]);
  useEffect(() => {
    forcesApi.skills().then((r) => setSkills(r.items)).catch(() => setSkills([]));
  }, []);
  return { skills, names: useMemo(() => new Map(skills.map((s) => [s.code, s.name])), [skills]) };
}

function AvailabilityFields() {
  return (
    <>
      <Form.Item name={['availability', 'days']} label="可服务日">
        <Checkbox.Group options={[1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: WEEKDAY_LABEL[d] }))} />
      </Form.Item>
      <Form.Item name={['availability', 'periods']} label="时段">
        <Checkbox.Group options={Object.entries(PERIOD_LABEL).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
    </>
  );
}

interface ArchivePerson {
  id: number;
  name: string | null;
  address: string | null;
  communityName: string | null;
  age: number | null;
}

function CreateModal({ open, onClose, onDone, skills }: { open: boolean; onClose: () => void; onDone: () => void; skills: Skill[] }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [people, setPeople] = useState<ArchivePerson[]>([]);
  const [saving, setSaving] = useState(false);
  const search = (q: string) => {
    if (!q.trim()) return;
    api
      .get<Page<ArchivePerson>>('/archive/persons', { q, limit: 20 })
      .then((r) => setPeople(r.items))
      .catch(() => setPeople([]));
  };
  const submit = async () => {
    const values = (await form.validateFields()) as { personId: number; kind: string; skills?: string[]; availability?: Availability };
    setSaving(true);
    try {
      await forcesApi.createPerson(values);
      message.success('已登记到力量名册');
      form.resetFields();
      onDone();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="登记力量" open={open} onCancel={onClose} onOk={submit} confirmLoading={saving} okText="登记" destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'volunteer' }}>
        <Form.Item name="personId" label="人员（从居民档案中查找）" rules={[{ required: true, message: '请选择人员' }]}>
          <Select
            showSearch
            filterOption={false}
            onSearch={search}
            placeholder="输入姓名、拼音或地址"
            options={people.map((p) => ({ value: p.id, label: `${p.name ?? ''}　${p.communityName ?? ''} ${p.address ?? ''}` }))}
            data-testid="force-person-search"
          />
        </Form.Item>
        <Form.Item name="kind" label="类别" rules={[{ required: true }]}>
          <Select
            options={Object.entries(FORCE_KIND_LABEL)
              .filter(([k]) => k !== 'in_service_member')
              .map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="skills" label="技能">
          <Select mode="multiple" options={skills.map((s) => ({ value: s.code, label: s.name }))} />
        </Form.Item>
        <AvailabilityFields />
        <Typography.Text type="secondary">在职党员通过“扫码报到”经社区审核后自动进入名册。</Typography.Text>
      </Form>
    </Modal>
  );
}

function EditModal({ person, onClose, onDone, skills }: { person: ForcePerson | null; onClose: () => void; onDone: (p: ForcePerson) => void; skills: Skill[] }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  useEffect(() => {
    if (person) form.setFieldsValue({ skills: person.skills, status: person.status, availability: person.availability });
  }, [person, form]);
  const submit = async () => {
    if (!person) return;
    const values = (await form.validateFields()) as { skills: string[]; status: string; availability: Availability };
    try {
      onDone(await forcesApi.updatePerson(person.id, values));
      message.success('已保存');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal title={`编辑：${person?.name ?? ''}`} open={person !== null} onCancel={onClose} onOk={submit} okText="保存">
      <Form form={form} layout="vertical">
        <Form.Item name="skills" label="技能">
          <Select mode="multiple" options={skills.map((s) => ({ value: s.code, label: s.name }))} />
        </Form.Item>
        <AvailabilityFields />
        <Form.Item name="status" label="状态">
          <Select options={Object.entries(FORCE_STATUS_LABEL).map(([value, v]) => ({ value, label: v.text }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export default function ForcesPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [filters, setFilters] = useState<Filters>({});
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ForcePerson | null>(null);
  const [exporting, setExporting] = useState(false);
  const { skills, names } = useSkills();
  const list = useCursorList<ForcePerson>('/forces/persons', filters as Record<string, string | undefined>, 50);
  const set = (patch: Partial<Filters>) => setFilters((previous) => ({ ...previous, ...patch }));
  const ready = Boolean(filters.communityCode);
  const writable = can('forces:write');

  const [summary, setSummary] = useState<{ total: number; active: number; byKind: Record<string, number> } | null>(null);
  useEffect(() => {
    if (filters.communityCode) forcesApi.summary(filters.communityCode).then(setSummary).catch(() => setSummary(null));
  }, [filters.communityCode, list.items.length]);

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await api.download('/forces/persons', { ...filters, format: 'xlsx' }, '力量名册.xlsx');
      message.success('已导出（个人信息已脱敏）');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Card
      title="力量图谱"
      extra={
        <Space>
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="force-create">
              登记力量
            </Button>
          )}
          <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} disabled={!ready}>
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <CommunitySelect value={filters.communityCode ?? null} onChange={(code) => set({ communityCode: code })} />
        <Select allowClear placeholder="类别" style={{ width: 130 }} value={filters.kind} onChange={(v: string | undefined) => set({ kind: v })}
          options={Object.entries(FORCE_KIND_LABEL).map(([value, label]) => ({ value, label }))} data-testid="filter-kind" />
        <Select allowClear showSearch optionFilterProp="label" placeholder="技能" style={{ width: 140 }} value={filters.skill}
          onChange={(v: string | undefined) => set({ skill: v })} options={skills.map((s) => ({ value: s.code, label: s.name }))} data-testid="filter-skill" />
        <Select allowClear placeholder="状态" style={{ width: 110 }} value={filters.status} onChange={(v: string | undefined) => set({ status: v })}
          options={Object.entries(FORCE_STATUS_LABEL).map(([value, v]) => ({ value, label: v.text }))} />
        <Input.Search allowClear placeholder="姓名 / 拼音" style={{ width: 200 }} onSearch={(v) => set({ q: v.trim() || undefined })} />
      </Space>
      <Row gutter={16} style={{ marginBottom: 12 }}>
        <Col span={4}>
          <Statistic title="力量总数（在岗）" value={summary?.total ?? 0} suffix={`（${summary?.active ?? 0}）`} />
        </Col>
        {Object.entries(FORCE_KIND_LABEL).map(([kind, text]) => (
          <Col span={4} key={kind}>
            <Statistic title={text} value={summary?.byKind[kind] ?? 0} />
          </Col>
        ))}
      </Row>
      <Table<ForcePerson>
        rowKey="id"
        size="middle"
        loading={list.loading && list.items.length === 0}
        dataSource={ready ? list.items : []}
        pagination={false}
        data-testid="forces-table"
        columns={[
          { title: '姓名', dataIndex: 'name', width: 90 },
          { title: '类别', dataIndex: 'kind', width: 100, render: (v: string) => <Tag color={FORCE_KIND_COLOR[v]}>{FORCE_KIND_LABEL[v] ?? v}</Tag> },
          { title: '手机号', dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '技能', dataIndex: 'skills', render: (v: string[]) => <SkillTags codes={v} skills={names} /> },
          { title: '可服务时间', dataIndex: 'availability', width: 160, render: (v: Availability) => availabilityText(v) },
          { title: '住址', dataIndex: 'homeAddress', width: 200, render: (v: string | null) => v ?? '—' },
          { title: '微网格', dataIndex: 'microGridName', width: 120, render: (v: string | null) => v ?? '—' },
          { title: '联系户', dataIndex: 'contacts', width: 80, render: (v: number, r) => (r.kind === 'in_service_member' ? `${v}/8` : '—') },
          { title: '在办', dataIndex: 'openLoad', width: 60 },
          {
            title: '状态', dataIndex: 'status', width: 80,
            render: (v: string) => <Tag color={FORCE_STATUS_LABEL[v]?.color}>{FORCE_STATUS_LABEL[v]?.text ?? v}</Tag>,
          },
          ...(writable
            ? [{ title: '', key: 'op', width: 70, render: (_: unknown, r: ForcePerson) => <Button type="link" size="small" onClick={() => setEditing(r)}>编辑</Button> }]
            : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <CreateModal open={creating} onClose={() => setCreating(false)} onDone={() => { setCreating(false); list.reload(); }} skills={skills} />
      <EditModal person={editing} onClose={() => setEditing(null)} skills={skills}
        onDone={(p) => { list.replaceItem((x) => x.id === p.id, p); setEditing(null); }} />
    </Card>
  );
}
