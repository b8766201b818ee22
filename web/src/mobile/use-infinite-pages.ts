// Cursor pages for antd-mobile's InfiniteScroll: `loadMore` appends the next page until there is none.
import { useCallback, useState } from 'react';
import { errorMessage } from '../api';

export interface InfinitePages<T> {
  items: T[];
  hasMore: boolean;
  error: string | null;
  loadMore: () => Promise<void>;
  setItems: (update: (items: T[]) => T[]) => void;
}

/** `deps`: when one changes (a filter), the list starts again from the first page. */
export function useInfinitePages<T>(fetchPage: (cursor: string | null) => Promise<{ items: T[]; nextCursor: string | null }>,
  deps: readonly unknown[] = []): InfinitePages<T> {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify(deps);
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    // a new filter: drop the pages of the old one (state set during render, as React documents for derived resets)
    setShownKey(key);
    setItems([]);
    setCursor(null);
    setHasMore(true);
    setError(null);
  }
  const loadMore = useCallback(async () => {
    try {
      const page = await fetchPage(cursor);
      setItems((previous) => [...previous, ...page.items]);
      setCursor(page.nextCursor);
      setHasMore(Boolean(page.nextCursor));
    } catch (e) {
      setError(errorMessage(e));
      setHasMore(false);
    }
  }, [cursor, key]); // eslint-disable-line react-hooks/exhaustive-deps -- fetchPage is a fresh closure each render
  return { items, hasMore, error, loadMore, setItems };
}
