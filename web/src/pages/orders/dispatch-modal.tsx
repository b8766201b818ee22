// 社区派单: to a member (suggested by matching, or searched in the forces register), to a branch, or openly.
import { useEffect, useState } from 'react';
import { Alert, App, Empty, Input, Modal, Radio, Select, Space, Spin, Tag, Typography } from 'antd';
import { api, ApiError, errorMessage } from '../../api';
import { ordersApi, type OrderDetail, type ServiceOrder, type Suggestion } from './orders-api';

interface Props {
  order: ServiceOrder | null;
  action: 'dispatch' | 'redispatch';
  onClose: () => void;
  onDone: (detail: OrderDetail) => void;
}

export function DispatchModal({ order, action, onClose, onDone }: Props) {
  const { message } = App.useApp();
  const [mode, setMode] = useState<'member' | 'branch' | 'open'>('member');
  const [forceId, setForceId] = useState<number | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [suggestError, setSuggestError] = useState<string | null>(null);
  const [searchOptions, setSearchOptions] = useState<{ value: number; label: string }[]>([]);
  const [branch, setBranch] = useState<{ code: string; name: string } | null>(null);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!order) return;
    setMode('member');
    setForceId(null);
    setNote('');
    setSuggestions(null);
    setSuggestError(null);
    // Matching may not be available: then staff search the forces register instead.
    ordersApi
      .suggestions(order.id)
      .then((r) => setSuggestions(r.items))
      .catch((e) => {
        setSuggestions([]);
        if (!(e instanceof ApiError && e.status === 404)) setSuggestError(errorMessage(e));
      });
    const code = `P${order.communityCode}F01`;
    api
      .get<{ code: string; name: string }>(`/org/nodes/${code}`)
      .then((o) => setBranch({ code: o.code, name: o.name }))
      .catch(() => setBranch(null));
    void search('');
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [order?.id]);

  const search = async (q: string) => {
    if (!order) return;
    try {
      const page = await ordersApi.forces(order.communityCode, q || undefined);
      setSearchOptions(page.items.map((f) => ({ value: f.id, label: `${f.name ?? '—'} · ${f.communityName} · 在办 ${f.openLoad}` })));
    } catch {
      setSearchOptions([]);
    }
  };

  const submit = async () => {
    if (!order) return;
    if (mode === 'member' && !forceId) {
      message.warning('请选择接单党员');
      return;
    }
    if (mode === 'branch' && !branch) {
      message.warning('本社区没有功能型党支部');
      return;
    }
    setSaving(true);
    try {
      const detail = await ordersApi.act(order.id, {
        action,
        mode,
        ...(mode === 'member' && forceId ? { forceId } : {}),
        ...(mode === 'branch' && branch ? { orgCode: branch.code } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      message.success(action === 'dispatch' ? '已派单' : '已改派');
      onDone(detail);
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={order !== null}
      title={`${action === 'dispatch' ? '派单' : '改派'}：${order?.title ?? ''}`}
      onCancel={onClose}
      onOk={submit}
      okText="确定派单"
      confirmLoading={saving}
      width={640}
      destroyOnHidden
      data-testid="dispatch-modal"
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} optionType="button" buttonStyle="solid" data-testid="dispatch-mode">
          <Radio.Button value="member">派给党员</Radio.Button>
          <Radio.Button value="branch">派给支部</Radio.Button>
          <Radio.Button value="open">公开招募</Radio.Button>
        </Radio.Group>
        {mode === 'member' && (
          <>
            <Typography.Text type="secondary">推荐人选（按技能、距离、时间、当前负荷、评价匹配）</Typography.Text>
            {suggestions === null ? (
              <Spin />
            ) : suggestions.length === 0 ? (
              suggestError ? <Alert type="warning" showIcon message={suggestError} /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无推荐，请在下方搜索" />
            ) : (
              <Radio.Group value={forceId} onChange={(e) => setForceId(e.target.value)} style={{ width: '100%' }} data-testid="suggestions">
                <Space orientation="vertical" style={{ width: '100%', maxHeight: 260, overflow: 'auto' }}>
                  {suggestions.map((s) => (
                    <Radio key={s.memberId} value={s.memberId}>
                      <Typography.Text strong>{s.name ?? '—'}</Typography.Text>
                      <Tag style={{ marginLeft: 8 }} color="red">{Math.round(s.score)} 分</Tag>
                      <span style={{ color: '#888' }}>{s.reasons.join('；')}</span>
                    </Radio>
                  ))}
                </Space>
              </Radio.Group>
            )}
            <Select
              showSearch
              allowClear
              placeholder="或按姓名搜索本社区党员"
              filterOption={false}
              onSearch={(q) => void search(q)}
              options={searchOptions}
              value={forceId ?? undefined}
              onChange={(v) => setForceId(v ?? null)}
              style={{ width: '100%' }}
              data-testid="member-search"
            />
          </>
        )}
        {mode === 'branch' &&
          (branch ? (
            <Alert type="info" showIcon message={`派给：${branch.name}`} description="支部内任一报到党员都可接单，先接者得。" />
          ) : (
            <Alert type="warning" showIcon message="本社区没有功能型党支部" />
          ))}
        {mode === 'open' && <Alert type="info" showIcon message="公开招募：本社区所有报到党员都会收到通知，先接者得。" />}
        <Input.TextArea rows={2} placeholder="派单说明（选填）" value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} />
      </Space>
    </Modal>
  );
}
