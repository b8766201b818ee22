// 角色: the built-in roles and what each may do (read-only; roles change with releases, not at runtime).
import { useEffect, useState } from 'react';
import { Alert, Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { errorMessage } from '../../api';
import { SCOPE_KIND_LABEL, label, permissionLabel } from '../../labels';
import type { Role } from '../../types';
import { usersApi } from '../users/users-api';

export default function RolesPage() {
  const [roles, setRoles] = useState<Role[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    usersApi
      .roles()
      .then(setRoles)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);

  return (
    <Card title="角色与权限">
      <Typography.Paragraph type="secondary">
        角色由系统内置，决定用户可使用的功能；用户能看到的数据另由其“数据范围”限定。
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<Role>
        rowKey="code"
        loading={!roles && !error}
        dataSource={roles ?? []}
        pagination={false}
        data-testid="roles-table"
        columns={[
          {
            title: '角色',
            dataIndex: 'name',
            width: 180,
            render: (name: string, row) => (
              <Tooltip title={`角色编码：${row.code}`}>
                <strong>{name}</strong>
              </Tooltip>
            ),
          },
          { title: '说明', dataIndex: 'description', width: 260, render: (v: string) => v || '—' },
          {
            title: '默认数据范围',
            dataIndex: 'defaultScope',
            width: 120,
            render: (v: string) => label(SCOPE_KIND_LABEL, v),
          },
          {
            title: '权限',
            dataIndex: 'permissions',
            render: (permissions: string[]) =>
              permissions.length === 0 ? (
                <Typography.Text type="secondary">无后台权限（使用移动端功能）</Typography.Text>
              ) : (
              <Space size={[0, 4]} wrap>
                {permissions.map((p) => (
                  <Tooltip key={p} title={p}>
                    <Tag color={p.endsWith(':read') ? 'blue' : 'volcano'}>{permissionLabel(p)}</Tag>
                  </Tooltip>
                ))}
              </Space>
              ),
          },
        ]}
      />
    </Card>
  );
}
