// 社区服务概览: per community under the chosen area — open needs, projects by status, money pledged and spent, units
// involved — from one grouped query over the records. A row opens that community's three lists.
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { PROJECT_STATUS_LABEL } from '../../labels';
import { CommunityTree } from '../projects/community-tree';
import { projectsApi, yuan, type Overview, type OverviewRow } from '../projects/projects-api';

const STATUSES = ['published', 'claimed', 'in_progress', 'done', 'cancelled'];

export default function ServiceOverviewPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const scope = params.get('scope');
  const [data, setData] = useState<Overview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [scopeName, setScopeName] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setData(null);
    setError(null);
    projectsApi
      .overview(scope ?? undefined)
      .then((result) => !cancelled && setData(result))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [scope]);

  const t = data?.totals;
  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xl={6}>
        <CommunityTree
          title="社区服务概览"
          selected={scope}
          testId="overview-tree"
          onFirstRoot={(root) => {
            if (!scope) setScopeName(root.name);
          }}
          onSelect={(item) => {
            setScopeName(item.name);
            if (item.kind === 'community') navigate(`/service/lists?code=${item.code}`);
            else setParams({ scope: item.code });
          }}
        />
      </Col>
      <Col xs={24} lg={17} xl={18}>
        <Card title={`${scopeName ?? (scope ? scope : '本人数据范围')} · ${data && data.items.length === 1 ? '三张清单概览' : '各社区三张清单概览'}`} data-testid="overview-card">
          {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
          {t && (
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }} data-testid="overview-totals">
              <Col xs={12} md={3}><Statistic title="社区" value={data.items.length} suffix="个" /></Col>
              <Col xs={12} md={3}><Statistic title="待认领需求" value={t.openNeeds} suffix="条" /></Col>
              <Col xs={12} md={3}><Statistic title="项目" value={t.projects} suffix="个" /></Col>
              <Col xs={12} md={3}><Statistic title="参与单位" value={t.unitsInvolved} suffix="家" /></Col>
              <Col xs={12} md={6}><Statistic title="已认捐" value={t.pledgedAmount} precision={2} suffix="元" /></Col>
              <Col xs={12} md={6}><Statistic title="已支出" value={t.spentAmount} precision={2} suffix="元" /></Col>
            </Row>
          )}
          <Table<OverviewRow>
            rowKey="communityCode"
            size="small"
            loading={!data && !error}
            dataSource={data?.items ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: 1040 }}
            data-testid="overview-table"
            onRow={(row) => ({ onClick: () => navigate(`/service/lists?code=${row.communityCode}`), style: { cursor: 'pointer' } })}
            columns={[
              { title: '社区', dataIndex: 'communityName', fixed: 'left' as const, width: 130,
                render: (v: string, row) => <Link to={`/service/lists?code=${row.communityCode}`} onClick={(e) => e.stopPropagation()}>{v}</Link> },
              { title: '街道', dataIndex: 'streetName', width: 110, render: (v: string | null) => v ?? '—' },
              { title: '待认领需求', dataIndex: 'openNeeds', width: 100, align: 'right' as const, sorter: (a, b) => a.openNeeds - b.openNeeds,
                render: (v: number, row) => <span>{v}<Typography.Text type="secondary"> / {row.needs}</Typography.Text></span> },
              { title: '项目', dataIndex: 'projects', width: 70, align: 'right' as const, sorter: (a, b) => a.projects - b.projects },
              { title: '项目状态', key: 'status', width: 240,
                render: (_: unknown, row) => (
                  <Space size={[4, 4]} wrap>
                    {STATUSES.filter((s) => (row.projectsByStatus[s] ?? 0) > 0).map((s) => (
                      <Tag key={s} color={PROJECT_STATUS_LABEL[s]?.color}>{PROJECT_STATUS_LABEL[s]?.text} {row.projectsByStatus[s]}</Tag>
                    ))}
                    {row.projects === 0 && <Typography.Text type="secondary">—</Typography.Text>}
                  </Space>
                ) },
              { title: '已认捐', dataIndex: 'pledgedAmount', width: 130, align: 'right' as const, sorter: (a, b) => a.pledgedAmount - b.pledgedAmount, render: yuan },
              { title: '已支出', dataIndex: 'spentAmount', width: 130, align: 'right' as const, render: yuan },
              { title: '参与单位', dataIndex: 'unitsInvolved', width: 90, align: 'right' as const, sorter: (a, b) => a.unitsInvolved - b.unitsInvolved },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
            数字均由需求、项目、认领、认捐和支出记录实时统计；参与单位为认领或认捐过项目的单位党组织（去重）。
          </Typography.Paragraph>
        </Card>
      </Col>
    </Row>
  );
}
