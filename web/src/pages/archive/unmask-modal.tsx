// 查看明文: pick the fields, state a reason (required, audited), see the raw values once.
import { useState } from 'react';
import { Alert, Button, Checkbox, Descriptions, Form, Input, Modal, Typography } from 'antd';
import { EyeOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { UNMASK_FIELD_LABEL } from '../../labels';
import { archiveApi, type UnmaskField, type Unmasked } from './archive-api';

const FIELDS: UnmaskField[] = ['name', 'idNumber', 'mobile', 'address'];

interface FormValues {
  fields: UnmaskField[];
  reason: string;
}

export function UnmaskModal({
  personId,
  maskedName,
  open,
  onClose,
  fields = FIELDS,
}: {
  personId: string | number;
  maskedName: string;
  open: boolean;
  onClose: () => void;
  /** The fields offered (a room-centric view already shows the address). */
  fields?: UnmaskField[];
}) {
  const [form] = Form.useForm<FormValues>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Unmasked | null>(null);

  const close = () => {
    // The raw values are shown once: closing forgets them.
    setResult(null);
    setError(null);
    form.resetFields();
    onClose();
  };

  const submit = async (values: FormValues) => {
    setSubmitting(true);
    setError(null);
    try {
      setResult(await archiveApi.unmask(personId, { reason: values.reason.trim(), fields: values.fields }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Modal
      title={`查看明文 · ${maskedName}`}
      open={open}
      onCancel={close}
      destroyOnHidden
      footer={
        result ? (
          <Button type="primary" onClick={close} data-testid="unmask-close">
            关闭（明文不再显示）
          </Button>
        ) : (
          <>
            <Button onClick={close}>取消</Button>
            <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid="unmask-submit">
              查看明文
            </Button>
          </>
        )
      }
    >
      {result ? (
        <div data-testid="unmask-result">
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title="本次查看已记录：查看人、时间、对象、字段和理由均写入审计日志。请勿截图、转发或留存。"
          />
          <Descriptions
            column={1}
            size="small"
            bordered
            styles={{ label: { width: 110 } }}
            items={FIELDS.filter((field) => field in result).map((field) => ({
              key: field,
              label: UNMASK_FIELD_LABEL[field],
              children: (
                <Typography.Text copyable strong data-testid={`unmask-${field}`}>
                  {result[field] ?? '（无）'}
                </Typography.Text>
              ),
            }))}
          />
        </div>
      ) : (
        <>
          <Typography.Paragraph type="secondary">
            个人信息默认脱敏显示。查看明文须说明理由，每次查看都会记录在审计日志中（查看人、对象、字段、理由），且每小时次数有限。
          </Typography.Paragraph>
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="unmask-error" />}
          <Form<FormValues>
            form={form}
            layout="vertical"
            initialValues={{ fields: fields.filter((f) => f !== 'address').slice(0, 3), reason: '' }}
            onFinish={submit}
            data-testid="unmask-form"
          >
            <Form.Item name="fields" label="查看字段" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个字段' }]}>
              <Checkbox.Group options={fields.map((field) => ({ value: field, label: UNMASK_FIELD_LABEL[field] }))} />
            </Form.Item>
            <Form.Item
              name="reason"
              label="理由"
              rules={[
                { required: true, whitespace: true, message: '请填写查看理由' },
                { min: 5, message: '理由至少 5 个字' },
                { max: 200, message: '理由不超过 200 个字' },
              ]}
            >
              <Input.TextArea
                rows={3}
                maxLength={200}
                showCount
                placeholder="如：上门走访需联系本人核实困难补助材料"
                data-testid="unmask-reason"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}

/** A 查看明文 link for one person, shown only to holders of people:unmask. */
export function UnmaskButton({
  personId,
  maskedName,
  fields,
  size = 'small',
}: {
  personId: string | number;
  maskedName: string;
  fields?: UnmaskField[];
  size?: 'small' | 'middle';
}) {
  const { can } = useAuth();
  const [open, setOpen] = useState(false);
  if (!can('people:unmask')) return null;
  return (
    <>
      <Button
        type="link"
        size={size}
        icon={<EyeOutlined />}
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
        data-testid="unmask-open"
        style={{ paddingInline: 0 }}
      >
        查看明文
      </Button>
      {open && <UnmaskModal personId={personId} maskedName={maskedName} open={open} onClose={() => setOpen(false)} fields={fields} />}
    </>
  );
}
