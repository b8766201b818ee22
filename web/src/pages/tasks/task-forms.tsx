// Forms of the tasks page: one task, and an emergency call carrying several tasks. Times are picked as a range.
import { useEffect, useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { TerritoryPicker } from '../../components/territory-picker';
import { PlacePicker, type Place } from './place-picker';
import { callsApi, TASK_SIZE_LABEL, tasksApi, type Call, type Skill, type Task, type TaskInput } from './tasks-api';

interface TaskFields {
  title: string;
  description?: string;
  size?: string;
  capacity: number;
  range: [Dayjs, Dayjs];
  skills?: string[];
  hourCap?: number;
  place?: Place | null;
}

function toInput(f: TaskFields): TaskInput {
  return {
    title: f.title,
    description: f.description || undefined,
    size: f.size,
    capacity: f.capacity,
    startsAt: f.range[0].toISOString(),
    endsAt: f.range[1].toISOString(),
    skills: f.skills?.length ? f.skills : undefined,
    hourCap: f.hourCap ?? undefined,
    location: f.place ? { type: 'Point', coordinates: [f.place.lng, f.place.lat] } : undefined,
  };
}

function useSkills(): Skill[] {
  const [skills, setSkills] = useState<Skill[]>([]);
  useEffect(() => {
    tasksApi.skills().then((r) => setSkills(r.items)).catch(() => setSkills([]));
  }, []);
  return skills;
}

/** Maps a field error of the server (`tasks.0.endsAt`, `endsAt`) onto the form. */
function showFieldError(form: { setFields: (fields: { name: (string | number)[]; errors: string[] }[]) => void }, error: unknown, prefix: (string | number)[] = []): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const parts = error.field.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const last = parts[parts.length - 1];
  const field = last === 'endsAt' || last === 'startsAt' ? 'range' : last === 'location' ? 'place' : last;
  const name = [...prefix, ...parts.slice(0, -1), field] as (string | number)[];
  try {
    form.setFields([{ name, errors: [error.message] }]);
    return true;
  } catch {
    return false;
  }
}

function TaskFieldset({ name, skills, scopeCode }: { name?: number; skills: Skill[]; scopeCode?: string }) {
  const at = (field: string) => (name === undefined ? field : [name, field]);
  return (
    <>
      <Form.Item name={at('title')} label="任务名称" rules={[{ required: true, min: 2, max: 100, message: '请填写 2–100 字的任务名称' }]}>
        <Input placeholder="如：西兴路沙袋搬运" data-testid="task-title" />
      </Form.Item>
      <Space wrap align="start">
        <Form.Item name={at('capacity')} label="名额" rules={[{ required: true, message: '请填写名额' }]}>
          <InputNumber min={1} max={100000} precision={0} data-testid="task-capacity" />
        </Form.Item>
        <Form.Item name={at('hourCap')} label="时长上限（小时）">
          <InputNumber min={0.5} max={24} step={0.5} placeholder="4" />
        </Form.Item>
        <Form.Item name={at('range')} label="时间" rules={[{ required: true, message: '请选择开始与结束时间' }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" data-testid="task-range" />
        </Form.Item>
      </Space>
      <Form.Item name={at('skills')} label="所需技能">
        <Select mode="multiple" allowClear placeholder="不限" options={skills.map((s) => ({ value: s.code, label: s.name }))} />
      </Form.Item>
      <Form.Item name={at('place')} label="地点（离家 3 公里内的党员也能看到并认领）">
        <PlacePicker scopeCode={scopeCode} />
      </Form.Item>
    </>
  );
}

const defaultRange = (): [Dayjs, Dayjs] => [dayjs().add(1, 'hour').startOf('hour'), dayjs().add(4, 'hour').startOf('hour')];

export function CreateTaskModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (task: Task) => void }) {
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<TaskFields & { scope: string[]; emergency?: boolean }>();
  const [saving, setSaving] = useState(false);
  const skills = useSkills();

  const scope = Form.useWatch('scope', form);

  const submit = async () => {
    // a form with missing fields shows its errors in place; nothing is sent
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const task = await tasksApi.create({ ...toInput(values), size: values.size ?? 'micro', scopeCode: values.scope[0]!, emergency: values.emergency });
      message.success('任务已发布');
      form.resetFields();
      onCreated(task);
    } catch (e) {
      if (!showFieldError(form as never, e)) message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title="发布任务" onCancel={onClose} onOk={submit} confirmLoading={saving} okText="发布" width={680} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ size: 'micro', capacity: 10, range: defaultRange(), scope: user?.scope.codes.slice(0, 1) ?? [] }}>
        <Space wrap align="start">
          <Form.Item name="scope" label="发布范围" rules={[{ required: true, message: '请选择发布范围' }]} style={{ minWidth: 320 }}>
            <TerritoryPicker multiple={false} />
          </Form.Item>
          <Form.Item name="size" label="类型">
            <Select style={{ width: 120 }} options={Object.entries(TASK_SIZE_LABEL).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        </Space>
        <TaskFieldset skills={skills} scopeCode={scope?.[0]} />
        <Form.Item name="description" label="说明">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function CreateCallModal({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (call: Call) => void }) {
  const { user } = useAuth();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ title: string; message: string; scope: string[]; tasks: TaskFields[] }>();
  const [saving, setSaving] = useState(false);
  const skills = useSkills();

  const scope = Form.useWatch('scope', form);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    try {
      const call = await callsApi.create({ title: values.title, message: values.message ?? '', scopeCode: values.scope[0]!, tasks: values.tasks.map(toInput) });
      message.success(`召集令已发出：${call.tasks.length} 项任务，共 ${call.counters.capacity} 个名额`);
      form.resetFields();
      onCreated(call);
    } catch (e) {
      if (!showFieldError(form as never, e)) message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={open} title="发出召集令（应急式报到）" onCancel={onClose} onOk={submit} confirmLoading={saving} okText="发出召集" width={760} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ scope: user?.scope.codes.slice(0, 1) ?? [], tasks: [{ capacity: 20, range: defaultRange() }] }}
      >
        <Form.Item name="title" label="召集令标题" rules={[{ required: true, min: 2, max: 100, message: '请填写 2–100 字的标题' }]}>
          <Input placeholder="如：防汛应急召集" data-testid="call-title" />
        </Form.Item>
        <Form.Item name="message" label="召集内容">
          <Input.TextArea rows={2} maxLength={2000} placeholder="范围内所有报到党员将实时收到" />
        </Form.Item>
        <Form.Item name="scope" label="召集范围" rules={[{ required: true, message: '请选择召集范围' }]}>
          <TerritoryPicker multiple={false} />
        </Form.Item>
        <Form.List name="tasks">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Card
                  key={field.key}
                  size="small"
                  title={`任务 ${index + 1}`}
                  style={{ marginBottom: 12 }}
                  extra={fields.length > 1 ? <Button type="text" icon={<MinusCircleOutlined />} onClick={() => remove(field.name)}>删除</Button> : null}
                >
                  <TaskFieldset name={field.name} skills={skills} scopeCode={scope?.[0]} />
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add({ capacity: 10, range: defaultRange() })} data-testid="call-add-task">
                再加一项任务
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
