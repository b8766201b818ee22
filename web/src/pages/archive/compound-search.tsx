// Search box for compounds (and buildings, which open their compound) over the territory search.
import { useCallback } from 'react';
import { useNavigate } from 'react-router-dom';
import { NodeSearch } from '../../components/node-search';
import { TERRITORY_KIND_LABEL } from '../../labels';
import { territoryApi } from '../territory/territory-api';
import { compoundOf } from './archive-api';

export function CompoundSearch({ width = 320 }: { width?: number | string }) {
  const navigate = useNavigate();
  const search = useCallback(
    async (q: string) => {
      const result = await territoryApi.search(q, 50);
      return { items: result.items.filter((item) => item.kind === 'compound' || item.kind === 'building').slice(0, 20) };
    },
    [],
  );
  return (
    <div style={{ width }}>
      <NodeSearch
        search={search}
        kindLabel={TERRITORY_KIND_LABEL}
        placeholder="搜索小区 / 楼幢（名称或拼音）"
        testId="compound-search"
        onPick={(hit) => {
          const compound = compoundOf(hit.code);
          navigate(`/archive/compounds/${compound}${hit.kind === 'building' ? `?building=${hit.code}` : ''}`);
        }}
      />
    </div>
  );
}
