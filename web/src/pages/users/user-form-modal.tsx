// 新建用户 / 编辑用户: roles, data scope (全部/本级及下级/仅本级/自定义/仅本人) and its territory nodes.
import { useEffect, useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { ApiError, errorMessage } from '../../api';
import { TerritoryPicker } from '../../components/territory-picker';
import { SCOPE_KIND_LABEL } from '../../labels';
import type { Role, ScopeKind, UserRow } from '../../types';
import { usersApi, type UserInput } from './users-api';

const SCOPE_KINDS: ScopeKind[] = ['all', 'subtree', 'node', 'custom', 'self'];
const NEEDS_CODES = new Set<ScopeKind>(['subtree', 'node', 'custom']);
const FORM_FIELDS = ['username', 'displayName', 'roles', 'scopeKind', 'scopeCodes', 'mobile'];

interface FormValues {
  username: string;
  displayName: string;
  roles: string[];
  scopeKind: ScopeKind;
  scopeCodes: string[];
  mobile?: string;
}

export function UserFormModal({
  open,
  user,
  roles,
  onClose,
  onCreated,
  onSaved,
}: {
  open: boolean;
  /** null = create */
  user: UserRow | null;
  roles: Role[];
  onClose: () => void;
  onCreated: (user: UserRow, initialPassword: string) => void;
  onSaved: (user: UserRow) => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const scopeKind = Form.useWatch('scopeKind', form);

  useEffect(() => {
    if (!open) return;
    setError(null);
    form.resetFields();
    if (user) {
      form.setFieldsValue({
        username: user.username,
        displayName: user.displayName,
        roles: user.roles,
        scopeKind: user.scope.kind,
        scopeCodes: user.scope.codes,
      });
    } else {
      form.setFieldsValue({ roles: [], scopeKind: 'subtree', scopeCodes: [] });
    }
  }, [open, user, form]);

  // A new user's scope kind follows the first chosen role's default until the operator changes it.
  const onValuesChange = (changed: Partial<FormValues>) => {
    if (user || !changed.roles || form.isFieldTouched('scopeKind')) return;
    const first = roles.find((r) => r.code === changed.roles?.[0]);
    if (first) form.setFieldsValue({ scopeKind: first.defaultScope });
  };

  const onOk = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    const body: UserInput = {
      displayName: values.displayName.trim(),
      roles: values.roles,
      scopeKind: values.scopeKind,
      scopeCodes: NEEDS_CODES.has(values.scopeKind) ? (values.scopeCodes ?? []) : [],
    };
    setSaving(true);
    setError(null);
    try {
      if (user) {
        onSaved(await usersApi.update(user.id, body));
      } else {
        const created = await usersApi.create({
          ...body,
          username: values.username.trim(),
          mobile: values.mobile?.trim() || undefined,
        });
        onCreated(created.user, created.initialPassword);
      }
    } catch (e) {
      if (e instanceof ApiError && e.field && FORM_FIELDS.includes(e.field)) {
        form.setFields([{ name: e.field as keyof FormValues, errors: [e.message] }]);
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      title={user ? `编辑用户 · ${user.username}` : '新建用户'}
      open={open}
      onOk={onOk}
      onCancel={onClose}
      okText="保存"
      confirmLoading={saving}
      width={600}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<FormValues>
        form={form}
        layout="horizontal"
        labelCol={{ span: 5 }}
        wrapperCol={{ span: 18 }}
        onValuesChange={onValuesChange}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label="用户名"
          rules={[
            { required: true, message: '请输入用户名' },
            { pattern: /^[a-z0-9][a-z0-9._-]{2,63}$/, message: '3–64 位小写字母、数字或 . _ -，以字母或数字开头' },
          ]}
        >
          <Input disabled={Boolean(user)} placeholder="如 grid.330108001001001" autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={[{ required: true, whitespace: true, message: '请输入姓名' }]}>
          <Input maxLength={50} />
        </Form.Item>
        {!user && (
          <Form.Item name="mobile" label="手机号" rules={[{ pattern: /^1[3-9]\d{9}$/, message: '请输入 11 位手机号' }]}>
            <Input placeholder="选填" maxLength={11} />
          </Form.Item>
        )}
        <Form.Item name="roles" label="角色" rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个角色' }]}>
          <Select
            mode="multiple"
            placeholder="选择角色"
            options={roles.map((role) => ({ value: role.code, label: role.name }))}
            optionFilterProp="label"
          />
        </Form.Item>
        <Form.Item name="scopeKind" label="数据范围" rules={[{ required: true, message: '请选择数据范围' }]}>
          <Select options={SCOPE_KINDS.map((kind) => ({ value: kind, label: SCOPE_KIND_LABEL[kind] }))} />
        </Form.Item>
        {scopeKind && NEEDS_CODES.has(scopeKind) && (
          <Form.Item
            name="scopeCodes"
            label="范围节点"
            extra={
              scopeKind === 'subtree'
                ? '可见所选节点及其全部下级'
                : scopeKind === 'node'
                  ? '仅可见所选节点本身'
                  : '可见所选的多个节点及其下级'
            }
            rules={[{ required: true, type: 'array', min: 1, message: '请选择至少一个区划节点' }]}
          >
            <TerritoryPicker />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
