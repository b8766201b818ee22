// 修改密码: old + new + confirm; the policy is checked here for quick feedback and again by the server.
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Form, Input } from 'antd';
import { api, ApiError, errorMessage } from '../../api';
import { useAuth } from '../../auth';

interface PasswordForm {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

const POLICY = '至少 8 位，包含大写字母、小写字母、数字、符号中的三类';

/** Mirrors the server's complexity rule (MLPS level 3). */
function passwordPolicyProblem(password: string): string | null {
  if (password.length < 8) return '密码至少 8 位';
  const classes = [/[A-Z]/, /[a-z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return '须包含大写字母、小写字母、数字、符号中的至少三类';
  return null;
}

export default function PasswordPage() {
  const { user, refresh } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFinish = async (values: PasswordForm) => {
    setSubmitting(true);
    setError(null);
    try {
      await api.post('/auth/password', { oldPassword: values.oldPassword, newPassword: values.newPassword });
      message.success('密码已修改');
      form.resetFields();
      const me = await refresh();
      if (me) navigate('/', { replace: true });
      else navigate('/login', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.field && ['oldPassword', 'newPassword'].includes(e.field)) {
        form.setFields([{ name: e.field as keyof PasswordForm, errors: [e.message] }]);
      } else {
        setError(errorMessage(e));
      }
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Card title="修改密码" style={{ maxWidth: 560 }}>
      {user?.mustChangePassword && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="首次登录或密码已被重置，请先修改密码后再使用系统。"
        />
      )}
      <Alert type="info" showIcon style={{ marginBottom: 24 }} title={`密码要求：${POLICY}。`} />
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
      <Form<PasswordForm> form={form} layout="vertical" onFinish={onFinish} data-testid="password-form">
        <Form.Item name="oldPassword" label="旧密码" rules={[{ required: true, message: '请输入旧密码' }]}>
          <Input.Password autoComplete="current-password" data-testid="password-old" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra={POLICY}
          rules={[
            { required: true, message: '请输入新密码' },
            {
              validator: (_rule, value: string | undefined) => {
                const problem = value ? passwordPolicyProblem(value) : null;
                return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-new" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) =>
                !value || value === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入的新密码不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" data-testid="password-confirm" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submitting} data-testid="password-submit">
          确认修改
        </Button>
      </Form>
    </Card>
  );
}
