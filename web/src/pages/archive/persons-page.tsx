// 居民查询: search residents in my scope by name, pinyin, a whole ID/mobile number, name + last four or address; masked
// table, Excel export, 查看明文. A partial number is an unmasking (server rule: platform/people-search.ts): only holders
// of people:unmask, with a reason.
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { Alert, App, Button, Card, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { GENDER_LABEL, MEMBER_TYPE_LABEL, RELATION_LABEL, label } from '../../labels';
import { archiveApi, compoundOf, type AttentionTag, type PersonRow } from './archive-api';
import { PersonDrawer } from './person-drawer';
import { UnmaskButton } from './unmask-modal';
import { useAuth } from '../../auth';

/** A digit string that is neither a whole mobile (11) nor a whole ID number (18): the server treats it as an unmasking. */
export function isPartialNumber(text: string): boolean {
  const compact = text.normalize('NFKC').replace(/\s+/g, '');
  if (!/^[0-9]+[Xx]?$/.test(compact)) return false;
  return !(/^1[0-9]{10}$/.test(compact) || compact.length === 18);
}

interface Filters {
  q?: string;
  reason?: string;
  tag?: string;
  memberType?: string;
  relation?: string;
}

export default function PersonsPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const unmasker = can('people:unmask');
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const partial = unmasker && isPartialNumber(text);
  const [filters, setFilters] = useState<Filters>({});
  const [tags, setTags] = useState<AttentionTag[]>([]);
  const [exporting, setExporting] = useState(false);
  const [openPerson, setOpenPerson] = useState<string | number | null>(null);
  const list = useCursorList<PersonRow>('/archive/persons', filters as Record<string, string | undefined>, 20);

  useEffect(() => {
    archiveApi
      .tags()
      .then((result) => setTags(result.items))
      .catch(() => setTags([]));
  }, []);

  const set = (patch: Partial<Filters>) => setFilters((previous) => ({ ...previous, ...patch }));

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await api.download('/archive/persons', { ...filters, format: 'xlsx' }, '居民查询.xlsx');
      message.success('已导出（个人信息已脱敏）');
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const columns = useMemo(
    () => [
      {
        title: '姓名',
        key: 'name',
        width: 150,
        render: (_: unknown, row: PersonRow) => (
          <Space size={6}>
            <span data-testid="person-name">{row.name}</span>
            <UnmaskButton personId={row.id} maskedName={row.name} />
          </Space>
        ),
      },
      { title: '性别', dataIndex: 'gender', width: 60, render: (v: string | null) => label(GENDER_LABEL, v) },
      { title: '年龄', dataIndex: 'age', width: 60, render: (v: number | null) => v ?? '—' },
      { title: '身份证号', dataIndex: 'idNumber', width: 180, render: (v: string | null) => <span data-testid="person-id">{v ?? '—'}</span> },
      { title: '手机号', dataIndex: 'mobile', width: 120, render: (v: string | null) => v ?? '—' },
      {
        title: '住址',
        key: 'address',
        render: (_: unknown, row: PersonRow) =>
          row.buildingCode ? (
            <Link
              to={`/archive/compounds/${compoundOf(row.buildingCode)}?building=${row.buildingCode}`}
              onClick={(event) => event.stopPropagation()}
            >
              {row.address ?? '—'}
            </Link>
          ) : (
            (row.address ?? '—')
          ),
      },
      { title: '关系', dataIndex: 'relation', width: 90, render: (v: string | null) => (v ? <Tag>{label(RELATION_LABEL, v)}</Tag> : '—') },
      {
        title: '党员 / 关注',
        key: 'marks',
        width: 200,
        render: (_: unknown, row: PersonRow) => (
          <Space size={[4, 4]} wrap>
            {row.partyMemberType && <Tag color="red">{label(MEMBER_TYPE_LABEL, row.partyMemberType)}</Tag>}
            {row.tags.map((t) => (
              <Tag color="orange" key={t.code}>
                {t.name}
              </Tag>
            ))}
            {!row.partyMemberType && row.tags.length === 0 && '—'}
          </Space>
        ),
      },
    ],
    [],
  );

  return (
    <Card
      title="居民查询"
      extra={
        <Button icon={<DownloadOutlined />} onClick={exportXlsx} loading={exporting} data-testid="persons-export">
          导出 Excel
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          enterButton="查询"
          style={{ width: 460 }}
          placeholder="姓名 / 拼音 / 完整身份证号或手机号 / 张 5678 / 地址如 3-2-501"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value) set({ q: undefined, reason: undefined });
          }}
          onSearch={(value) => {
            const q = value.trim() || undefined;
            if (q && unmasker && isPartialNumber(q)) {
              if ([...reason.trim()].length < 5) {
                message.warning('按号码片段查询属于查看原文：请先填写事由（至少 5 个字）');
                return;
              }
              set({ q, reason: reason.trim() });
            } else set({ q, reason: undefined });
          }}
          data-testid="persons-search"
        />
        {partial && (
          <Input
            style={{ width: 240 }}
            maxLength={200}
            placeholder="号码片段查询事由（必填，留痕）"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="persons-search-reason"
          />
        )}
        <Select
          allowClear
          placeholder="关注标签"
          style={{ width: 160 }}
          value={filters.tag}
          onChange={(v: string | undefined) => set({ tag: v })}
          options={tags.map((t) => ({ value: t.code, label: t.name }))}
          data-testid="filter-tag"
        />
        <Select
          allowClear
          placeholder="党员类型"
          style={{ width: 130 }}
          value={filters.memberType}
          onChange={(v: string | undefined) => set({ memberType: v })}
          options={Object.entries(MEMBER_TYPE_LABEL).map(([value, text]) => ({ value, label: text }))}
          data-testid="filter-member"
        />
        <Select
          allowClear
          placeholder="居住关系"
          style={{ width: 130 }}
          value={filters.relation}
          onChange={(v: string | undefined) => set({ relation: v })}
          options={Object.entries(RELATION_LABEL).map(([value, text]) => ({ value, label: text }))}
          data-testid="filter-relation"
        />
      </Space>
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        个人信息已脱敏（姓名、身份证号、手机号、门牌号）。点击一行查看人员详情。导出的 Excel 同样脱敏。查看明文需说明理由，并记入审计日志。
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginTop: -4, marginBottom: 12 }} data-testid="persons-search-hint">
        {unmasker
          ? '可按姓名、拼音、地址、完整的 18 位身份证号或 11 位手机号、“姓名 手机号后四位”（如：张 5678）查询。按号码片段查询属于查看原文：须填写事由，留痕审计，并计入每小时查看原文次数。'
          : '可按姓名、拼音、地址、完整的 18 位身份证号或 11 位手机号、“姓名 手机号后四位”（如：张 5678）查询。为保护居民个人信息，不能按号码片段查询。'}
      </Typography.Paragraph>
      {list.error && <Alert type="error" showIcon title={list.error} style={{ marginBottom: 12 }} />}
      <Table<PersonRow>
        rowKey={(row) => String(row.id)}
        size="small"
        loading={list.loading}
        dataSource={list.items}
        pagination={false}
        scroll={{ x: 1200 }}
        columns={columns}
        onRow={(row) => ({
          // Clicks inside the 查看明文 modal bubble here through the React tree; only clicks on the row itself open the drawer.
          onClick: (event) => {
            if (event.currentTarget.contains(event.target as Node)) setOpenPerson(row.id);
          },
          style: { cursor: 'pointer' },
        })}
        data-testid="persons-table"
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <PersonDrawer personId={openPerson} onClose={() => setOpenPerson(null)} />
    </Card>
  );
}
