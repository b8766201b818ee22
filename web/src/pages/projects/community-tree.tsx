// The left-hand picker of the service pages: 区 → 街道 → 社区 (grids and compounds are left to other pages).
import { useEffect, useState } from 'react';
import { Tag } from 'antd';
import { errorMessage } from '../../api';
import { TreePanel } from '../../components/tree-panel';
import { useLazyTree } from '../../components/use-lazy-tree';
import { TERRITORY_KIND_COLOR, TERRITORY_KIND_LABEL } from '../../labels';
import type { Page, TerritoryNodeSummary } from '../../types';
import { territoryApi } from '../territory/territory-api';

const SHOWN = new Set(['district', 'street', 'community']);

async function children(code: string, cursor: string | null, limit: number): Promise<Page<TerritoryNodeSummary>> {
  const page = await territoryApi.children(code, cursor, limit);
  return {
    items: page.items.filter((item) => SHOWN.has(item.kind)).map((item) => (item.kind === 'community' ? { ...item, childCount: 0 } : item)),
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

/**
 * A tree of the caller's scope down to communities. `onSelect` gets the picked node; with `selected` empty the first
 * root is announced through `onFirstRoot` so the page can open on it.
 */
export function CommunityTree({ title, selected, onSelect, onFirstRoot, testId }: {
  title: string;
  selected: string | null;
  onSelect: (node: TerritoryNodeSummary) => void;
  onFirstRoot?: (node: TerritoryNodeSummary) => void;
  testId: string;
}) {
  const tree = useLazyTree<TerritoryNodeSummary>(children, renderTitle);
  const { setRoots, setExpandedKeys } = tree;
  const [rootsError, setRootsError] = useState<string | null>(null);

  useEffect(() => {
    territoryApi
      .roots()
      .then((result) => {
        const roots = result.items.filter((item) => SHOWN.has(item.kind)).map((item) => (item.kind === 'community' ? { ...item, childCount: 0 } : item));
        setRoots(roots);
        setExpandedKeys(roots.filter((r) => r.kind !== 'community').map((r) => r.code));
        if (roots[0]) onFirstRoot?.(roots[0]);
      })
      .catch((e: unknown) => setRootsError(errorMessage(e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <TreePanel
      title={title}
      tree={tree}
      rootsError={rootsError}
      emptyText="您的数据范围内暂无社区"
      selectedCode={selected}
      onSelect={(code) => {
        const item = tree.find(code);
        if (item) onSelect(item);
      }}
      testId={testId}
    />
  );
}
