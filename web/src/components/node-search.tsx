// Search box over a tree's /search endpoint (name fragment, pinyin, code prefix); picking a hit selects it.
import { useEffect, useRef, useState } from 'react';
import { Select, Tag } from 'antd';
import { errorMessage } from '../api';

export interface SearchHit {
  code: string;
  name: string;
  kind: string;
}

export function NodeSearch<T extends SearchHit>({
  search,
  kindLabel,
  onPick,
  placeholder,
  testId,
}: {
  search: (q: string) => Promise<{ items: T[] }>;
  kindLabel: Record<string, string>;
  onPick: (hit: T) => void;
  placeholder: string;
  testId?: string;
}) {
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<T[]>([]);
  const [loading, setLoading] = useState(false);
  const [notFound, setNotFound] = useState('无匹配结果');
  const timer = useRef<number | undefined>(undefined);

  useEffect(() => {
    window.clearTimeout(timer.current);
    const q = query.trim();
    if (!q) {
      setHits([]);
      return;
    }
    let cancelled = false;
    timer.current = window.setTimeout(() => {
      setLoading(true);
      search(q)
        .then((result) => {
          if (!cancelled) {
            setHits(result.items);
            setNotFound('无匹配结果');
          }
        })
        .catch((e: unknown) => {
          if (!cancelled) {
            setHits([]);
            setNotFound(errorMessage(e));
          }
        })
        .finally(() => {
          if (!cancelled) setLoading(false);
        });
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer.current);
    };
  }, [query, search]);

  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQuery, searchValue: query }}
      value={null}
      placeholder={placeholder}
      style={{ width: '100%' }}
      loading={loading}
      notFoundContent={query.trim() ? (loading ? '搜索中…' : notFound) : '输入名称、拼音或编码'}
      data-testid={testId}
      onChange={(code: string) => {
        const hit = hits.find((item) => item.code === code);
        if (hit) onPick(hit);
        setQuery('');
      }}
      options={hits.map((hit) => ({
        value: hit.code,
        label: (
          <span>
            <Tag style={{ marginInlineEnd: 6 }}>{kindLabel[hit.kind] ?? hit.kind}</Tag>
            {hit.name}
            <span style={{ color: '#999', marginLeft: 6, fontSize: 12 }}>{hit.code}</span>
          </span>
        ),
      }))}
    />
  );
}
