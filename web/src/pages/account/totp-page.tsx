// 两步验证: set up TOTP with an authenticator app (QR code or the key typed in), confirm with a code, then keep the
// one-time recovery codes. Privileged accounts are sent here until it is on (outside demo mode).
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Checkbox, Form, Input, Result, Space, Steps, Typography } from 'antd';
import { CopyOutlined, DownloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { api, ApiError, errorMessage } from '../../api';
import { useAuth } from '../../auth';

interface Enrolment {
  otpauthUri: string;
  secret: string;
  qrCode: string;
}

const APPS = '微信小程序“腾讯身份验证器”、Microsoft Authenticator、Google Authenticator 等任一验证器';

/** The key in groups of four, easier to type by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export default function TotpPage() {
  const { user, refresh } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [form] = Form.useForm<{ code: string }>();

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await api.post<Enrolment>('/auth/totp/enroll'));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.post<{ recoveryCodes: string[] }>('/auth/totp/confirm', { code: code.trim() });
      setRecoveryCodes(result.recoveryCodes);
      setEnrolment(null);
    } catch (e) {
      if (e instanceof ApiError && e.field === 'code') form.setFields([{ name: 'code', errors: [e.message] }]);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const codesText = () =>
    `邻里 两步验证恢复码（账号 ${user?.username ?? ''}）\n每个恢复码只能使用一次，手机丢失时可代替动态验证码登录。\n\n${(recoveryCodes ?? []).join('\n')}\n`;

  const copyCodes = async () => {
    try {
      await navigator.clipboard.writeText(codesText());
      message.success('恢复码已复制');
    } catch {
      message.warning('浏览器不允许复制，请下载或手工抄写');
    }
  };

  const downloadCodes = () => {
    const url = URL.createObjectURL(new Blob([codesText()], { type: 'text/plain;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `邻里恢复码-${user?.username ?? ''}.txt`;
    link.click();
    URL.revokeObjectURL(url);
  };

  const finish = async () => {
    await refresh();
    message.success('两步验证已开启，下次登录时需输入动态验证码');
    navigate('/', { replace: true });
  };

  if (recoveryCodes) {
    return (
      <Card title="两步验证 · 保存恢复码" style={{ maxWidth: 640 }}>
        <Steps size="small" current={2} style={{ marginBottom: 24 }} items={[{ title: '扫码' }, { title: '验证' }, { title: '保存恢复码' }]} />
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="恢复码只显示这一次"
          description="手机丢失或换机时，可用一个恢复码代替动态验证码登录，每个只能用一次。请复制或下载后妥善保存（不要和手机放在一起）。"
        />
        <div className="linli-recovery-codes" data-testid="totp-recovery-codes">
          {recoveryCodes.map((code) => (
            <Typography.Text code key={code} style={{ fontSize: 16 }}>
              {code}
            </Typography.Text>
          ))}
        </div>
        <Space style={{ margin: '16px 0' }}>
          <Button icon={<CopyOutlined />} onClick={() => void copyCodes()} data-testid="totp-copy">
            复制
          </Button>
          <Button icon={<DownloadOutlined />} onClick={downloadCodes} data-testid="totp-download">
            下载为文本文件
          </Button>
        </Space>
        <div>
          <Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="totp-saved">
            我已保存好恢复码
          </Checkbox>
        </div>
        <Button type="primary" disabled={!saved} onClick={() => void finish()} style={{ marginTop: 16 }} data-testid="totp-finish">
          完成
        </Button>
      </Card>
    );
  }

  if (user?.totpEnabled) {
    return (
      <Card title="两步验证" style={{ maxWidth: 640 }}>
        <Result
          status="success"
          icon={<SafetyCertificateOutlined />}
          title="两步验证已开启"
          subTitle="每次登录时，输入密码后还需输入验证器上的 6 位动态验证码。手机丢失或更换时，可用恢复码登录，或请管理员在“用户管理”中重置两步验证后重新设置。"
        />
      </Card>
    );
  }

  return (
    <Card title="两步验证" style={{ maxWidth: 640 }}>
      {user?.totpEnrollmentRequired && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="您的账号可以查看居民完整信息或管理用户，须先开启两步验证才能继续使用系统。"
        />
      )}
      {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} title={error} />}
      <Steps size="small" current={enrolment ? 1 : 0} style={{ marginBottom: 24 }} items={[{ title: '扫码' }, { title: '验证' }, { title: '保存恢复码' }]} />
      {!enrolment ? (
        <>
          <Typography.Paragraph>
            开启后，登录时除了密码，还要输入手机验证器上每 30 秒变化一次的 6 位数字，别人即使知道密码也无法登录。
          </Typography.Paragraph>
          <Typography.Paragraph>请先在手机上准备好{APPS}，然后点击下面的按钮。</Typography.Paragraph>
          <Button type="primary" size="large" loading={busy} onClick={() => void start()} data-testid="totp-start">
            开始设置
          </Button>
        </>
      ) : (
        <>
          <Typography.Paragraph>1. 用验证器扫描下面的二维码：</Typography.Paragraph>
          <img src={enrolment.qrCode} alt="两步验证二维码" width={200} height={200} data-testid="totp-qr" style={{ display: 'block', marginBottom: 12 }} />
          <Typography.Paragraph type="secondary">
            无法扫码时，在验证器中选择“手动输入”，账号填 {user?.username}，密钥填：
            <br />
            <Typography.Text code copyable={{ text: enrolment.secret }} data-testid="totp-secret" style={{ fontSize: 15 }}>
              {grouped(enrolment.secret)}
            </Typography.Text>
          </Typography.Paragraph>
          <Typography.Paragraph>2. 输入验证器上显示的 6 位数字：</Typography.Paragraph>
          <Form form={form} layout="inline" onFinish={(values) => void confirm(values)}>
            <Form.Item name="code" rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入 6 位数字' }]}>
              <Input
                size="large"
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                placeholder="6 位数字"
                style={{ width: 160, letterSpacing: 4 }}
                autoFocus
                data-testid="totp-code"
              />
            </Form.Item>
            <Button type="primary" size="large" htmlType="submit" loading={busy} data-testid="totp-confirm">
              验证并开启
            </Button>
          </Form>
        </>
      )}
    </Card>
  );
}
