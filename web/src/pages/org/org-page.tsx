// 党组织: the party-organisation tree (lazy) and the selected organisation's detail.
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { Alert, Breadcrumb, Card, Col, Descriptions, Empty, Row, Spin, Table, Tag, Typography } from 'antd';
import { api, errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { TreePanel } from '../../components/tree-panel';
import { useLazyTree } from '../../components/use-lazy-tree';
import { ALLIANCE_ROLE_LABEL, ORG_KIND_LABEL, label } from '../../labels';
import type { AllianceMember, OrgDetail, OrgSummary, Page } from '../../types';

const enc = encodeURIComponent;

const orgApi = {
  roots: () => api.get<{ items: OrgSummary[] }>('/org/roots'),
  node: (code: string) => api.get<OrgDetail>(`/org/nodes/${enc(code)}`),
  children: (code: string, cursor: string | null, limit: number) =>
    api.get<Page<OrgSummary>>(`/org/nodes/${enc(code)}/children`, { limit, cursor }),
};

const ORG_KIND_COLOR: Record<string, string> = {
  street_committee: 'red',
  community_committee: 'volcano',
  general_branch: 'orange',
  branch: 'gold',
  group: 'lime',
  functional_branch: 'magenta',
  unit_org: 'blue',
  alliance: 'purple',
};

function renderTitle(item: OrgSummary) {
  return (
    <span className="linli-tree-title">
      <Tag color={ORG_KIND_COLOR[item.kind]}>{ORG_KIND_LABEL[item.kind] ?? item.kind}</Tag>
      <span>{item.name}</span>
    </span>
  );
}

function pathCodes(org: OrgDetail): string[] {
  if (org.path) return org.path.split('.');
  return [...(org.ancestors ?? []).map((a) => a.code), org.code];
}

export default function OrgPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const selectedCode = params.get('code');
  const tree = useLazyTree<OrgSummary>(orgApi.children, renderTitle);
  const { setRoots, reveal } = tree;
  const [rootsError, setRootsError] = useState<string | null>(null);
  const [detail, setDetail] = useState<OrgDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  const select = useCallback((code: string) => setParams({ code }), [setParams]);

  useEffect(() => {
    orgApi
      .roots()
      .then((result) => {
        setRoots(result.items);
        if (!selectedCode && result.items[0]) setParams({ code: result.items[0].code }, { replace: true });
      })
      .catch((e: unknown) => setRootsError(errorMessage(e)));
    // Only once: roots are the caller's data scope.
  }, []);

  useEffect(() => {
    if (!selectedCode) return;
    let cancelled = false;
    setLoading(true);
    setDetailError(null);
    orgApi
      .node(selectedCode)
      .then((org) => {
        if (!cancelled) setDetail(org);
      })
      .catch((e: unknown) => {
        if (!cancelled) {
          setDetail(null);
          setDetailError(errorMessage(e));
        }
      })
      .finally(() => {
        if (!cancelled) setLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [selectedCode]);

  useEffect(() => {
    if (detail && tree.roots) void reveal(pathCodes(detail)).catch(() => undefined);
  }, [detail, tree.roots, reveal]);

  const ancestors = detail?.ancestors ?? [];
  const members = detail?.allianceMembers ?? [];

  return (
    <Row gutter={16}>
      <Col xs={24} lg={8} xl={7}>
        <TreePanel
          title="党组织体系"
          tree={tree}
          rootsError={rootsError}
          emptyText="您的数据范围内暂无党组织"
          selectedCode={selectedCode}
          onSelect={select}
          testId="org-tree"
        />
      </Col>
      <Col xs={24} lg={16} xl={17}>
        <Card
          size="small"
          data-testid="org-detail"
          title={
            detail ? (
              <Breadcrumb
                items={[...ancestors, { code: detail.code, name: detail.name, kind: detail.kind }].map((a) => ({
                  title: a.code === detail.code ? <strong>{a.name}</strong> : <a onClick={() => select(a.code)}>{a.name}</a>,
                }))}
              />
            ) : (
              '组织详情'
            )
          }
        >
          <Spin spinning={loading}>
            {detailError && <Alert type="error" showIcon title={detailError} />}
            {!detail && !detailError && <Empty description="请在左侧选择党组织" />}
            {detail && (
              <Descriptions
                column={{ xs: 1, md: 2 }}
                size="small"
                bordered
                styles={{ label: { width: 110 } }}
                items={[
                  { key: 'name', label: '名称', span: 2, children: <strong>{detail.name}</strong> },
                  {
                    key: 'kind',
                    label: '类型',
                    children: <Tag color={ORG_KIND_COLOR[detail.kind]}>{label(ORG_KIND_LABEL, detail.kind)}</Tag>,
                  },
                  { key: 'code', label: '组织编码', children: detail.code },
                  {
                    key: 'territory',
                    label: '服务区域',
                    children: detail.territoryCode ? (
                      can('territory:read') ? (
                        <Link to={`/territory?code=${enc(detail.territoryCode)}`}>
                          {detail.territoryName ?? detail.territoryCode}（{detail.territoryCode}）
                        </Link>
                      ) : (
                        `${detail.territoryName ?? ''}（${detail.territoryCode}）`
                      )
                    ) : (
                      '—'
                    ),
                  },
                  { key: 'secretary', label: '书记', children: detail.secretaryName ?? '—' },
                  ...(detail.unitName ? [{ key: 'unit', label: '所在单位', children: detail.unitName }] : []),
                  { key: 'children', label: '下级组织', children: `${detail.childCount} 个` },
                  ...(detail.alliances && detail.alliances.length > 0
                    ? [
                        {
                          key: 'alliances',
                          label: '参加联盟',
                          children: detail.alliances.map((a) => (
                            <div key={a.code}>
                              <a onClick={() => select(a.code)}>{a.name}</a>
                              <Typography.Text type="secondary">（{label(ALLIANCE_ROLE_LABEL, a.role)}）</Typography.Text>
                            </div>
                          )),
                        },
                      ]
                    : []),
                  {
                    key: 'path',
                    label: '隶属关系',
                    span: 2,
                    children: [...ancestors.map((a) => a.name), detail.name].join(' / '),
                  },
                ]}
              />
            )}
          </Spin>
        </Card>
        {detail?.kind === 'alliance' && (
          <Card size="small" title={`联盟成员单位（${members.length}）`} style={{ marginTop: 16 }} data-testid="alliance-members">
            <Table<AllianceMember>
              rowKey="code"
              size="small"
              pagination={false}
              dataSource={members}
              locale={{ emptyText: '暂无成员单位' }}
              columns={[
                {
                  title: '党组织',
                  dataIndex: 'name',
                  render: (name: string, row) => <a onClick={() => select(row.code)}>{name}</a>,
                },
                { title: '所在单位', dataIndex: 'unitName', render: (v: string | null) => v ?? '—' },
                { title: '类型', dataIndex: 'kind', render: (v: string) => label(ORG_KIND_LABEL, v) },
                {
                  title: '联盟角色',
                  dataIndex: 'role',
                  render: (v: string) => (
                    <Tag color={v === 'chair' ? 'red' : v === 'vice_chair' ? 'orange' : 'default'}>
                      {label(ALLIANCE_ROLE_LABEL, v)}
                    </Tag>
                  ),
                },
                { title: '加入日期', dataIndex: 'joinedOn' },
              ]}
            />
          </Card>
        )}
      </Col>
    </Row>
  );
}
