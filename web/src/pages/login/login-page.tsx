// 登录: username + password, then the 6-digit code when the account has two-step verification (or a recovery code);
// the server's message (用户名或密码错误 / 账号已锁定 / 尝试过于频繁 …) is shown as is.
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { LockOutlined, SafetyCertificateOutlined, UserOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { loadConfig } from '../../config';
import { isPhone, landing } from '../../home';
import type { CurrentUser } from '../../types';

interface LoginForm {
  username: string;
  password: string;
}

export default function LoginPage() {
  const { user, loading, setUser } = useAuth();
  const [params] = useSearchParams();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [demoMode, setDemoMode] = useState(false);
  // after a right password for an account with two-step verification: the credentials wait for the code
  const [pending, setPending] = useState<LoginForm | null>(null);
  const [useRecovery, setUseRecovery] = useState(false);

  useEffect(() => {
    void loadConfig().then((config) => setDemoMode(config.demoMode));
  }, []);

  // After login (or when already signed in) this one redirect decides where to go.
  if (!loading && user) {
    return <Navigate to={user.mustChangePassword ? '/account/password' : landing(user, params.get('next'), isPhone())} replace />;
  }

  const submit = async (values: LoginForm & { totp?: string }) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await api.post<{ token: string; user: CurrentUser } | { totpRequired: true }>('/auth/login', values, { noAuthRedirect: true });
      if ('totpRequired' in result) setPending({ username: values.username, password: values.password });
      else setUser(result.user);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
  };
  const onFinish = (values: LoginForm) => void submit(values);
  const onCode = ({ totp }: { totp: string }) => {
    if (pending) void submit({ ...pending, totp: totp.trim() });
  };
  const back = () => {
    setPending(null);
    setUseRecovery(false);
    setError(null);
  };

  return (
    <div className="linli-login-page">
      <div className="linli-login-title">
        <h1>邻里</h1>
        <p>党建引领基层治理平台</p>
      </div>
      <Card style={{ width: 380, boxShadow: '0 8px 24px rgba(0,0,0,0.12)' }} title="用户登录">
        {error && (
          <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />
        )}
        {pending ? (
          <Form<{ totp: string }> key={useRecovery ? 'recovery' : 'code'} layout="vertical" onFinish={onCode} requiredMark={false} data-testid="totp-form">
            <Typography.Paragraph>
              <SafetyCertificateOutlined /> 账号 <b>{pending.username}</b> 已开启两步验证。
              {useRecovery ? '请输入一个未用过的恢复码（形如 abcd-efgh-jkmn）。' : '请打开手机上的验证器，输入显示的 6 位数字。'}
            </Typography.Paragraph>
            {useRecovery ? (
              <Form.Item name="totp" label="恢复码" rules={[{ required: true, message: '请输入恢复码' }]}>
                <Input size="large" autoComplete="off" autoFocus placeholder="xxxx-xxxx-xxxx" data-testid="login-recovery" />
              </Form.Item>
            ) : (
              <Form.Item name="totp" label="动态验证码" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
                <Input
                  size="large"
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  autoFocus
                  placeholder="6 位数字"
                  style={{ letterSpacing: 4 }}
                  data-testid="login-totp"
                />
              </Form.Item>
            )}
            <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-totp-submit">
              验 证
            </Button>
            <Space style={{ marginTop: 12, width: '100%', justifyContent: 'space-between' }}>
              <Button type="link" style={{ padding: 0 }} onClick={() => setUseRecovery(!useRecovery)} data-testid="login-use-recovery">
                {useRecovery ? '使用动态验证码' : '手机不在身边？使用恢复码'}
              </Button>
              <Button type="link" style={{ padding: 0 }} onClick={back}>
                返回
              </Button>
            </Space>
          </Form>
        ) : (
          <Form<LoginForm> layout="vertical" onFinish={onFinish} requiredMark={false} data-testid="login-form">
            <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input
                prefix={<UserOutlined />}
                placeholder="请输入用户名"
                autoComplete="username"
                size="large"
                data-testid="login-username"
              />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password
                prefix={<LockOutlined />}
                placeholder="请输入密码"
                autoComplete="current-password"
                size="large"
                data-testid="login-password"
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block size="large" loading={submitting} data-testid="login-submit">
              登 录
            </Button>
          </Form>
        )}
        {demoMode && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            演示环境：admin / street.330108001 / community.330108001001，初始密码 Linli@2026
          </Typography.Paragraph>
        )}
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        连续 5 次密码或验证码错误将锁定账号 10 分钟 · 30 分钟无操作自动退出（管理类账号 15 分钟）
      </Typography.Text>
    </div>
  );
}
