// Cursor pagination for `{items, nextCursor}` lists: first page on filter change, "加载更多" appends.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, errorMessage } from '../api';
import type { Page } from '../types';

type Filters = Record<string, string | number | undefined>;

export interface CursorList<T> {
  items: T[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
  replaceItem: (match: (item: T) => boolean, next: T) => void;
}

/** Loads `path` with `filters`, `limit` rows a page. */
export function useCursorList<T>(path: string, filters: Filters, limit = 20): CursorList<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const requestId = useRef(0);
  const filterKey = JSON.stringify(filters);

  const fetchPage = useCallback(
    async (from: string | null, append: boolean) => {
      const id = ++requestId.current;
      setLoading(true);
      setError(null);
      try {
        const page = await api.get<Page<T>>(path, { ...(JSON.parse(filterKey) as Filters), limit, cursor: from ?? undefined });
        if (id !== requestId.current) return;
        setItems((previous) => (append ? [...previous, ...page.items] : page.items));
        setCursor(page.nextCursor ?? null);
      } catch (e) {
        if (id !== requestId.current) return;
        setError(errorMessage(e));
        // a refused search must not leave the previous filter's rows on screen as if they were its answer
        if (!append) { setItems([]); setCursor(null); }
      } finally {
        if (id === requestId.current) setLoading(false);
      }
    },
    [path, filterKey, limit],
  );

  useEffect(() => {
    void fetchPage(null, false);
  }, [fetchPage, version]);

  return {
    items,
    loading,
    error,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor) void fetchPage(cursor, true);
    },
    reload: () => setVersion((v) => v + 1),
    replaceItem: (match, next) => setItems((previous) => previous.map((item) => (match(item) ? next : item))),
  };
}
