// One dialog for every case action, its fields chosen by the action: a reason where one is owed (作废, 退回, 核查不通过,
// 延期 …), the lower seat or department for 交办, departments for 吹哨/抄告, days for 延期, the duplicate for 合并,
// participants/time/conclusion for 会商, the result and photos for 处置反馈. A 409 (someone acted first) is shown and
// the case reloaded.
import { useEffect, useState } from 'react';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Space, Typography, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../api';
import { beijingTime } from '../../time';
import { PhotoUpload, stillUploading, uploadedIds } from '../../components/photo-upload';
import {
  casesApi, SATISFACTION_LABEL, TIER_LABEL, type ActionInput, type AllowedAction, type CaseDetail, type Department, type PropertyTarget,
} from './cases-api';

type Field = 'note' | 'photos' | 'days' | 'mergeInto' | 'assignTo' | 'departments' | 'convene' | 'satisfaction';

interface ActionForm {
  fields: Field[];
  /** the note is required, and what it is called */
  noteRequired?: boolean;
  noteLabel?: string;
  hint?: string;
  danger?: boolean;
}

const FORMS: Record<string, ActionForm> = {
  accept: { fields: ['note'], noteLabel: '受理意见（选填）', hint: '受理后案件立案，进入处置环节，开始计算办结期限。' },
  void: { fields: ['note'], noteRequired: true, noteLabel: '不予立案的原因', danger: true, hint: '作废后案件结束，上报人会收到原因。' },
  merge: { fields: ['mergeInto', 'note'], noteLabel: '说明（选填）', hint: '合并后本案结束，进度跟随保留的案件；上报人会收到通知。' },
  withdraw: { fields: ['note'], noteLabel: '撤回原因（选填）', danger: true },
  escalate: { fields: ['note'], noteRequired: true, noteLabel: '上报原因（本级无法办理的情况）', hint: '案件转到上一级承办，期限重新计算。' },
  assign: { fields: ['assignTo', 'note'], noteLabel: '交办要求（选填）' },
  return: { fields: ['note'], noteRequired: true, noteLabel: '退回原因', danger: true, hint: '案件退回交办的上一级（物业退回社区）。' },
  whistle: { fields: ['departments', 'note'], noteRequired: true, noteLabel: '吹哨事由', hint: '被吹哨的部门须在报到期限内报到，并在反馈期限内反馈处理结果。' },
  copy: { fields: ['departments', 'note'], noteLabel: '抄告内容（选填）', hint: '抄告只告知相关部门，不改变承办。' },
  extend: { fields: ['days', 'note'], noteRequired: true, noteLabel: '延期理由', hint: '延期须上级同意；同一时间只能有一个待审批的申请。' },
  approve_extension: { fields: ['note'], noteLabel: '审批意见（选填）' },
  refuse_extension: { fields: ['note'], noteRequired: true, noteLabel: '不同意的理由', danger: true },
  supervise: { fields: ['note'], noteRequired: true, noteLabel: '督办意见', hint: '承办人会收到督办通知，督办记入案件。' },
  convene: { fields: ['convene'], hint: '会商记录参加人、时间和结论，计入流转记录。' },
  resolve: { fields: ['note', 'photos'], noteRequired: true, noteLabel: '处置情况', hint: '反馈后由上级核查，通过后请上报人评价。' },
  verify: { fields: ['note'], noteLabel: '核查意见（选填）', hint: '核查通过后请上报人（或网格居民）评价，评价后结案。' },
  reject: { fields: ['note'], noteRequired: true, noteLabel: '核查不通过的原因', danger: true, hint: '案件退回承办人重新处置。' },
  report_in: { fields: ['note'], noteLabel: '报到说明（选填，如：已安排某某负责）' },
  respond: { fields: ['note', 'photos'], noteRequired: true, noteLabel: '反馈处理结果' },
  rate: { fields: ['satisfaction', 'note'], noteLabel: '评价说明（不满意时必填）' },
};

interface Values {
  note?: string;
  days?: number;
  mergeInto?: number;
  assignTo?: string;
  departments?: string[];
  participants?: string[];
  heldAt?: Dayjs;
  conclusion?: string;
  satisfaction?: 'satisfied' | 'basically' | 'unsatisfied';
}

// a property company's case is handed on by the community above it
const TIER_DEPTH: Record<string, number> = { street: 2, community: 3, department: 3, property: 3, grid: 4, micro_grid: 5 };

/** The seats a case may be handed down to: those on its own chain (社区/网格/微网格) below the current handler. */
function lowerSeats(detail: CaseDetail): { value: string; label: string }[] {
  const c = detail.case;
  const depth = TIER_DEPTH[c.handlerTier] ?? 5;
  const chain: [string, string | null, string | null][] = [
    ['community', c.communityCode, c.communityName], ['grid', c.gridCode, c.gridName], ['micro_grid', c.microGridCode, c.microGridName],
  ];
  return chain
    .filter(([tier, code]) => code && TIER_DEPTH[tier]! > depth)
    .map(([tier, code, name]) => ({ value: code!, label: `${name ?? code}（${TIER_LABEL[tier]}）` }));
}

let departmentsCache: Promise<Department[]> | null = null;
function useDepartments(enabled: boolean): Department[] {
  const [list, setList] = useState<Department[]>([]);
  useEffect(() => {
    if (!enabled) return;
    departmentsCache ??= casesApi.departments().catch((e: unknown) => { departmentsCache = null; throw e; });
    departmentsCache.then(setList).catch(() => setList([]));
  }, [enabled]);
  return list;
}

/** The compounds of the case's community whose property company is on the platform (交办物业). */
function usePropertyTargets(caseId: number, enabled: boolean): PropertyTarget[] {
  const [list, setList] = useState<PropertyTarget[]>([]);
  useEffect(() => {
    if (!enabled) return;
    casesApi.propertyTargets(caseId).then(setList).catch(() => setList([]));
  }, [caseId, enabled]);
  return list;
}

export function CaseActionModal({ detail, action, onClose, onDone, onStale }: {
  detail: CaseDetail;
  action: AllowedAction | null;
  onClose: () => void;
  onDone: (next: CaseDetail) => void;
  /** the case changed under us (409): reload it */
  onStale: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const spec = action ? FORMS[action.action] ?? { fields: ['note'] as Field[], noteLabel: '说明（选填）' } : null;
  const fields = new Set(spec?.fields ?? []);
  const seats = lowerSeats(detail);
  const departments = useDepartments(fields.has('assignTo') || fields.has('departments'));
  const properties = usePropertyTargets(detail.case.id, fields.has('assignTo')).filter((k) => !(detail.case.handlerTier === 'property' && detail.case.handlerCode === k.code));
  const satisfaction = Form.useWatch('satisfaction', form);

  useEffect(() => {
    if (!action) return;
    form.resetFields();
    setFiles([]);
    setProblem(null);
    if (action.action === 'convene') form.setFieldsValue({ heldAt: dayjs() });
    if (action.action === 'merge' && detail.duplicates[0]) form.setFieldsValue({ mergeInto: detail.duplicates[0].id });
    if (action.action === 'extend') form.setFieldsValue({ days: 2 });
  }, [action, form, detail.duplicates]);

  const submit = async () => {
    if (!action || !spec) return;
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    if (stillUploading(files)) {
      message.warning('照片还在上传，请稍候');
      return;
    }
    const input: ActionInput = { action: action.action };
    const note = values.note?.trim();
    if (note) input.note = note;
    if (fields.has('photos')) {
      const ids = uploadedIds(files);
      if (ids.length) input.photos = ids;
    }
    if (fields.has('days')) input.days = values.days;
    if (fields.has('mergeInto')) input.mergeInto = values.mergeInto;
    if (fields.has('assignTo')) input.targetOrg = values.assignTo;
    if (fields.has('departments')) input.targetOrg = values.departments;
    if (fields.has('convene')) {
      input.participants = values.participants?.map((p) => p.trim()).filter(Boolean);
      input.heldAt = values.heldAt?.toISOString();
      input.conclusion = values.conclusion?.trim();
    }
    if (fields.has('satisfaction')) input.satisfaction = values.satisfaction;
    setSaving(true);
    try {
      const next = await casesApi.act(detail.case.id, input);
      message.success(`${action.name}：已完成`);
      onDone(next);
    } catch (e) {
      if (e instanceof ApiError && (e.code === 'INVALID_TRANSITION' || e.status === 409)) {
        message.warning(`${e.message.replace(`：${action.action}`, `：${action.name}`)}（案件已刷新为最新状态）`);
        onStale();
        onClose();
      } else if (e instanceof ApiError && e.field) {
        setProblem(e.message);
      } else {
        setProblem(errorMessage(e));
      }
    } finally {
      setSaving(false);
    }
  };

  const noteRequired = spec?.noteRequired || (action?.action === 'rate' && satisfaction === 'unsatisfied');
  return (
    <Modal
      open={action !== null}
      title={action ? `${action.name} · ${detail.case.serviceNo}` : ''}
      onCancel={onClose}
      onOk={submit}
      okText={action?.name ?? '确定'}
      okButtonProps={{ danger: spec?.danger, loading: saving, ...({ 'data-testid': 'case-action-ok' } as Record<`data-${string}`, string>) }}
      width={fields.has('convene') || fields.has('photos') ? 640 : 520}
      destroyOnHidden
      data-testid="case-action-modal"
    >
      {spec?.hint && <Typography.Paragraph type="secondary">{spec.hint}</Typography.Paragraph>}
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark="optional">
        {fields.has('mergeInto') && (
          <Form.Item name="mergeInto" label="合并到（保留的案件）" rules={[{ required: true, message: '请选择要保留的案件' }]}>
            {detail.duplicates.length === 0 ? (
              <Alert type="info" showIcon title="附近没有同类在办案件可合并" />
            ) : (
              <Radio.Group data-testid="merge-choices">
                <Space orientation="vertical">
                  {detail.duplicates.map((d) => (
                    <Radio key={d.id} value={d.id}>
                      {d.serviceNo}
                      <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                        相距 {Math.round(d.distanceM)} 米 · {beijingTime(d.reportedAt, 'MM-DD HH:mm')} 上报
                      </Typography.Text>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            )}
          </Form.Item>
        )}
        {fields.has('assignTo') && (
          <Form.Item name="assignTo" label="交办给" rules={[{ required: true, message: '请选择下级网格/社区、职能部门或小区物业' }]}
            extra={`当前承办：${detail.case.handlerName}（${TIER_LABEL[detail.case.handlerTier] ?? detail.case.handlerTier}）`}>
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="选择下级、职能部门或小区物业"
              data-testid="assign-target"
              options={[
                ...(seats.length ? [{ label: '下级', title: '下级', options: seats }] : []),
                ...(departments.length ? [{ label: '职能部门', title: '职能部门', options: departments.map((d) => ({ value: d.code, label: d.name })) }] : []),
                ...(properties.length ? [{ label: '小区物业', title: '小区物业', options: properties.map((k) => ({ value: k.code, label: `${k.company ?? '物业'}（${k.name}）` })) }] : []),
              ]}
            />
          </Form.Item>
        )}
        {fields.has('departments') && (
          <Form.Item name="departments" label={action?.action === 'whistle' ? '吹哨部门（可多选）' : '抄告部门（可多选）'}
            rules={[{ required: true, message: '请至少选择一个部门' }]}>
            <Select mode="multiple" placeholder="选择职能部门" data-testid="department-select" optionFilterProp="label"
              options={departments.map((d) => ({ value: d.code, label: d.name, title: d.duty }))} />
          </Form.Item>
        )}
        {fields.has('days') && (
          <Form.Item name="days" label="延期天数（工作日）" rules={[{ required: true, message: '请填写延期天数' }]}>
            <InputNumber min={1} max={30} precision={0} suffix="个工作日" style={{ width: 200 }} />
          </Form.Item>
        )}
        {fields.has('convene') && (
          <>
            <Form.Item name="participants" label="参加人（姓名或单位，回车添加）" rules={[{ required: true, message: '请填写参加人' }]}>
              <Select mode="tags" tokenSeparators={['，', ',', '、']} placeholder="如：网格长 张三、物业 李四、业委会 王五" open={false} data-testid="convene-participants" />
            </Form.Item>
            <Form.Item name="heldAt" label="会商时间" rules={[{ required: true, message: '请选择会商时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={(d) => d.isAfter(dayjs().endOf('day'))} />
            </Form.Item>
            <Form.Item name="conclusion" label="会商结论" rules={[{ required: true, whitespace: true, min: 2, message: '请填写会商结论（至少 2 个字）' }]}>
              <Input.TextArea rows={3} maxLength={2000} showCount />
            </Form.Item>
          </>
        )}
        {fields.has('satisfaction') && (
          <Form.Item name="satisfaction" label="满意度" rules={[{ required: true, message: '请选择满意度' }]}>
            <Radio.Group optionType="button" buttonStyle="solid"
              options={Object.entries(SATISFACTION_LABEL).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        )}
        {fields.has('note') && (
          <Form.Item name="note" label={spec?.noteLabel ?? '说明'}
            rules={noteRequired ? [{ required: true, whitespace: true, message: `请填写${(spec?.noteLabel ?? '说明').replace(/（.*）/, '')}` }] : []}>
            <Input.TextArea rows={3} maxLength={2000} showCount data-testid="case-action-note" />
          </Form.Item>
        )}
        {fields.has('photos') && (
          <Form.Item label="现场照片（选填，最多 9 张）">
            <PhotoUpload files={files} onChange={setFiles} onProblem={setProblem} testId="case-action-photos" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
