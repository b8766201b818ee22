// The left-hand panel of the tree pages (区划网格, 党组织, 居民档案): an optional search box, the loading / error /
// empty states of the roots, and the lazy antd <Tree> driven by a useLazyTree() with one selected key.
import type { ReactNode } from 'react';
import { Alert, Card, Empty, Spin, Tree } from 'antd';
import type { LazyTree, LazyTreeItem } from './use-lazy-tree';

export function TreePanel<T extends LazyTreeItem>({
  title,
  tree,
  rootsError,
  emptyText,
  selectedCode,
  onSelect,
  search,
  testId,
}: {
  title: ReactNode;
  tree: LazyTree<T>;
  /** Why the roots failed to load, if they did. */
  rootsError: string | null;
  /** Shown when the caller's scope holds no roots. */
  emptyText: string;
  selectedCode: string | null;
  /** Called with the key of a picked node ("加载更多" leaves are handled here). */
  onSelect: (code: string) => void;
  /** A search box shown above the tree. */
  search?: ReactNode;
  /** The data-testid of the tree's wrapper. */
  testId: string;
}) {
  return (
    <Card title={title} size="small" className="linli-tree-panel">
      {search && <div style={{ marginBottom: 12 }}>{search}</div>}
      {rootsError && <Alert type="error" showIcon title={rootsError} />}
      {!tree.roots && !rootsError && <Spin />}
      {tree.roots && tree.roots.length === 0 && <Empty description={emptyText} />}
      <div data-testid={testId}>
        <Tree
          blockNode
          showLine
          treeData={tree.treeData}
          loadData={tree.onLoadData}
          loadedKeys={tree.loadedKeys}
          expandedKeys={tree.expandedKeys}
          onExpand={(keys) => tree.setExpandedKeys(keys.map(String))}
          selectedKeys={selectedCode ? [selectedCode] : []}
          onSelect={(_keys, info) => {
            const key = String(info.node.key);
            if (tree.handleMoreKey(key)) return;
            onSelect(key);
          }}
        />
      </div>
    </Card>
  );
}
