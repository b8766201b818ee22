// 登录: username + password; the server's message (用户名或密码错误 / 账号已锁定 …) is shown as is.
import { useEffect, useState } from 'react';
import { Navigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { loadConfig } from '../../config';
import type { CurrentUser } from '../../types';

interface LoginForm {
  username: string;
  password: string;
}

/**
 * Members and residents live on the H5 (/m); grid workers land there on a phone-sized screen.
 * A page that was asked for wins.
 */
function landing(user: CurrentUser, next: string | null): string {
  if (next) return safeNext(next);
  const mobileFirst = user.roles.length > 0 && user.roles.every((r) => r === 'party_member' || r === 'resident');
  if (mobileFirst) return '/m';
  const phone = typeof window !== 'undefined' && window.innerWidth <= 768;
  if (phone && user.roles.includes('grid_worker')) return '/m';
  return '/';
}

/** Only same-site paths are followed after login. */
function safeNext(next: string | null): string {
  if (next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login')) return next;
  return '/';
}

export default function LoginPage() {
  const { user, loading, setUser } = useAuth();
  const [params] = useSearchParams();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [demoMode, setDemoMode] = useState(false);

  useEffect(() => {
    void loadConfig().then((config) => setDemoMode(config.demoMode));
  }, []);

  // After login (or when already signed in) this one redirect decides where to go.
  if (!loading && user) {
    return <Navigate to={user.mustChangePassword ? '/account/password' : landing(user, params.get('next'))} replace />;
  }

  const onFinish = async (values: LoginForm) => {
    setSubmitting(true);
    setError(null);
    try {
      const result = await api.post<{ token: string; user: CurrentUser }>('/auth/login', values, { noAuthRedirect: true });
      setUser(result.user);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSubmitting(false);
    }
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
        {demoMode && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
            演示环境：admin / street.330108001 / community.330108001001，初始密码 Linli@2026
          </Typography.Paragraph>
        )}
      </Card>
      <Typography.Text type="secondary" style={{ marginTop: 24, fontSize: 12 }}>
        连续 5 次密码错误将锁定账号 10 分钟 · 30 分钟无操作自动退出
      </Typography.Text>
    </div>
  );
}
