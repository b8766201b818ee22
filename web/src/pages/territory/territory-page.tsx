// 区划网格: lazy territory tree + search on the left; map, node detail and the 定位 tool on the right.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { AimOutlined, ContainerOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { loadConfig } from '../../config';
import { NodeSearch } from '../../components/node-search';
import { TreePanel } from '../../components/tree-panel';
import { useLazyTree } from '../../components/use-lazy-tree';
import { TERRITORY_KIND_COLOR, TERRITORY_KIND_LABEL, label } from '../../labels';
import type { AppConfig, LocateResult, TerritoryNodeDetail, TerritoryNodeSummary } from '../../types';
import type { TerritoryFeatureCollection } from './territory-map';
import { territoryApi } from './territory-api';
import { CreateChildModal, EditNodeModal } from './node-modals';

const TerritoryMap = lazy(() => import('./territory-map'));

function renderTitle(item: TerritoryNodeSummary) {
  return (
    <span className="linli-tree-title">
      <Tag color={TERRITORY_KIND_COLOR[item.kind]}>{TERRITORY_KIND_LABEL[item.kind] ?? item.kind}</Tag>
      <span>{item.name}</span>
    </span>
  );
}

/** Codes from the root down to `node` (its ltree path, or its ancestors when the path is absent). */
function pathCodes(node: TerritoryNodeDetail): string[] {
  if (node.path) return node.path.split('.');
  return [...(node.ancestors ?? []).map((a) => a.code), node.code];
}

const LOCATE_ROWS: { key: keyof LocateResult; label: string }[] = [
  { key: 'district', label: '区' },
  { key: 'street', label: '街道' },
  { key: 'community', label: '社区' },
  { key: 'grid', label: '网格' },
  { key: 'microGrid', label: '微网格' },
];

export default function TerritoryPage() {
  const { can } = useAuth();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const selectedCode = params.get('code');
  const canWrite = can('territory:write');
  const navigate = useNavigate();

  const tree = useLazyTree<TerritoryNodeSummary>(territoryApi.children, renderTitle);
  const { setRoots, reveal } = tree;
  const [rootsError, setRootsError] = useState<string | null>(null);
  const [config, setConfig] = useState<AppConfig | null>(null);
  const [detail, setDetail] = useState<TerritoryNodeDetail | null>(null);
  const [detailError, setDetailError] = useState<string | null>(null);
  const [detailLoading, setDetailLoading] = useState(false);
  const [features, setFeatures] = useState<TerritoryFeatureCollection | null>(null);
  const [locateMode, setLocateMode] = useState(false);
  const [locatePoint, setLocatePoint] = useState<{ lng: number; lat: number } | null>(null);
  const [locateResult, setLocateResult] = useState<LocateResult | null>(null);
  const [locateLoading, setLocateLoading] = useState(false);
  const [locateError, setLocateError] = useState<string | null>(null);
  const [createOpen, setCreateOpen] = useState(false);
  const [editOpen, setEditOpen] = useState(false);
  const [version, setVersion] = useState(0);

  const select = useCallback(
    (code: string) => {
      setParams({ code });
    },
    [setParams],
  );

  useEffect(() => {
    void loadConfig().then(setConfig);
    territoryApi
      .roots()
      .then((result) => {
        setRoots(result.items);
        if (!selectedCode && result.items[0]) setParams({ code: result.items[0].code }, { replace: true });
      })
      .catch((e: unknown) => setRootsError(errorMessage(e)));
    // Only once: roots are the caller's data scope.
  }, []);

  // Load the selected node's detail and map whenever the selection changes.
  useEffect(() => {
    if (!selectedCode) return;
    let cancelled = false;
    setDetailLoading(true);
    setDetailError(null);
    Promise.all([territoryApi.node(selectedCode), territoryApi.map(selectedCode).catch(() => null)])
      .then(([node, map]) => {
        if (cancelled) return;
        setDetail(node);
        setFeatures(map);
      })
      .catch((e: unknown) => {
        if (cancelled) return;
        setDetail(null);
        setFeatures(null);
        setDetailError(errorMessage(e));
      })
      .finally(() => {
        if (!cancelled) setDetailLoading(false);
      });
    return () => {
      cancelled = true;
    };
  }, [selectedCode, version]);

  // Keep the tree open down to the selected node.
  useEffect(() => {
    if (detail && tree.roots) void reveal(pathCodes(detail)).catch(() => undefined);
  }, [detail, tree.roots, reveal]);

  const onLocate = useCallback(async (lng: number, lat: number) => {
    setLocatePoint({ lng, lat });
    setLocateLoading(true);
    setLocateError(null);
    try {
      setLocateResult(await territoryApi.locate(lng, lat));
    } catch (e) {
      setLocateResult(null);
      setLocateError(errorMessage(e));
    } finally {
      setLocateLoading(false);
    }
  }, []);

  const afterCreate = async (code: string) => {
    setCreateOpen(false);
    message.success('已新增');
    if (detail) await tree.invalidate(detail.code).catch(() => undefined);
    tree.setExpandedKeys(Array.from(new Set([...tree.expandedKeys, detail?.code ?? ''])));
    setVersion((v) => v + 1);
    select(code);
  };

  const afterEdit = async () => {
    setEditOpen(false);
    message.success('已保存');
    if (detail?.parentCode) await tree.invalidate(detail.parentCode).catch(() => undefined);
    else if (detail) {
      const fresh = await territoryApi.roots().catch(() => null);
      if (fresh) tree.setRoots(fresh.items);
    }
    setVersion((v) => v + 1);
  };

  const ancestors = detail?.ancestors ?? [];

  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xl={6}>
        <TreePanel
          title="区划网格"
          tree={tree}
          rootsError={rootsError}
          emptyText="您的数据范围内暂无区划"
          selectedCode={selectedCode}
          onSelect={select}
          testId="territory-tree"
          search={
            <NodeSearch
              search={territoryApi.search}
              kindLabel={TERRITORY_KIND_LABEL}
              onPick={(hit) => select(hit.code)}
              placeholder="搜索名称 / 拼音 / 编码"
              testId="territory-search"
            />
          }
        />
      </Col>
      <Col xs={24} lg={17} xl={18}>
        <Card
          size="small"
          title={
            detail ? (
              <Breadcrumb
                items={[...ancestors, { code: detail.code, name: detail.name, kind: detail.kind }].map((a) => ({
                  title:
                    a.code === detail.code ? (
                      <strong>{a.name}</strong>
                    ) : (
                      <a onClick={() => select(a.code)}>{a.name}</a>
                    ),
                }))}
              />
            ) : (
              '地图'
            )
          }
          extra={
            <Space>
              <Space size={4}>
                <AimOutlined />
                <span>定位</span>
                <Switch size="small" checked={locateMode} onChange={setLocateMode} data-testid="locate-toggle" />
              </Space>
              {detail && can('people:read') && ['compound', 'building', 'unit', 'room'].includes(detail.kind) && (
                <Button
                  size="small"
                  type="primary"
                  ghost
                  icon={<ContainerOutlined />}
                  data-testid="node-archive"
                  onClick={() => {
                    const compound = detail.code.includes('B') ? detail.code.slice(0, detail.code.indexOf('B')) : detail.code;
                    const building = detail.kind === 'compound' ? null : detail.code.slice(0, compound.length + 4);
                    navigate(`/archive/compounds/${compound}${building ? `?building=${building}` : ''}`);
                  }}
                >
                  档案
                </Button>
              )}
              {canWrite && detail && (
                <>
                  <Button size="small" icon={<PlusOutlined />} onClick={() => setCreateOpen(true)} data-testid="node-create">
                    新增下级
                  </Button>
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditOpen(true)} data-testid="node-edit">
                    编辑
                  </Button>
                </>
              )}
            </Space>
          }
        >
          {locateMode && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 8 }}
              title="定位模式：在地图上点击任一位置，查询其所属街道、社区、网格和微网格。"
            />
          )}
          <Spin spinning={detailLoading}>
            {config ? (
              <Suspense fallback={<div className="linli-map" />}>
                <TerritoryMap
                  features={features}
                  config={config}
                  locateMode={locateMode}
                  marker={locatePoint}
                  onSelect={select}
                  onLocate={onLocate}
                />
              </Suspense>
            ) : (
              <div className="linli-map" />
            )}
          </Spin>
          {features && features.features.every((f) => !f.geometry) && (
            <Typography.Text type="secondary">该节点及其下级暂无边界数据。</Typography.Text>
          )}
        </Card>

        <Row gutter={16} style={{ marginTop: 16 }}>
          <Col xs={24} xl={14}>
            <Card size="small" title="节点详情" data-testid="node-detail">
              {detailError && <Alert type="error" showIcon title={detailError} />}
              {!detail && !detailError && <Empty description="请在左侧选择区划节点" />}
              {detail && (
                <Descriptions
                  column={1}
                  size="small"
                  bordered
                  styles={{ label: { width: 120 } }}
                  items={[
                    { key: 'name', label: '名称', children: <span data-testid="node-name">{detail.name}</span> },
                    { key: 'code', label: '编码', children: <span data-testid="node-code">{detail.code}</span> },
                    {
                      key: 'kind',
                      label: '类型',
                      children: (
                        <Tag color={TERRITORY_KIND_COLOR[detail.kind]} data-testid="node-kind">
                          {label(TERRITORY_KIND_LABEL, detail.kind)}
                        </Tag>
                      ),
                    },
                    { key: 'stat', label: '统计用区划代码', children: detail.statCode ?? '—' },
                    {
                      key: 'path',
                      label: '路径',
                      children: [...ancestors.map((a) => a.name), detail.name].join(' / '),
                    },
                    { key: 'children', label: '下级数量', children: detail.childCount },
                  ]}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card size="small" title="定位结果" data-testid="locate-result">
              {!locatePoint && (
                <Typography.Text type="secondary">打开右上角"定位"开关，在地图上点击位置即可查询所属网格。</Typography.Text>
              )}
              {locatePoint && (
                <Spin spinning={locateLoading}>
                  <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
                    经度 {locatePoint.lng.toFixed(6)}，纬度 {locatePoint.lat.toFixed(6)}（WGS-84）
                  </Typography.Paragraph>
                  {locateError && <Alert type="error" showIcon title={locateError} />}
                  {locateResult && (
                    <Descriptions
                      column={1}
                      size="small"
                      bordered
                      items={LOCATE_ROWS.map((row) => {
                        const hit = locateResult[row.key];
                        return {
                          key: row.key,
                          label: row.label,
                          children: hit ? (
                            <a onClick={() => select(hit.code)} data-testid={`locate-${row.key}`}>
                              {hit.name} <Typography.Text type="secondary">{hit.code}</Typography.Text>
                            </a>
                          ) : (
                            <Typography.Text type="secondary" data-testid={`locate-${row.key}`}>
                              未落入
                            </Typography.Text>
                          ),
                        };
                      })}
                    />
                  )}
                </Spin>
              )}
            </Card>
          </Col>
        </Row>
      </Col>
      {detail && canWrite && (
        <>
          <CreateChildModal parent={detail} open={createOpen} onClose={() => setCreateOpen(false)} onCreated={afterCreate} />
          <EditNodeModal node={detail} open={editOpen} onClose={() => setEditOpen(false)} onSaved={afterEdit} />
        </>
      )}
    </Row>
  );
}
