// 报回单位: a work unit's party organisation sees where its in-service members registered and what service they gave
// (confirmed hours, services, ratings — from the records), its registration and service rates, and exports a quarter.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import type { CommunityRate } from '../forces/forces-api';
import { REGISTRATION_STATUS_LABEL, percentText, registrationApi, type UnitMember, type UnitMembers } from './registration-api';

/** The last eight quarters, newest first: 2026Q4 … */
function recentQuarters(now = new Date()): string[] {
  const out: string[] = [];
  let y = now.getFullYear();
  let q = Math.floor(now.getMonth() / 3) + 1;
  for (let i = 0; i < 8; i += 1) {
    out.push(`${y}Q${q}`);
    q -= 1;
    if (q === 0) { q = 4; y -= 1; }
  }
  return out;
}

export default function UnitPage() {
  const { message } = App.useApp();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const ownOrg = (user as unknown as { orgCode?: string | null } | null)?.orgCode ?? null;
  const orgCode = params.get('org') ?? ownOrg;
  const quarters = useMemo(() => recentQuarters(), []);
  const [quarter, setQuarter] = useState<string>('year');
  const [data, setData] = useState<UnitMembers | null>(null);
  const [rates, setRates] = useState<(CommunityRate & { from: string; to: string }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [orgOptions, setOrgOptions] = useState<{ value: string; label: string }[]>([]);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    if (!orgCode) return;
    setError(null);
    const period = quarter === 'year' ? {} : { quarter };
    registrationApi.unitMembers(orgCode, period).then((d) => {
      setData(d);
      return registrationApi.unitRates(orgCode, { from: d.from, to: d.to });
    }).then(setRates).catch((e: unknown) => { setData(null); setRates(null); setError(errorMessage(e)); });
  }, [orgCode, quarter]);

  const exportXlsx = async () => {
    if (!orgCode) return;
    setExporting(true);
    try {
      await api.download(`/service/units/${orgCode}/members`, { format: 'xlsx', ...(quarter === 'year' ? {} : { quarter }) }, '报回单位.xlsx');
      message.success('已导出（个人信息已脱敏）');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const searchOrgs = (q: string) =>
    q.trim() && registrationApi.unitOrgs(q).then((r) => setOrgOptions(r.items.map((o) => ({ value: o.code, label: o.name })))).catch(() => setOrgOptions([]));

  return (
    <Card
      title={<Space>报回单位{data && <Typography.Text type="secondary">{data.org.name}</Typography.Text>}</Space>}
      extra={
        <Space>
          {!ownOrg && (
            <Select showSearch filterOption={false} onSearch={searchOrgs} style={{ width: 280 }} placeholder="查找单位党组织" options={orgOptions}
              value={orgCode ?? undefined} onChange={(v: string) => setParams({ org: v })} />
          )}
          <Select style={{ width: 150 }} value={quarter} onChange={setQuarter} data-testid="quarter-select"
            options={[{ value: 'year', label: '本年至今' }, ...quarters.map((q) => ({ value: q, label: `${q.slice(0, 4)} 年第 ${q.slice(5)} 季度` }))]} />
          <Button type="primary" icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} disabled={!orgCode} data-testid="unit-export">
            导出 Excel
          </Button>
        </Space>
      }
    >
      {!orgCode && <Alert type="info" showIcon message="请选择单位党组织" />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      {rates && data && (
        // every figure is the list below summed (the server counts the same members over the same period)
        <Row gutter={16} style={{ marginBottom: 16 }} data-testid="unit-headline">
          <Col span={4}><Statistic title="在职党员" value={data.totals.inService} suffix="人" /></Col>
          <Col span={4}><Statistic title="已报到" value={data.totals.approved} suffix="人" /></Col>
          <Col span={4}><Statistic title="报到率" value={percentText(rates.registrationRate)} /></Col>
          <Col span={4}><Statistic title="期内服务人数" value={data.totals.served} suffix="人" /></Col>
          <Col span={4}><Statistic title="服务率" value={percentText(rates.serviceRate)} /></Col>
          <Col span={4}><Statistic title="服务时长" value={data.totals.hours} suffix="小时" /></Col>
        </Row>
      )}
      {data && (
        <>
          <Typography.Paragraph type="secondary">统计期间：{data.from} 至 {data.to}。在职党员 = 本单位党组织的在职党员及报到时填报本单位的党员（下表每人一行，含未报到）；已报到 = 报到已通过；
            期内服务人数 = 已报到且期内至少一次已确认服务；服务时长、次数与评分均来自期内已确认的服务记录。</Typography.Paragraph>
          <Table<UnitMember>
            rowKey="personId"
            dataSource={data.items}
            size="middle"
            pagination={{ pageSize: 20, showSizeChanger: false }}
            data-testid="unit-members"
            columns={[
              { title: '姓名', dataIndex: 'name', width: 90 },
              { title: '手机号', dataIndex: 'mobile', width: 125 },
              { title: '工作单位', dataIndex: 'workUnit', render: (v: string) => v || '—' },
              { title: '报到社区', dataIndex: 'communityName', width: 120, render: (v: string | null) => v ?? '—' },
              {
                title: '状态', dataIndex: 'status', width: 90,
                render: (v: string) => <Tag color={REGISTRATION_STATUS_LABEL[v]?.color}>{REGISTRATION_STATUS_LABEL[v]?.text ?? v}</Tag>,
              },
              { title: '通过日期', dataIndex: 'approvedAt', width: 110, render: (v: string | null) => (v ? v.slice(0, 10) : '—') },
              { title: '编入支部', dataIndex: 'branchName', render: (v: string | null) => v ?? '—' },
              { title: '服务次数', dataIndex: 'services', width: 90, sorter: (a, b) => a.services - b.services },
              { title: '时长（小时）', dataIndex: 'hours', width: 110, sorter: (a, b) => a.hours - b.hours },
              { title: '平均评分', dataIndex: 'avgRating', width: 90, render: (v: number | null) => v ?? '—' },
            ]}
          />
        </>
      )}
    </Card>
  );
}
