// 小区档案 (一小区一地图一档案): the compound's buildings on the map coloured by party members or attention tags,
// its counts, its three partners (党组织/业委会/物业) and posts; a building opens its units → rooms → residents.
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Col,
  Empty,
  List,
  Row,
  Segmented,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import { EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { loadConfig } from '../../config';
import { PARTNER_KIND_LABEL, POST_LABEL, label } from '../../labels';
import type { AppConfig } from '../../types';
import { archiveApi, buildingLabel, type BuildingSummary, type CompoundArchive, type Post } from './archive-api';
import { BuildingDrawer } from './building-drawer';
import type { BuildingStyle } from './compound-map';
import { CompoundSearch } from './compound-search';
import { CountsPanel } from './counts-panel';

const CompoundMap = lazy(() => import('./compound-map'));

type LayerKind = 'party' | 'tags';

interface Bucket {
  min: number;
  max: number | null;
  color: string;
  text: string;
}

const PARTY_BUCKETS: Bucket[] = [
  { min: 0, max: 0, color: '#f0f0f0', text: '无党员' },
  { min: 1, max: 4, color: '#ff7875', text: '有党员（1–4 人）' },
  { min: 5, max: null, color: '#a8071a', text: '党员较多（5 人及以上）' },
];

const TAG_BUCKETS: Bucket[] = [
  { min: 0, max: 0, color: '#f0f0f0', text: '无关注人员' },
  { min: 1, max: 2, color: '#ffe7ba', text: '1–2 人' },
  { min: 3, max: 5, color: '#ffc069', text: '3–5 人' },
  { min: 6, max: null, color: '#d46b08', text: '6 人及以上' },
];

function bucketOf(buckets: Bucket[], value: number): Bucket {
  return buckets.find((b) => value >= b.min && (b.max === null || value <= b.max)) ?? buckets[buckets.length - 1]!;
}

const PARTNER_ORDER = ['party_org', 'owners_committee', 'property_company'] as const;
const POST_ORDER = ['compound_commissioner', 'grid_leader', 'grid_member', 'grid_part_time', 'grid_instructor', 'building_leader', 'unit_leader'];

function PostsList({ posts }: { posts: Post[] }) {
  if (posts.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂未配备" />;
  const sorted = [...posts].sort((a, b) => POST_ORDER.indexOf(a.post) - POST_ORDER.indexOf(b.post));
  return (
    <Table<Post>
      size="small"
      pagination={false}
      rowKey={(p, i) => `${p.post}-${p.territoryCode}-${i}`}
      dataSource={sorted}
      data-testid="posts-table"
      columns={[
        { title: '岗位', key: 'post', width: 110, render: (_, p) => <Tag color="red">{p.postName || label(POST_LABEL, p.post)}</Tag> },
        { title: '负责范围', dataIndex: 'territoryName', render: (v: string) => v || '—' },
        { title: '姓名', dataIndex: 'name', width: 100, render: (v: string | null) => v ?? <Typography.Text type="secondary">待配备</Typography.Text> },
      ]}
    />
  );
}

export default function CompoundPage() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  // a property company (archive:compound without people:read) sees the compound level only: no rooms, no people
  const { can } = useAuth();
  const people = can('people:read');
  const selectedBuilding = people ? params.get('building') : null;
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [compound, setCompound] = useState<CompoundArchive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [layer, setLayer] = useState<LayerKind>('party');
  const [tagFilter, setTagFilter] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    void loadConfig().then(setConfig);
  }, []);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    setError(null);
    archiveApi
      .compound(code)
      .then((result) => !cancelled && setCompound(result))
      .catch((e: unknown) => {
        if (cancelled) return;
        setCompound(null);
        setError(errorMessage(e));
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [code, version]);

  const openBuilding = useCallback(
    (building: string | null) => {
      if (!people) return;
      const next = new URLSearchParams(params);
      if (building) next.set('building', building);
      else next.delete('building');
      setParams(next, { replace: !building });
    },
    [params, setParams, people],
  );

  const tagValue = useCallback(
    (b: BuildingSummary) => (tagFilter ? (b.tags.find((t) => t.code === tagFilter)?.count ?? 0) : b.tagged),
    [tagFilter],
  );
  const tagName = tagFilter ? (compound?.counts.tags.find((t) => t.code === tagFilter)?.name ?? '关注') : '关注';

  const styleOf = useCallback(
    (b: BuildingSummary): BuildingStyle => {
      if (layer === 'party') return { color: bucketOf(PARTY_BUCKETS, b.partyMembers.total).color, caption: `党员 ${b.partyMembers.total}` };
      const value = tagValue(b);
      return { color: bucketOf(TAG_BUCKETS, value).color, caption: `${tagName} ${value}` };
    },
    [layer, tagValue, tagName],
  );

  const buckets = layer === 'party' ? PARTY_BUCKETS : TAG_BUCKETS;
  const partners = useMemo(() => {
    const byKind = new Map((compound?.partners ?? []).map((p) => [p.kind, p]));
    return PARTNER_ORDER.map((kind) => ({ kind, partner: byKind.get(kind) ?? null }));
  }, [compound]);

  const sortedBuildings = useMemo(
    () =>
      [...(compound?.buildings ?? [])].sort((a, b) =>
        String(a.number ?? a.name).localeCompare(String(b.number ?? b.name), 'zh-CN', { numeric: true }),
      ),
    [compound],
  );

  if (error) {
    return (
      <Card title="小区档案" extra={<CompoundSearch />}>
        <Alert type="error" showIcon title={error} data-testid="compound-error" />
      </Card>
    );
  }

  return (
    <Spin spinning={loading && !compound}>
      <Card
        size="small"
        style={{ marginBottom: 16 }}
        title={
          compound ? (
            <Breadcrumb
              items={[
                { title: people ? <Link to="/archive">档案</Link> : '小区概况' },
                { title: people ? <Link to={`/archive?code=${compound.communityCode}`}>{compound.communityName}</Link> : compound.communityName },
                ...(compound.gridName ? [{ title: <Typography.Text type="secondary">{compound.gridName}</Typography.Text> }] : []),
                { title: <strong data-testid="compound-name">{compound.name}</strong> },
              ]}
            />
          ) : (
            '小区档案'
          )
        }
        extra={
          <Space>
            <CompoundSearch width={280} />
            <Button icon={<EnvironmentOutlined />} onClick={() => navigate(`/territory?code=${code}`)}>
              区划
            </Button>
            <Button icon={<ReloadOutlined />} onClick={() => setVersion((v) => v + 1)}>
              刷新
            </Button>
          </Space>
        }
      />
      {compound && (
        <>
          <Row gutter={16}>
            <Col xs={24} xl={16}>
              <Card
                size="small"
                title="小区地图"
                extra={
                  <Space>
                    <Segmented<LayerKind>
                      value={layer}
                      onChange={setLayer}
                      options={[
                        { value: 'party', label: '党员分布' },
                        ...(people ? [{ value: 'tags' as const, label: '关注人群' }] : []),
                      ]}
                      data-testid="layer-switch"
                    />
                    {layer === 'tags' && (
                      <Select
                        value={tagFilter}
                        onChange={setTagFilter}
                        style={{ width: 150 }}
                        options={[
                          { value: null, label: '全部关注标签' },
                          ...compound.counts.tags.map((t) => ({ value: t.code, label: `${t.name}（${t.count}）` })),
                        ]}
                      />
                    )}
                  </Space>
                }
              >
                <div className="linli-map-wrap">
                  {config ? (
                    <Suspense fallback={<div className="linli-map linli-compound-map" />}>
                      <CompoundMap
                        boundary={compound.boundary}
                        location={compound.location}
                        buildings={compound.buildings}
                        styleOf={styleOf}
                        selected={selectedBuilding}
                        config={config}
                        onSelect={openBuilding}
                      />
                    </Suspense>
                  ) : (
                    <div className="linli-map linli-compound-map" />
                  )}
                  <div className="linli-map-legend" data-testid="map-legend">
                    <div style={{ fontWeight: 600 }}>{layer === 'party' ? '楼幢党员人数' : `楼幢${tagName}人员`}</div>
                    {buckets.map((b) => (
                      <div key={b.text}>
                        <span className="linli-legend-swatch" style={{ background: b.color }} />
                        {b.text}
                      </div>
                    ))}
                    <div style={{ color: '#888' }}>{people ? '点击楼幢查看单元和房间' : '仅显示小区层面的统计，不含个人信息'}</div>
                  </div>
                </div>
                {compound.buildings.every((b) => !b.boundary && !b.location) && (
                  <Typography.Text type="secondary">该小区的楼幢暂无边界数据，请在下方楼幢列表中查看。</Typography.Text>
                )}
              </Card>
            </Col>
            <Col xs={24} xl={8}>
              <Card size="small" title={`${compound.name} · 数据概况`} style={{ height: '100%' }}>
                <CountsPanel counts={compound.counts} />
                <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12, marginBottom: 0 }}>
                  以上数字由居民档案实时统计（仅计在住人员），无需手工填报。
                </Typography.Paragraph>
              </Card>
            </Col>
          </Row>

          <Row gutter={16} style={{ marginTop: 16 }}>
            <Col xs={24} xl={14}>
              <Card size="small" title="红色三方（党组织 · 业委会 · 物业）" data-testid="partners">
                <Row gutter={12}>
                  {partners.map(({ kind, partner }) => (
                    <Col span={8} key={kind}>
                      <Card
                        size="small"
                        type="inner"
                        title={<Tag color={kind === 'party_org' ? 'red' : kind === 'owners_committee' ? 'blue' : 'green'}>{PARTNER_KIND_LABEL[kind]}</Tag>}
                        style={{ height: '100%' }}
                      >
                        {partner ? (
                          <>
                            <Typography.Text strong>{partner.name}</Typography.Text>
                            {(partner.contactName || partner.contactPhone) && (
                              <div style={{ fontSize: 12, color: '#666', margin: '4px 0' }}>
                                联系人 {partner.contactName ?? '—'} {partner.contactPhone ?? ''}
                              </div>
                            )}
                            <List
                              size="small"
                              split={false}
                              dataSource={partner.members}
                              locale={{ emptyText: '暂无成员' }}
                              renderItem={(m) => (
                                <List.Item style={{ padding: '2px 0' }}>
                                  <span>{m.name}</span>
                                  <Typography.Text type="secondary">{m.role}</Typography.Text>
                                </List.Item>
                              )}
                            />
                          </>
                        ) : (
                          <Typography.Text type="secondary">未登记</Typography.Text>
                        )}
                      </Card>
                    </Col>
                  ))}
                </Row>
              </Card>
            </Col>
            {people && (
              <Col xs={24} xl={10}>
                <Card size="small" title="小区专员 · 楼长 · 单元长" data-testid="posts">
                  <PostsList posts={compound.posts} />
                </Card>
              </Col>
            )}
          </Row>

          <Card size="small" title={`楼幢一览（${compound.buildings.length} 幢）`} style={{ marginTop: 16 }}>
            <Table<BuildingSummary>
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={sortedBuildings}
              data-testid="building-table"
              onRow={(b) => ({ onClick: () => openBuilding(b.code), style: { cursor: people ? 'pointer' : 'default' } })}
              columns={[
                { title: '楼幢', key: 'label', render: (_, b) => (people ? <a>{buildingLabel(b)}</a> : buildingLabel(b)) },
                { title: '单元', dataIndex: 'units' },
                { title: '房屋', dataIndex: 'rooms' },
                { title: '户数', dataIndex: 'households' },
                { title: '居民', dataIndex: 'residents' },
                {
                  title: '党员（在册/在职/在地）',
                  key: 'members',
                  render: (_, b) =>
                    `${b.partyMembers.total}（${b.partyMembers.inRegister}/${b.partyMembers.inService}/${b.partyMembers.inResidence}）`,
                },
                ...(people ? [{
                  title: '关注人员',
                  key: 'tags',
                  render: (_: unknown, b: BuildingSummary) =>
                    b.tagged === 0 ? (
                      '0'
                    ) : (
                      <Space size={[4, 4]} wrap>
                        <span>{b.tagged}</span>
                        {b.tags.map((t) => (
                          <Tag key={t.code} color="orange" style={{ marginInlineEnd: 0 }}>
                            {t.name} {t.count}
                          </Tag>
                        ))}
                      </Space>
                    ),
                }] : []),
              ]}
            />
          </Card>
        </>
      )}
      {people && <BuildingDrawer code={selectedBuilding} onClose={() => openBuilding(null)} />}
    </Spin>
  );
}
