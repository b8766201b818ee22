// Dialogs of the three lists: 登记需求, 发布项目, 登记认捐, 登记支出, 单位认领. Server validation messages land on the named field.
import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, InputNumber, Modal, Select, Typography, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../api';
import { PhotoUpload, uploadedIds } from '../../components/photo-upload';
import { NEED_CATEGORY_LABEL, NEED_SOURCE_LABEL, PROJECT_KIND_LABEL } from '../../labels';
import { projectsApi, yuan, type Need, type ReachingUnit } from './projects-api';

const options = (map: Record<string, string>) => Object.entries(map).map(([value, label]) => ({ value, label }));

/** Puts a field error on the form when the server named a field of it; otherwise returns the message to show on top. */
function serverError(error: unknown, fields: string[], form: { setFields: (f: never) => void }): string | null {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) {
    form.setFields([{ name: error.field, errors: [error.message.replace(/^[^:]+:\s*/, '')] }] as never);
    return null;
  }
  return errorMessage(error);
}

/** Money: at most two decimals, positive. */
const moneyRules = [
  { required: true, message: '请填写金额' },
  {
    validator: (_: unknown, value: number | null) =>
      value === null || value === undefined || (value > 0 && Math.abs(Math.round(value * 100) - value * 100) < 1e-6)
        ? Promise.resolve()
        : Promise.reject(new Error('金额须大于 0，最多两位小数')),
  },
];

function useDialog<T extends object>(open: boolean, initial?: Partial<T>) {
  const [form] = Form.useForm<T>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (open) {
      form.resetFields();
      if (initial) form.setFieldsValue(initial as never);
      setError(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);
  return { form, saving, setSaving, error, setError };
}

interface NeedValues {
  title: string;
  category: string;
  source?: string;
  beneficiaries?: number;
  description?: string;
}

/** 登记需求 (or 编辑需求 when `need` is given). */
export function NeedModal({ communityCode, need, open, onClose, onSaved }: {
  communityCode: string;
  need?: Need | null;
  open: boolean;
  onClose: () => void;
  onSaved: (need: Need) => void;
}) {
  const initial: Partial<NeedValues> = need
    ? { title: need.title, category: need.category, beneficiaries: need.beneficiaries ?? undefined, description: need.description }
    : { category: 'elderly', source: 'staff' };
  const { form, saving, setSaving, error, setError } = useDialog<NeedValues>(open, initial);
  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const body = { title: values.title.trim(), category: values.category, description: values.description?.trim() ?? '',
        ...(values.beneficiaries !== undefined && values.beneficiaries !== null ? { beneficiaries: values.beneficiaries } : {}) };
      const saved = need ? await projectsApi.updateNeed(need.id, body) : await projectsApi.createNeed({ ...body, communityCode, source: values.source });
      onSaved(saved);
    } catch (e) {
      setError(serverError(e, ['title', 'category', 'source', 'beneficiaries', 'description'], form));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title={need ? '编辑需求' : '登记需求'} open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okText="保存" destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="need-form">
        <Form.Item name="title" label="需求名称" rules={[{ required: true, message: '请填写需求名称' }, { min: 2, max: 100, message: '2–100 个字' }]}>
          <Input placeholder="如：老年食堂助餐、楼道照明改造" maxLength={100} />
        </Form.Item>
        <Form.Item name="category" label="类别" rules={[{ required: true }]}>
          <Select options={options(NEED_CATEGORY_LABEL)} />
        </Form.Item>
        {!need && (
          <Form.Item name="source" label="来源">
            <Select options={options(NEED_SOURCE_LABEL)} />
          </Form.Item>
        )}
        <Form.Item name="beneficiaries" label="受益人数">
          <InputNumber min={0} precision={0} style={{ width: 200 }} placeholder="估计人数" />
        </Form.Item>
        <Form.Item name="description" label="说明">
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ProjectValues {
  title: string;
  kind: string;
  needId?: number;
  targetAmount?: number;
  period?: [Dayjs | null, Dayjs | null];
  description?: string;
}

/** 发布项目: 共建项目, 公益众筹 (target amount required) or 服务菜单; optionally made from an open need. */
export function ProjectModal({ communityCode, needs, initialKind, initialNeedId, open, onClose, onSaved }: {
  communityCode: string;
  needs: Need[];
  initialKind?: string;
  initialNeedId?: number;
  open: boolean;
  onClose: () => void;
  onSaved: (id: number) => void;
}) {
  const { form, saving, setSaving, error, setError } = useDialog<ProjectValues>(open, { kind: initialKind ?? 'co_build', needId: initialNeedId });
  const kind = Form.useWatch('kind', form);
  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const [start, end] = values.period ?? [null, null];
      const created = await projectsApi.createProject({
        communityCode, title: values.title.trim(), kind: values.kind, description: values.description?.trim() ?? '',
        ...(values.needId ? { needId: values.needId } : {}),
        ...(values.targetAmount ? { targetAmount: values.targetAmount } : {}),
        ...(start ? { startsOn: start.format('YYYY-MM-DD') } : {}),
        ...(end ? { endsOn: end.format('YYYY-MM-DD') } : {}),
      });
      onSaved(created.id);
    } catch (e) {
      setError(serverError(e, ['title', 'kind', 'needId', 'targetAmount', 'description'], form));
    } finally {
      setSaving(false);
    }
  };
  const openNeeds = needs.filter((n) => n.status === 'open' || n.status === 'in_project' || n.id === initialNeedId);
  return (
    <Modal title="发布项目" open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okText="发布" destroyOnHidden width={600}>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="project-form">
        <Form.Item name="title" label="项目名称" rules={[{ required: true, message: '请填写项目名称' }, { min: 2, max: 100, message: '2–100 个字' }]}>
          <Input placeholder="如：老旧小区加装电梯众筹" maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label="项目类型" rules={[{ required: true }]}>
          <Select options={options(PROJECT_KIND_LABEL)} />
        </Form.Item>
        <Form.Item name="needId" label="对应需求" extra="由需求清单立项时选择，需求将转为“已立项”">
          <Select allowClear placeholder="不对应具体需求" options={openNeeds.map((n) => ({ value: n.id, label: n.title }))} />
        </Form.Item>
        <Form.Item
          name="targetAmount"
          label="目标金额（元）"
          rules={kind === 'crowdfunding' ? moneyRules : moneyRules.slice(1)}
          extra={kind === 'crowdfunding' ? '公益众筹项目须填写目标金额' : '可不填'}
        >
          <InputNumber min={0.01} step={100} precision={2} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="period" label="实施期间">
          <DatePicker.RangePicker allowEmpty={[true, true]} />
        </Form.Item>
        <Form.Item name="description" label="项目说明">
          <Input.TextArea rows={3} maxLength={4000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface PledgeValues {
  donorKind: 'unit' | 'person';
  orgCode?: string;
  donorName?: string;
  amount: number;
}

/**
 * 登记认捐. Staff choose a unit that reaches the community or enter a person; a unit party organisation pledges for
 * itself only (`ownOrgName`).
 */
export function PledgeModal({ projectId, units, ownOrgName, open, onClose, onSaved }: {
  projectId: number;
  units: ReachingUnit[];
  ownOrgName?: string;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { form, saving, setSaving, error, setError } = useDialog<PledgeValues>(open, { donorKind: ownOrgName ? 'unit' : 'unit', donorName: ownOrgName });
  const donorKind = Form.useWatch('donorKind', form);
  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const unit = units.find((u) => u.orgCode === values.orgCode);
      const body = ownOrgName
        ? { donorName: ownOrgName, amount: values.amount }
        : values.donorKind === 'unit'
          ? { orgCode: values.orgCode, donorName: unit?.name ?? values.orgCode ?? '', amount: values.amount }
          : { donorName: (values.donorName ?? '').trim(), amount: values.amount };
      await projectsApi.pledge(projectId, body);
      onSaved();
    } catch (e) {
      setError(serverError(e, ['orgCode', 'donorName', 'amount'], form));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="登记认捐" open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okText="保存" destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="pledge-form">
        {ownOrgName ? (
          <Form.Item label="认捐单位">
            <Typography.Text strong>{ownOrgName}</Typography.Text>
          </Form.Item>
        ) : (
          <>
            <Form.Item name="donorKind" label="认捐方">
              <Select options={[{ value: 'unit', label: '单位' }, { value: 'person', label: '个人' }]} />
            </Form.Item>
            {donorKind === 'person' ? (
              <Form.Item name="donorName" label="姓名" rules={[{ required: true, message: '请填写认捐人姓名' }]} extra="个人姓名在列表中脱敏显示">
                <Input maxLength={100} />
              </Form.Item>
            ) : (
              <Form.Item name="orgCode" label="单位" rules={[{ required: true, message: '请选择认捐单位' }]}>
                <Select
                  showSearch={{ optionFilterProp: 'label' }}
                  placeholder="服务本社区的联盟成员单位、驻社区单位"
                  options={units.map((u) => ({ value: u.orgCode, label: u.name }))}
                />
              </Form.Item>
            )}
          </>
        )}
        <Form.Item name="amount" label="认捐金额（元）" rules={moneyRules}>
          <InputNumber min={0.01} step={100} precision={2} style={{ width: 240 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface SpendingValues {
  amount: number;
  purpose: string;
  spentOn: Dayjs;
}

/** 登记支出: never more than the pledged balance (the server refuses it; the form says so first). */
export function SpendingModal({ projectId, balance, open, onClose, onSaved }: {
  projectId: number;
  balance: number;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { form, saving, setSaving, error, setError } = useDialog<SpendingValues>(open, { spentOn: dayjs() });
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [uploadProblem, setUploadProblem] = useState<string | null>(null);
  useEffect(() => {
    if (open) { setFiles([]); setUploadProblem(null); }
  }, [open]);
  const uploading = files.some((f) => f.status === 'uploading');
  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    if (uploading) { setError('照片还在上传，请稍候再保存'); return; }
    const evidence = uploadedIds(files);
    setSaving(true);
    setError(null);
    try {
      await projectsApi.spend(projectId, {
        amount: values.amount, purpose: values.purpose.trim(), spentOn: values.spentOn.format('YYYY-MM-DD'),
        ...(evidence.length ? { evidence } : {}),
      });
      onSaved();
    } catch (e) {
      setError(serverError(e, ['purpose', 'spentOn', 'evidence'], form));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title="登记支出" open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okButtonProps={{ disabled: uploading }} okText="保存" destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="spending-error" />}
      <Typography.Paragraph type="secondary">可支出余额：{yuan(balance)}（资金支出不能超过已认捐金额）</Typography.Paragraph>
      <Form form={form} layout="vertical" data-testid="spending-form">
        <Form.Item name="amount" label="支出金额（元）" rules={moneyRules}>
          <InputNumber min={0.01} step={100} precision={2} style={{ width: 240 }} />
        </Form.Item>
        <Form.Item name="purpose" label="用途" rules={[{ required: true, message: '请填写用途' }, { min: 2, max: 200, message: '2–200 个字' }]}>
          <Input maxLength={200} placeholder="如：设计费、材料采购" />
        </Form.Item>
        <Form.Item name="spentOn" label="支出日期" rules={[{ required: true, message: '请选择日期' }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item label="凭证照片（发票、收据、现场照片；JPG/PNG/WebP，每张不超过 5 MB）" validateStatus={uploadProblem ? 'error' : undefined} help={uploadProblem ?? undefined}>
          <PhotoUpload files={files} onChange={setFiles} onProblem={setUploadProblem} max={20} testId="spending-evidence" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ClaimValues {
  orgCode?: string;
  commitment?: string;
}

/** 认领: a unit for itself (no unit list), or staff registering a claim for a unit that reaches the community. */
export function ClaimModal({ projectId, projectTitle, units, open, onClose, onSaved }: {
  projectId: number;
  projectTitle: string;
  /** the units staff may choose from; omitted when a unit claims for itself */
  units?: ReachingUnit[];
  open: boolean;
  onClose: () => void;
  onSaved: (result: { orgName: string; role: string }) => void;
}) {
  const { form, saving, setSaving, error, setError } = useDialog<ClaimValues>(open);
  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const result = await projectsApi.claim(projectId, { ...(values.orgCode ? { orgCode: values.orgCode } : {}), commitment: values.commitment?.trim() ?? '' });
      onSaved(result);
    } catch (e) {
      setError(serverError(e, ['orgCode', 'commitment'], form));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal title={`认领项目 · ${projectTitle}`} open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okText="确认认领" destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="claim-form">
        {units && (
          <Form.Item name="orgCode" label="认领单位" rules={[{ required: true, message: '请选择认领单位' }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={units.map((u) => ({ value: u.orgCode, label: u.name }))} />
          </Form.Item>
        )}
        <Form.Item name="commitment" label="认领承诺" extra="出人、出物、出资……第一个认领的单位为牵头单位">
          <Input.TextArea rows={3} maxLength={500} showCount placeholder="如：提供场地，派 10 名党员志愿者" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
