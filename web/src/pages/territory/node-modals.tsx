// 新增下级 / 编辑 dialogs for a territory node; server validation messages land on the named field.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { ApiError, errorMessage } from '../../api';
import { TERRITORY_CHILD_KINDS, TERRITORY_KIND_LABEL } from '../../labels';
import type { TerritoryNodeDetail } from '../../types';
import { territoryApi } from './territory-api';

const NO_KINDS: string[] = [];

interface CreateValues {
  kind: string;
  name: string;
  code?: string;
}

function applyServerError(error: unknown, fields: string[], setFields: (f: { name: string; errors: string[] }[]) => void): string | null {
  if (error instanceof ApiError && error.field && fields.includes(error.field)) {
    setFields([{ name: error.field, errors: [error.message] }]);
    return null;
  }
  return errorMessage(error);
}

export function CreateChildModal({
  parent,
  open,
  onClose,
  onCreated,
}: {
  parent: TerritoryNodeDetail;
  open: boolean;
  onClose: () => void;
  onCreated: (code: string) => void;
}) {
  const [form] = Form.useForm<CreateValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const kinds = TERRITORY_CHILD_KINDS[parent.kind] ?? NO_KINDS;

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue({ kind: kinds[0] });
      setError(null);
    }
  }, [open, form, kinds]);

  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      const created = await territoryApi.create({
        parentCode: parent.code,
        kind: values.kind,
        name: values.name.trim(),
        code: values.code?.trim() || undefined,
      });
      onCreated(created.code);
    } catch (e) {
      setError(applyServerError(e, ['kind', 'name', 'code'], (f) => form.setFields(f as never)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={`新增下级 · ${parent.name}`}
      open={open}
      onOk={onOk}
      onCancel={onClose}
      confirmLoading={saving}
      okText="保存"
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      {kinds.length === 0 ? (
        <Alert type="warning" showIcon title={`${TERRITORY_KIND_LABEL[parent.kind] ?? parent.kind}下不能再新增下级`} />
      ) : (
        <Form form={form} layout="vertical" data-testid="create-node-form">
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Select options={kinds.map((kind) => ({ value: kind, label: TERRITORY_KIND_LABEL[kind] ?? kind }))} />
          </Form.Item>
          <Form.Item
            name="name"
            label="名称"
            rules={[
              { required: true, whitespace: true, message: '请输入名称' },
              { max: 100, message: '名称不超过 100 个字' },
            ]}
          >
            <Input placeholder="如：第一网格" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="code"
            label="编码"
            extra="可不填，系统按上级编码自动顺序编号"
            rules={[{ pattern: /^[0-9A-Z]{6,40}$/, message: '编码为 6–40 位数字或大写字母' }]}
          >
            <Input placeholder={`${parent.code}…`} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export function EditNodeModal({
  node,
  open,
  onClose,
  onSaved,
}: {
  node: TerritoryNodeDetail;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<{ name: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) {
      form.setFieldsValue({ name: node.name });
      setError(null);
    }
  }, [open, form, node.name]);

  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setSaving(true);
    setError(null);
    try {
      await territoryApi.update(node.code, { name: values.name.trim() });
      onSaved();
    } catch (e) {
      setError(applyServerError(e, ['name'], (f) => form.setFields(f as never)));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal title={`编辑 · ${node.code}`} open={open} onOk={onOk} onCancel={onClose} confirmLoading={saving} okText="保存" destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" data-testid="edit-node-form">
        <Form.Item
          name="name"
          label="名称"
          rules={[
            { required: true, whitespace: true, message: '请输入名称' },
            { max: 100, message: '名称不超过 100 个字' },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
