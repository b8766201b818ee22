// 工作台的「一眼看全」: this year's three case rates and the registration and service rates of the caller's area,
// each a link to its page (the figures come from the same endpoints those pages use).
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Card, Col, Row, Statistic } from 'antd';
import { api } from '../../api';
import { useAuth } from '../../auth';
import type { Rates } from '../cases/cases-api';

interface RegistrationRates { total: { inService: number; registered: number; registrationRate: number | null; served: number; serviceRate: number | null } }

const percent = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(1)}`);

function Figure({ title, value, suffix, to, testId }: { title: string; value: string | number; suffix?: string; to: string; testId: string }) {
  return (
    <Col xs={12} md={8} xl={4}>
      <Link to={to} data-testid={testId}>
        <Card size="small" hoverable>
          <Statistic title={title} value={value} suffix={value === '—' ? undefined : suffix} />
        </Card>
      </Link>
    </Col>
  );
}

export function AreaFigures() {
  const { can } = useAuth();
  const [cases, setCases] = useState<Rates | null>(null);
  const [service, setService] = useState<RegistrationRates | null>(null);
  const year = new Date().getFullYear();
  const today = new Date().toISOString().slice(0, 10);
  const from = `${year}-01-01`;
  useEffect(() => {
    if (can('case:read')) api.get<Rates>('/cases/rates', { from, to: today }).then(setCases).catch(() => setCases(null));
    if (can('service:read')) api.get<RegistrationRates>('/service/rates', { from, to: today }).then(setService).catch(() => setService(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!cases && !service) return null;
  return (
    <Card title={`${cases?.scopeName ?? ''} ${year} 年以来`} size="small" style={{ marginBottom: 16 }} data-testid="home-figures">
      <Row gutter={[12, 12]}>
        {cases && (
          <>
            <Figure title="上报案件" value={cases.counts.reported} suffix="件" to="/cases/rates" testId="figure-cases" />
            <Figure title="响应率" value={percent(cases.responseRate)} suffix="%" to="/cases/rates" testId="figure-response" />
            <Figure title="解决率" value={percent(cases.resolutionRate)} suffix="%" to="/cases/rates" testId="figure-resolution" />
            <Figure title="满意率" value={percent(cases.satisfactionRate)} suffix="%" to="/cases/rates" testId="figure-satisfaction" />
          </>
        )}
        {service && (
          <>
            <Figure title="在职党员报到率" value={percent(service.total.registrationRate)} suffix="%" to="/service/rates" testId="figure-registration" />
            <Figure title="服务率" value={percent(service.total.serviceRate)} suffix="%" to="/service/rates" testId="figure-service" />
          </>
        )}
      </Row>
    </Card>
  );
}
