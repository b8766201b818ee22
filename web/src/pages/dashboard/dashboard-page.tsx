// 首页: who I am, my data scope, and the size of each scope root's territory (children by kind).
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, Card, Col, Descriptions, Empty, Row, Spin, Statistic, Table, Tag } from 'antd';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { SCOPE_KIND_LABEL, TERRITORY_KIND_COLOR, TERRITORY_KIND_LABEL, label } from '../../labels';
import type { Page, TerritoryNodeSummary } from '../../types';

/** What the children of a child of this kind are, for the second counter. */
const GRANDCHILD_LABEL: Record<string, string> = {
  street: '下辖社区',
  community: '下辖网格及小区',
  grid: '下辖微网格',
  compound: '下辖楼幢',
  building: '下辖单元',
  unit: '下辖户',
};

interface RootOverview {
  root: TerritoryNodeSummary;
  children: TerritoryNodeSummary[];
  more: boolean;
}

export default function DashboardPage() {
  const { user, can } = useAuth();
  const navigate = useNavigate();
  const canTerritory = can('territory:read');
  const [overview, setOverview] = useState<RootOverview[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!canTerritory) return;
    let cancelled = false;
    api
      .get<{ items: TerritoryNodeSummary[] }>('/territory/roots')
      .then(async (roots) => {
        const result = await Promise.all(
          roots.items.slice(0, 5).map(async (root) => {
            const page = await api.get<Page<TerritoryNodeSummary>>(
              `/territory/nodes/${encodeURIComponent(root.code)}/children`,
              { limit: 200 },
            );
            return { root, children: page.items, more: Boolean(page.nextCursor) };
          }),
        );
        if (!cancelled) setOverview(result);
      })
      .catch((e: unknown) => {
        if (!cancelled) setError(errorMessage(e));
      });
    return () => {
      cancelled = true;
    };
  }, [canTerritory]);

  const hour = new Date().getHours();
  const greeting = hour < 6 ? '夜深了' : hour < 12 ? '上午好' : hour < 18 ? '下午好' : '晚上好';

  return (
    <div data-testid="dashboard">
      <Card style={{ marginBottom: 16 }}>
        <Descriptions
          title={`${greeting}，${user?.displayName ?? ''}`}
          column={{ xs: 1, md: 3 }}
          items={[
            { key: 'user', label: '用户名', children: user?.username },
            {
              key: 'roles',
              label: '角色',
              children: user?.roleNames.map((n) => (
                <Tag color="red" key={n}>
                  {n}
                </Tag>
              )),
            },
            {
              key: 'scope',
              label: '数据范围',
              children: `${label(SCOPE_KIND_LABEL, user?.scope.kind)}${user?.scope.codes.length ? `（${user.scope.codes.join('，')}）` : ''}`,
            },
          ]}
        />
      </Card>

      {!canTerritory && <Empty description="欢迎使用邻里平台。您当前的角色没有区划查看权限。" />}
      {error && <Alert type="error" showIcon title={error} />}
      {canTerritory && !overview && !error && <Spin />}
      {overview?.length === 0 && <Empty description="您的数据范围内暂无区划" />}

      {overview?.map(({ root, children, more }) => {
        const byKind = new Map<string, number>();
        for (const child of children) byKind.set(child.kind, (byKind.get(child.kind) ?? 0) + 1);
        const grandchildren = children.reduce((sum, child) => sum + child.childCount, 0);
        return (
          <Card
            key={root.code}
            title={
              <span>
                <Tag color={TERRITORY_KIND_COLOR[root.kind]}>{label(TERRITORY_KIND_LABEL, root.kind)}</Tag>
                {root.name}
                <span style={{ color: '#999', fontWeight: 'normal', marginLeft: 8 }}>{root.code}</span>
              </span>
            }
            extra={<Link to={`/territory?code=${encodeURIComponent(root.code)}`}>在地图中查看</Link>}
            style={{ marginBottom: 16 }}
          >
            <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
              {[...byKind.entries()].map(([kind, count]) => (
                <Col key={kind} xs={12} md={6}>
                  <Card size="small">
                    <Statistic title={`下辖${label(TERRITORY_KIND_LABEL, kind)}`} value={count} suffix={more ? '+' : '个'} />
                  </Card>
                </Col>
              ))}
              <Col xs={12} md={6}>
                <Card size="small">
                  <Statistic title={GRANDCHILD_LABEL[children[0]?.kind ?? ''] ?? '再下一级节点'} value={grandchildren} suffix="个" />
                </Card>
              </Col>
            </Row>
            <Table<TerritoryNodeSummary>
              rowKey="code"
              size="small"
              dataSource={children}
              pagination={children.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
              onRow={(row) => ({ onClick: () => navigate(`/territory?code=${encodeURIComponent(row.code)}`), style: { cursor: 'pointer' } })}
              columns={[
                { title: '名称', dataIndex: 'name' },
                { title: '类型', dataIndex: 'kind', width: 100, render: (v: string) => label(TERRITORY_KIND_LABEL, v) },
                { title: '编码', dataIndex: 'code', width: 160 },
                { title: '统计用区划代码', dataIndex: 'statCode', width: 160, render: (v: string | null) => v ?? '—' },
                { title: '下级数量', dataIndex: 'childCount', width: 100, align: 'right' },
              ]}
            />
          </Card>
        );
      })}
    </div>
  );
}
