// 导出 Excel: downloads `path` with the page's filters and format=xlsx; says so when the file is on its way.
import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, errorMessage, type Query } from '../api';

export function ExportButton({ path, query, fileName, masked = false, testId }: {
  path: string;
  /** the filters the page shows its list with (empty values are left out) */
  query: Query;
  fileName: string;
  /** the export holds personal data, shown masked as on the screen */
  masked?: boolean;
  testId?: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await api.download(path, { ...query, format: 'xlsx' }, fileName);
      message.success(masked ? '已导出（个人信息已脱敏）' : '已导出');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return <Button icon={<DownloadOutlined />} onClick={run} loading={busy} data-testid={testId}>导出 Excel</Button>;
}
