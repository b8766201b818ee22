// 队伍: volunteer teams, governance teams and clubs of a community, with members and a leader.
import { useEffect, useState } from 'react';
import { App, Button, Card, Drawer, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { CrownOutlined, PlusOutlined } from '@ant-design/icons';
import { errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { useAuth } from '../../auth';
import { CommunitySelect } from './community-select';
import { FORCE_KIND_COLOR, FORCE_KIND_LABEL, TEAM_KIND_LABEL, forcesApi, type ForcePerson, type Team, type TeamDetail } from './forces-api';
import { SkillTags, useSkills } from './forces-page';

function TeamDrawer({ teamId, communityCode, onClose, onChanged }: { teamId: number | null; communityCode: string | null; onClose: () => void; onChanged: () => void }) {
  const { message } = App.useApp();
  const { can } = useAuth();
  const { names } = useSkills();
  const [team, setTeam] = useState<TeamDetail | null>(null);
  const [candidates, setCandidates] = useState<ForcePerson[]>([]);
  const [picked, setPicked] = useState<number | null>(null);
  useEffect(() => {
    setTeam(null);
    if (teamId) forcesApi.team(teamId).then(setTeam).catch((e: unknown) => message.error(errorMessage(e)));
  }, [teamId, message]);
  const search = (q: string) =>
    forcesApi.persons({ communityCode: communityCode ?? undefined, q: q || undefined, status: 'active', limit: 20 })
      .then((r) => setCandidates(r.items)).catch(() => setCandidates([]));
  const act = async (work: () => Promise<TeamDetail>) => {
    try {
      setTeam(await work());
      onChanged();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const writable = can('forces:write');
  return (
    <Drawer open={teamId !== null} onClose={onClose} width={640} title={team ? `${team.name}（${TEAM_KIND_LABEL[team.kind] ?? team.kind}）` : '队伍'}>
      {team && (
        <>
          <Typography.Paragraph type="secondary">{team.description || '暂无简介'}</Typography.Paragraph>
          {writable && (
            <Space style={{ marginBottom: 12 }}>
              <Select showSearch filterOption={false} onSearch={search} onFocus={() => search('')} style={{ width: 280 }} placeholder="从本社区力量名册中选择"
                value={picked ?? undefined} onChange={(v: number) => setPicked(v)}
                options={candidates.map((c) => ({ value: c.id, label: `${c.name ?? ''}　${FORCE_KIND_LABEL[c.kind] ?? c.kind}` }))} />
              <Button disabled={!picked} onClick={() => picked && act(() => forcesApi.addMember(team.id, picked, 'member'))}>加入队伍</Button>
            </Space>
          )}
          <Table
            rowKey="forceId"
            size="small"
            pagination={false}
            dataSource={team.memberList}
            columns={[
              { title: '姓名', dataIndex: 'name', render: (v: string, r) => (<Space>{v}{r.role === 'leader' && <Tag color="gold" icon={<CrownOutlined />}>队长</Tag>}</Space>) },
              { title: '类别', dataIndex: 'kind', render: (v: string) => <Tag color={FORCE_KIND_COLOR[v]}>{FORCE_KIND_LABEL[v] ?? v}</Tag> },
              { title: '技能', dataIndex: 'skills', render: (v: string[]) => <SkillTags codes={v} skills={names} /> },
              { title: '加入日期', dataIndex: 'joinedOn', width: 110 },
              ...(writable
                ? [{
                    title: '', key: 'op', width: 150,
                    render: (_: unknown, r: TeamDetail['memberList'][number]) => (
                      <Space size={0}>
                        {r.role !== 'leader' && <Button type="link" size="small" onClick={() => act(() => forcesApi.addMember(team.id, r.forceId, 'leader'))}>设为队长</Button>}
                        <Popconfirm title="移出队伍？" onConfirm={() => act(() => forcesApi.removeMember(team.id, r.forceId))}>
                          <Button type="link" size="small" danger>移出</Button>
                        </Popconfirm>
                      </Space>
                    ),
                  }]
                : []),
            ]}
          />
        </>
      )}
    </Drawer>
  );
}

export default function TeamsPage() {
  const { message } = App.useApp();
  const { can } = useAuth();
  const [communityCode, setCommunityCode] = useState<string | null>(null);
  const [kind, setKind] = useState<string | undefined>();
  const [open, setOpen] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm();
  const list = useCursorList<Team>('/forces/teams', { communityCode: communityCode ?? undefined, kind }, 50);

  const create = async () => {
    const values = (await form.validateFields()) as { kind: string; name: string; description?: string };
    try {
      const team = await forcesApi.createTeam({ ...values, communityCode: communityCode! });
      message.success('已新建队伍');
      setCreating(false);
      form.resetFields();
      list.reload();
      setOpen(team.id);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Card
      title="队伍"
      extra={can('forces:write') && <Button type="primary" icon={<PlusOutlined />} disabled={!communityCode} onClick={() => setCreating(true)}>新建队伍</Button>}
    >
      <Space style={{ marginBottom: 12 }}>
        <CommunitySelect value={communityCode} onChange={(code) => setCommunityCode(code)} />
        <Select allowClear placeholder="队伍类型" style={{ width: 150 }} value={kind} onChange={(v: string | undefined) => setKind(v)}
          options={Object.entries(TEAM_KIND_LABEL).map(([value, label]) => ({ value, label }))} />
      </Space>
      <Table<Team>
        rowKey="id"
        dataSource={communityCode ? list.items : []}
        loading={list.loading && list.items.length === 0}
        pagination={false}
        onRow={(r) => ({ onClick: () => setOpen(r.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: '队伍', dataIndex: 'name' },
          { title: '类型', dataIndex: 'kind', width: 130, render: (v: string) => <Tag color="blue">{TEAM_KIND_LABEL[v] ?? v}</Tag> },
          { title: '社区', dataIndex: 'communityName', width: 130 },
          { title: '队长', dataIndex: 'leaderName', width: 100, render: (v: string | null) => v ?? '—' },
          { title: '队员', dataIndex: 'members', width: 80 },
          { title: '简介', dataIndex: 'description', ellipsis: true },
        ]}
      />
      <LoadMore hasMore={list.hasMore} loading={list.loading} onClick={list.loadMore} count={list.items.length} />
      <TeamDrawer teamId={open} communityCode={communityCode} onClose={() => setOpen(null)} onChanged={list.reload} />
      <Modal title="新建队伍" open={creating} onCancel={() => setCreating(false)} onOk={create} okText="新建">
        <Form form={form} layout="vertical" initialValues={{ kind: 'volunteer' }}>
          <Form.Item name="name" label="名称" rules={[{ required: true, max: 100 }]}>
            <Input placeholder="如：红马甲志愿服务队" />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true }]}>
            <Select options={Object.entries(TEAM_KIND_LABEL).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item name="description" label="简介">
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
