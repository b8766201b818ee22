// 报到率 / 服务率: per community in the caller's scope — in-service members living there, registered, served in the
// period — each figure computed from the records (party members, residences, registrations, confirmed service).
import { useEffect, useState } from 'react';
import { Alert, Card, Col, DatePicker, Progress, Row, Space, Statistic, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorMessage } from '../../api';
import type { CommunityRate } from '../forces/forces-api';
import { percentText, registrationApi } from './registration-api';

export default function RatesPage() {
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().startOf('year'), dayjs()]);
  const [data, setData] = useState<{ from: string; to: string; items: CommunityRate[]; total: CommunityRate } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setError(null);
    registrationApi
      .rates({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') })
      .then(setData)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [range]);

  const bar = (rate: number | null) => (rate === null ? '—' : <Progress percent={Math.round(rate * 10000) / 100} size="small" style={{ width: 140 }} />);
  return (
    <Card
      title="报到率 · 服务率"
      extra={
        <Space>
          <Typography.Text type="secondary">服务统计期间</Typography.Text>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
        </Space>
      }
    >
      {error && <Alert type="error" showIcon message={error} />}
      {data && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={5}><Statistic title="居住在辖区的在职党员" value={data.total.inService} suffix="人" /></Col>
            <Col span={5}><Statistic title="已报到" value={data.total.registered} suffix="人" /></Col>
            <Col span={4}><Statistic title="报到率" value={percentText(data.total.registrationRate)} valueStyle={{ color: '#c8161d' }} /></Col>
            <Col span={5}><Statistic title="期内参与服务" value={data.total.served} suffix="人" /></Col>
            <Col span={5}><Statistic title="服务率" value={percentText(data.total.serviceRate)} valueStyle={{ color: '#c8161d' }} /></Col>
          </Row>
          <Table<CommunityRate>
            rowKey="code"
            dataSource={data.items}
            size="middle"
            pagination={{ pageSize: 30, hideOnSinglePage: true }}
            data-testid="rates-table"
            columns={[
              { title: '社区', dataIndex: 'name' },
              { title: '在职党员', dataIndex: 'inService', width: 100, sorter: (a, b) => a.inService - b.inService },
              { title: '已报到', dataIndex: 'registered', width: 100, sorter: (a, b) => a.registered - b.registered },
              { title: '报到率', dataIndex: 'registrationRate', width: 180, render: bar, sorter: (a, b) => (a.registrationRate ?? -1) - (b.registrationRate ?? -1) },
              { title: '参与服务', dataIndex: 'served', width: 100 },
              { title: '服务率', dataIndex: 'serviceRate', width: 180, render: bar, sorter: (a, b) => (a.serviceRate ?? -1) - (b.serviceRate ?? -1) },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
            报到率 = 已报到（审核通过）÷ 居住在社区的在职党员（档案中在住，或以本社区住址报到通过）；服务率 = 期内（按服务日期）至少有一条已确认服务记录的已报到党员 ÷ 已报到；待确认的记录、志愿者等其他力量的服务不计入。统计期间 {data.from} 至 {data.to}。
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
