// 档案总览: pick a street / community / compound on the left; the right shows its counts (from the records)
// and, for a community, its compounds with a link to each compound's archive page.
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { Alert, Button, Card, Col, Row, Spin, Table, Tag } from 'antd';
import { HomeOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { TreePanel } from '../../components/tree-panel';
import { useLazyTree } from '../../components/use-lazy-tree';
import { TERRITORY_KIND_COLOR, TERRITORY_KIND_LABEL } from '../../labels';
import type { Page, TerritoryNodeSummary } from '../../types';
import { territoryApi } from '../territory/territory-api';
import { archiveApi, type NodeCounts } from './archive-api';
import { CompoundSearch } from './compound-search';
import { CountsPanel } from './counts-panel';

/** The archive tree stops at compounds; grids and micro-grids are left to the territory page. */
const SHOWN = new Set(['district', 'street', 'community', 'compound']);

async function children(code: string, cursor: string | null, limit: number): Promise<Page<TerritoryNodeSummary>> {
  const page = await territoryApi.children(code, cursor, limit);
  return {
    items: page.items.filter((item) => SHOWN.has(item.kind)).map((item) => (item.kind === 'compound' ? { ...item, childCount: 0 } : item)),
    nextCursor: page.nextCursor,
  };
}

function renderTitle(item: TerritoryNodeSummary) {
  return (
    <span className="linli-tree-title">
      <Tag color={TERRITORY_KIND_COLOR[item.kind]}>{TERRITORY_KIND_LABEL[item.kind] ?? item.kind}</Tag>
      <span>{item.name}</span>
    </span>
  );
}

export default function ArchivePage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const selected = params.get('code');
  const tree = useLazyTree<TerritoryNodeSummary>(children, renderTitle);
  const { setRoots } = tree;
  const [rootsError, setRootsError] = useState<string | null>(null);
  const [counts, setCounts] = useState<NodeCounts | null>(null);
  const [countsError, setCountsError] = useState<string | null>(null);
  const [compounds, setCompounds] = useState<TerritoryNodeSummary[]>([]);

  useEffect(() => {
    territoryApi
      .roots()
      .then((result) => {
        setRoots(result.items);
        if (!selected && result.items[0]) setParams({ code: result.items[0].code }, { replace: true });
        tree.setExpandedKeys(result.items.map((r) => r.code));
      })
      .catch((e: unknown) => setRootsError(errorMessage(e)));
  }, []);

  useEffect(() => {
    if (!selected) return;
    let cancelled = false;
    setCounts(null);
    setCountsError(null);
    setCompounds([]);
    archiveApi
      .counts(selected)
      .then((result) => !cancelled && setCounts(result))
      .catch((e: unknown) => !cancelled && setCountsError(errorMessage(e)));
    territoryApi
      .children(selected, null, 200)
      .then((page) => !cancelled && setCompounds(page.items.filter((item) => item.kind === 'compound')))
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [selected]);

  const select = useCallback(
    (code: string) => {
      const item = tree.find(code);
      if (item?.kind === 'compound') navigate(`/archive/compounds/${code}`);
      else setParams({ code });
    },
    [tree, navigate, setParams],
  );

  return (
    <Row gutter={16}>
      <Col xs={24} lg={7} xl={6}>
        <TreePanel
          title="居民档案"
          tree={tree}
          rootsError={rootsError}
          emptyText="您的数据范围内暂无区划"
          selectedCode={selected}
          onSelect={select}
          testId="archive-tree"
          search={<CompoundSearch width="100%" />}
        />
      </Col>
      <Col xs={24} lg={17} xl={18}>
        <Card
          size="small"
          title={counts ? `${counts.name}（${TERRITORY_KIND_LABEL[counts.kind] ?? counts.kind}）· 数据概况` : '数据概况'}
          data-testid="archive-counts"
        >
          {countsError && <Alert type="error" showIcon title={countsError} />}
          {!counts && !countsError && <Spin />}
          {counts && <CountsPanel counts={counts.counts} />}
        </Card>
        {compounds.length > 0 && (
          <Card size="small" title={`小区（${compounds.length}）`} style={{ marginTop: 16 }}>
            <Table<TerritoryNodeSummary>
              size="small"
              rowKey="code"
              pagination={false}
              dataSource={compounds}
              data-testid="compound-list"
              columns={[
                { title: '小区', dataIndex: 'name', render: (v: string, row) => <Link to={`/archive/compounds/${row.code}`}>{v}</Link> },
                { title: '编码', dataIndex: 'code' },
                { title: '楼幢数', dataIndex: 'childCount' },
                {
                  title: '',
                  key: 'open',
                  width: 120,
                  render: (_, row) => (
                    <Button size="small" icon={<HomeOutlined />} onClick={() => navigate(`/archive/compounds/${row.code}`)}>
                      小区档案
                    </Button>
                  ),
                },
              ]}
            />
          </Card>
        )}
      </Col>
    </Row>
  );
}
