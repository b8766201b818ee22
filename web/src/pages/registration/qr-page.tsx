// 报到二维码 / 海报: the community's registration QR code (PNG/SVG download) on a printable poster with the three
// steps 扫码 → 填写 → 社区审核. Printing prints the poster alone.
import { useState } from 'react';
import { Button, Card, Space, Steps, Typography } from 'antd';
import { DownloadOutlined, PrinterOutlined } from '@ant-design/icons';
import { CommunitySelect } from '../forces/community-select';
import { registrationApi } from './registration-api';

const printCss = `
@media print {
  body * { visibility: hidden !important; }
  .linli-poster, .linli-poster * { visibility: visible !important; }
  .linli-poster { position: fixed; left: 0; top: 0; width: 100%; box-shadow: none !important; border: none !important; }
}`;

export default function RegistrationQrPage() {
  const [community, setCommunity] = useState<{ code: string; name: string } | null>(null);
  return (
    <Card
      title="报到二维码 · 海报"
      extra={
        <Space>
          <CommunitySelect value={community?.code ?? null} onChange={(code, name) => setCommunity({ code, name })} />
          <Button icon={<DownloadOutlined />} disabled={!community} href={community ? registrationApi.qrUrl(community.code, 'png') : undefined}
            download={community ? `${community.name}报到二维码.png` : undefined}>PNG</Button>
          <Button icon={<DownloadOutlined />} disabled={!community} href={community ? registrationApi.qrUrl(community.code, 'svg') : undefined}
            download={community ? `${community.name}报到二维码.svg` : undefined}>SVG</Button>
          <Button type="primary" icon={<PrinterOutlined />} disabled={!community} onClick={() => window.print()}>打印海报</Button>
        </Space>
      }
    >
      <style>{printCss}</style>
      {community && (
        <div
          className="linli-poster"
          data-testid="poster"
          style={{
            width: 520, margin: '0 auto', padding: '36px 40px', textAlign: 'center', background: 'linear-gradient(180deg, #c8161d 0, #c8161d 150px, #fff 150px)',
            border: '1px solid #eee', borderRadius: 8, boxShadow: '0 2px 12px rgba(0,0,0,0.08)',
          }}
        >
          <Typography.Title level={2} style={{ color: '#fff', margin: 0, letterSpacing: 4 }}>在职党员“码上报到”</Typography.Title>
          <Typography.Title level={4} style={{ color: '#ffe58f', marginTop: 8 }}>{community.name}</Typography.Title>
          <div style={{ background: '#fff', display: 'inline-block', padding: 12, marginTop: 24, borderRadius: 8, boxShadow: '0 1px 6px rgba(0,0,0,0.12)' }}>
            <img src={registrationApi.qrUrl(community.code, 'svg')} alt={`${community.name}报到二维码`} width={260} height={260} data-testid="qr-image" />
          </div>
          <Typography.Paragraph style={{ marginTop: 16, fontSize: 16 }}>微信或手机浏览器扫一扫，到居住社区报到</Typography.Paragraph>
          <Steps
            style={{ marginTop: 24, textAlign: 'left' }}
            size="small"
            current={-1}
            items={[
              { title: '扫码', description: '用手机扫描上方二维码' },
              { title: '填写', description: '住址、单位党组织；没有账号的用手机号注册' },
              { title: '社区审核', description: '编入功能型党支部和微网格' },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 24, marginBottom: 0 }}>
            双报到 · 通通在　报到信息将报回您所在单位党组织
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}
