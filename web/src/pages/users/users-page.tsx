// 用户管理: list with filters and cursor paging; create, edit, reset password or two-step verification, unlock, disable/enable.
import { useEffect, useMemo, useState } from 'react';
import { Alert, App, Badge, Button, Card, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { SCOPE_KIND_LABEL, formatTime, label } from '../../labels';
import type { Role, UserRow } from '../../types';
import { UserFormModal } from './user-form-modal';
import { usersApi } from './users-api';

function isLocked(user: UserRow): boolean {
  return Boolean(user.lockedUntil && dayjs(user.lockedUntil).isAfter(dayjs()));
}

export default function UsersPage() {
  const { can, user: me } = useAuth();
  const { message, modal } = App.useApp();
  const canWrite = can('user:write');
  const [q, setQ] = useState('');
  const [qInput, setQInput] = useState('');
  const [role, setRole] = useState<string | undefined>(undefined);
  const [roles, setRoles] = useState<Role[]>([]);
  const [formOpen, setFormOpen] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [secret, setSecret] = useState<{ username: string; password: string; created: boolean } | null>(null);
  const list = useCursorList<UserRow>('/users', { q: q || undefined, role }, 20);

  useEffect(() => {
    usersApi
      .roles()
      .then(setRoles)
      .catch((e: unknown) => message.error(errorMessage(e)));
  }, [message]);

  const run = async (action: () => Promise<UserRow | void>, success: string, row: UserRow) => {
    try {
      const updated = await action();
      if (updated) list.replaceItem((item) => item.id === row.id, updated);
      else list.reload();
      message.success(success);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const resetPassword = (row: UserRow) => {
    modal.confirm({
      title: `重置 ${row.displayName}（${row.username}）的密码？`,
      content: '将生成新的初始密码，用户下次登录时须修改。原密码立即失效。',
      okText: '重置',
      onOk: async () => {
        try {
          const result = await usersApi.resetPassword(row.id);
          setSecret({ username: row.username, password: result.initialPassword, created: false });
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  };

  const resetTotp = (row: UserRow) => {
    modal.confirm({
      title: `重置 ${row.displayName}（${row.username}）的两步验证？`,
      content: '用于手机丢失或更换：原验证器和恢复码立即失效，该用户的登录会话结束，下次登录后须重新设置。此操作记入审计日志。',
      okText: '重置',
      okButtonProps: { danger: true },
      onOk: () => run(() => usersApi.resetTotp(row.id), '已重置两步验证', row),
    });
  };

  const toggleStatus = (row: UserRow) => {
    const disabling = row.status === 'active';
    modal.confirm({
      title: `${disabling ? '停用' : '启用'}用户 ${row.displayName}（${row.username}）？`,
      content: disabling ? '停用后该用户无法登录，已登录的会话将失效。' : '启用后该用户可正常登录。',
      okText: disabling ? '停用' : '启用',
      okButtonProps: { danger: disabling },
      onOk: () =>
        run(() => usersApi.update(row.id, { status: disabling ? 'disabled' : 'active' }), disabling ? '已停用' : '已启用', row),
    });
  };

  const roleOptions = useMemo(() => roles.map((r) => ({ value: r.code, label: r.name })), [roles]);

  return (
    <Card
      title="用户管理"
      extra={
        canWrite && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => {
              setEditing(null);
              setFormOpen(true);
            }}
            data-testid="user-create"
          >
            新建用户
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          placeholder="用户名 / 姓名"
          allowClear
          value={qInput}
          onChange={(e) => setQInput(e.target.value)}
          onSearch={(value) => setQ(value.trim())}
          style={{ width: 240 }}
          enterButton="查询"
          data-testid="user-search"
        />
        <Select
          placeholder="全部角色"
          allowClear
          value={role}
          onChange={setRole}
          options={roleOptions}
          style={{ width: 200 }}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </Space>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<UserRow>
        rowKey={(row) => String(row.id)}
        size="middle"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1520 }}
        data-testid="users-table"
        columns={[
          { title: '用户名', dataIndex: 'username', width: 200, render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
          { title: '姓名', dataIndex: 'displayName', width: 170 },
          {
            title: '角色',
            dataIndex: 'roleNames',
            width: 170,
            render: (names: string[]) => (
              <Space size={[0, 4]} wrap>
                {names.map((name) => (
                  <Tag key={name} color="red">
                    {name}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: '数据范围',
            dataIndex: 'scope',
            width: 200,
            render: (scope: UserRow['scope']) => {
              const shown = scope.codes.map((code, i) => scope.names?.[i] ?? code);
              return (
                <Tooltip title={scope.codes.length ? scope.codes.map((code, i) => `${shown[i]}（${code}）`).join('，') : undefined}>
                  <span>
                    {label(SCOPE_KIND_LABEL, scope.kind)}
                    {shown.length > 0 && (
                      <Typography.Text type="secondary" style={{ marginLeft: 4 }}>
                        {shown.length === 1 ? shown[0] : `${shown[0]} 等 ${shown.length} 个`}
                      </Typography.Text>
                    )}
                  </span>
                </Tooltip>
              );
            },
          },
          { title: '手机号', dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? '—' },
          {
            title: '状态',
            dataIndex: 'status',
            width: 110,
            render: (_: string, row) =>
              row.status === 'disabled' ? (
                <Badge status="default" text="已停用" />
              ) : isLocked(row) ? (
                <Badge status="warning" text="已锁定" />
              ) : (
                <Badge status="success" text="正常" />
              ),
          },
          { title: '最后登录', dataIndex: 'lastLoginAt', width: 170, render: (v: string | null) => formatTime(v) },
          {
            title: '锁定至',
            dataIndex: 'lockedUntil',
            width: 170,
            render: (_: string | null, row) => (isLocked(row) ? formatTime(row.lockedUntil) : '—'),
          },
          ...(canWrite
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  fixed: 'right' as const,
                  width: 240,
                  render: (_: unknown, row: UserRow) => (
                    <Space size={0} wrap>
                      <Button
                        type="link"
                        size="small"
                        onClick={() => {
                          setEditing(row);
                          setFormOpen(true);
                        }}
                      >
                        编辑
                      </Button>
                      <Button type="link" size="small" onClick={() => resetPassword(row)}>
                        重置密码
                      </Button>
                      {row.totpEnabled && String(row.id) !== String(me?.id) && (
                        <Button type="link" size="small" onClick={() => resetTotp(row)}>
                          重置两步验证
                        </Button>
                      )}
                      {isLocked(row) && (
                        <Button type="link" size="small" onClick={() => run(() => usersApi.unlock(row.id), '已解锁', row)}>
                          解锁
                        </Button>
                      )}
                      {String(row.id) !== String(me?.id) && (
                        <Button type="link" size="small" danger={row.status === 'active'} onClick={() => toggleStatus(row)}>
                          {row.status === 'active' ? '停用' : '启用'}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />

      <UserFormModal
        open={formOpen}
        user={editing}
        roles={roles}
        onClose={() => setFormOpen(false)}
        onCreated={(created, initialPassword) => {
          setFormOpen(false);
          setSecret({ username: created.username, password: initialPassword, created: true });
          list.reload();
        }}
        onSaved={(saved) => {
          setFormOpen(false);
          message.success('已保存');
          list.replaceItem((item) => item.id === saved.id, saved);
        }}
      />

      <Modal
        open={Boolean(secret)}
        title={secret?.created ? '用户已创建' : '密码已重置'}
        onCancel={() => setSecret(null)}
        footer={
          <Button type="primary" onClick={() => setSecret(null)}>
            我已记下
          </Button>
        }
        mask={{ closable: false }}
      >
        {secret && (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title="初始密码只显示这一次，请通过安全渠道告知本人。用户首次登录时须修改密码。"
            />
            <p>
              用户名：<Typography.Text code>{secret.username}</Typography.Text>
            </p>
            <p>
              初始密码：
              <Typography.Text code copyable strong style={{ fontSize: 16 }} data-testid="initial-password">
                {secret.password}
              </Typography.Text>
            </p>
          </>
        )}
      </Modal>
    </Card>
  );
}
