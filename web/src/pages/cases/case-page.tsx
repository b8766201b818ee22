// /cases/:id — one case on its own page (a link from a notification, a duplicate, the rates' drill-down).
import { useParams, useNavigate } from 'react-router-dom';
import { Button, Card, Result } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { CaseDetailView } from './case-detail';

export default function CasePage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [serviceNo, setServiceNo] = useState<string | null>(null);
  const caseId = Number(id);
  if (!Number.isInteger(caseId) || caseId < 1) return <Result status="404" title="案件不存在" extra={<Button onClick={() => navigate('/cases')}>返回案件台</Button>} />;
  return (
    <Card
      title={serviceNo ? `案件 ${serviceNo}` : '案件详情'}
      extra={<Button icon={<ArrowLeftOutlined />} onClick={() => (window.history.length > 1 ? navigate(-1) : navigate('/cases'))}>返回</Button>}
    >
      <CaseDetailView id={caseId} onChanged={(c) => setServiceNo(c.serviceNo)} />
    </Card>
  );
}
