// Multi-select of territory nodes (data-scope codes) as a lazily loaded TreeSelect.
import { useEffect, useState } from 'react';
import { TreeSelect } from 'antd';
import { api } from '../api';
import { TERRITORY_KIND_LABEL } from '../labels';
import type { Page, TerritoryNodeSummary } from '../types';

interface FlatNode {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
}

function toFlat(item: TerritoryNodeSummary, parent: string | null): FlatNode {
  return {
    id: item.code,
    pId: parent,
    value: item.code,
    title: `${item.name}（${TERRITORY_KIND_LABEL[item.kind] ?? item.kind} ${item.code}）`,
    isLeaf: item.childCount === 0,
  };
}

export function TerritoryPicker({
  value,
  onChange,
  multiple = true,
}: {
  value?: string[];
  onChange?: (value: string[]) => void;
  multiple?: boolean;
}) {
  const [nodes, setNodes] = useState<FlatNode[]>([]);

  useEffect(() => {
    api
      .get<{ items: TerritoryNodeSummary[] }>('/territory/roots')
      .then((result) => setNodes(result.items.map((item) => toFlat(item, null))))
      .catch(() => setNodes([]));
  }, []);

  const loadData = async ({ id }: { id?: string }) => {
    if (!id) return;
    const page = await api.get<Page<TerritoryNodeSummary>>(`/territory/nodes/${encodeURIComponent(id)}/children`, {
      limit: 200,
    });
    setNodes((previous) => {
      const known = new Set(previous.map((n) => n.id));
      return [...previous, ...page.items.filter((item) => !known.has(item.code)).map((item) => toFlat(item, id))];
    });
  };

  return (
    <TreeSelect
      treeDataSimpleMode
      treeData={nodes}
      loadData={(node) => loadData(node as { id?: string })}
      multiple={multiple}
      value={value}
      onChange={(v: string[] | string) => onChange?.(Array.isArray(v) ? v : v ? [v] : [])}
      placeholder="选择区划节点（街道、社区、网格等）"
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 360 } } }}
      data-testid="scope-picker"
    />
  );
}
