// Picks one community in the caller's scope; opens on the first (a community worker has exactly one).
import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { forcesApi } from './forces-api';

export function CommunitySelect({ value, onChange, testId = 'community-select' }: {
  value: string | null;
  onChange: (code: string, name: string) => void;
  testId?: string;
}) {
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);

  useEffect(() => {
    forcesApi
      .communities()
      .then((result) => {
        const list = result.items.map((c) => ({ value: c.code, label: c.name }));
        setOptions(list);
        if (!value && list[0]) onChange(list[0].value, list[0].label);
      })
      .catch(() => setOptions([]));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <Select
      showSearch
      optionFilterProp="label"
      style={{ width: 200 }}
      placeholder="选择社区"
      value={value ?? undefined}
      options={options}
      onChange={(code: string) => onChange(code, options.find((o) => o.value === code)?.label ?? code)}
      data-testid={testId}
    />
  );
}
