// A lazily loaded code-keyed tree (territory, party organisations) for antd <Tree>:
// children are fetched on expand, long child lists page with a "加载更多" leaf, and a node deep in the tree
// can be revealed by loading each ancestor on its path.
import { useCallback, useMemo, useRef, useState, type ReactNode } from 'react';
import type { TreeDataNode } from 'antd';
import type { Page } from '../types';

export interface LazyTreeItem {
  code: string;
  name: string;
  kind: string;
  childCount: number;
}

interface ChildrenPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const MORE_PREFIX = 'more:';
const PAGE_SIZE = 200;

export interface LazyTree<T extends LazyTreeItem> {
  treeData: TreeDataNode[];
  loadedKeys: string[];
  expandedKeys: string[];
  setExpandedKeys: (keys: string[]) => void;
  roots: T[] | null;
  setRoots: (items: T[]) => void;
  onLoadData: (node: { key: React.Key }) => Promise<void>;
  /** Handles a click on a "加载更多" leaf; returns true when the key was one. */
  handleMoreKey: (key: string) => boolean;
  /** Loads and expands every node on `pathCodes` (root first) below the first one present in the tree, the last included. */
  reveal: (pathCodes: string[]) => Promise<void>;
  /** Forgets and re-fetches the children of `code` (after a create/edit). */
  invalidate: (code: string) => Promise<void>;
  find: (code: string) => T | undefined;
}

export function useLazyTree<T extends LazyTreeItem>(
  fetchChildren: (code: string, cursor: string | null, limit: number) => Promise<Page<T>>,
  renderTitle: (item: T) => ReactNode,
): LazyTree<T> {
  const [roots, setRootsState] = useState<T[] | null>(null);
  const [children, setChildren] = useState<Map<string, ChildrenPage<T>>>(new Map());
  const [expandedKeys, setExpandedKeys] = useState<string[]>([]);
  const childrenRef = useRef(children);
  const inflight = useRef(new Map<string, Promise<ChildrenPage<T>>>());

  const store = useCallback((code: string, page: ChildrenPage<T>) => {
    const next = new Map(childrenRef.current);
    next.set(code, page);
    childrenRef.current = next;
    setChildren(next);
  }, []);

  const loadChildren = useCallback(
    async (code: string): Promise<ChildrenPage<T>> => {
      const cached = childrenRef.current.get(code);
      if (cached) return cached;
      const running = inflight.current.get(code);
      if (running) return running;
      const promise = fetchChildren(code, null, PAGE_SIZE).then((page) => {
        const value = { items: page.items, nextCursor: page.nextCursor ?? null };
        store(code, value);
        return value;
      });
      inflight.current.set(code, promise);
      try {
        return await promise;
      } finally {
        inflight.current.delete(code);
      }
    },
    [fetchChildren, store],
  );

  const loadMore = useCallback(
    async (code: string) => {
      const current = childrenRef.current.get(code);
      if (!current?.nextCursor) return;
      const page = await fetchChildren(code, current.nextCursor, PAGE_SIZE);
      store(code, { items: [...current.items, ...page.items], nextCursor: page.nextCursor ?? null });
    },
    [fetchChildren, store],
  );

  const find = useCallback(
    (code: string): T | undefined => {
      const inRoots = roots?.find((item) => item.code === code);
      if (inRoots) return inRoots;
      for (const page of childrenRef.current.values()) {
        const hit = page.items.find((item) => item.code === code);
        if (hit) return hit;
      }
      return undefined;
    },
    [roots],
  );

  const treeData = useMemo(() => {
    const build = (item: T, depth: number): TreeDataNode => {
      const page = children.get(item.code);
      const node: TreeDataNode = {
        key: item.code,
        title: renderTitle(item),
        isLeaf: item.childCount === 0 && !page?.items.length,
      };
      if (page && depth < 64) {
        node.children = page.items.map((child) => build(child, depth + 1));
        if (page.nextCursor) {
          node.children.push({
            key: `${MORE_PREFIX}${item.code}`,
            title: <span style={{ color: '#c8161e' }}>加载更多…</span>,
            isLeaf: true,
          });
        }
      }
      return node;
    };
    return (roots ?? []).map((item) => build(item, 0));
  }, [roots, children, renderTitle]);

  const reveal = useCallback(
    async (pathCodes: string[]) => {
      const rootCodes = new Set((roots ?? []).map((item) => item.code));
      const start = pathCodes.findIndex((code) => rootCodes.has(code));
      if (start < 0) return;
      const toExpand: string[] = [];
      for (let i = start; i < pathCodes.length - 1; i++) {
        const code = pathCodes[i]!;
        let page = await loadChildren(code);
        // The next step may sit on a later page of a long child list.
        while (!page.items.some((item) => item.code === pathCodes[i + 1]) && page.nextCursor) {
          await loadMore(code);
          page = childrenRef.current.get(code)!;
        }
        toExpand.push(code);
      }
      const last = pathCodes[pathCodes.length - 1];
      const lastItem = last ? find(last) : undefined;
      if (last && lastItem && lastItem.childCount > 0) {
        const page = await loadChildren(last);
        if (page.items.length > 0) toExpand.push(last);
      }
      setExpandedKeys((keys) => Array.from(new Set([...keys, ...toExpand])));
    },
    [roots, loadChildren, loadMore, find],
  );

  const invalidate = useCallback(
    async (code: string) => {
      const next = new Map(childrenRef.current);
      next.delete(code);
      childrenRef.current = next;
      setChildren(next);
      await loadChildren(code);
    },
    [loadChildren],
  );

  return {
    treeData,
    loadedKeys: Array.from(children.keys()),
    expandedKeys,
    setExpandedKeys,
    roots,
    setRoots: setRootsState,
    onLoadData: async ({ key }) => {
      const code = String(key);
      if (code.startsWith(MORE_PREFIX)) return;
      await loadChildren(code);
    },
    handleMoreKey: (key: string) => {
      if (!key.startsWith(MORE_PREFIX)) return false;
      void loadMore(key.slice(MORE_PREFIX.length));
      return true;
    },
    reveal,
    invalidate,
    find,
  };
}
