// A building's units → rooms grid (floors top-down), and a room's households, residents (masked) and visits.
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Tooltip,
  Typography,
  App,
} from 'antd';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import {
  GENDER_LABEL,
  HOUSEHOLD_KIND_LABEL,
  MEMBER_TYPE_LABEL,
  POST_LABEL,
  RELATION_LABEL,
  VISIT_KIND_LABEL,
  formatTime,
  label,
} from '../../labels';
import { archiveApi, buildingLabel, type BuildingArchive, type Resident, type RoomArchive, type RoomCell } from './archive-api';
import { UnmaskButton } from './unmask-modal';

function RoomGrid({ rooms, selected, onPick }: { rooms: RoomCell[]; selected: string | null; onPick: (code: string) => void }) {
  const floors = Array.from(new Set(rooms.map((r) => r.floor))).sort((a, b) => b - a);
  const perFloor = Math.max(1, ...floors.map((f) => rooms.filter((r) => r.floor === f).length));
  return (
    <div className="linli-room-grid" style={{ gridTemplateColumns: `36px repeat(${perFloor}, minmax(80px, 1fr))` }}>
      {floors.flatMap((floor) => {
        const onFloor = rooms.filter((r) => r.floor === floor).sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }));
        const cells = onFloor.map((room) => {
          const empty = room.households === 0 && room.residents === 0;
          return (
            <div
              key={room.code}
              className={`linli-room-cell${room.code === selected ? ' selected' : ''}${empty ? ' empty' : ''}`}
              onClick={() => onPick(room.code)}
              data-testid="room-cell"
              data-code={room.code}
              role="button"
            >
              <div className="linli-room-label">{room.label}</div>
              <div>{empty ? '无人居住' : `${room.households}户 ${room.residents}人`}</div>
              <div className="linli-room-marks">
                {room.partyMembers > 0 && (
                  <Tooltip title={`党员 ${room.partyMembers} 人`}>
                    <span className="linli-mark linli-mark-member">党{room.partyMembers > 1 ? room.partyMembers : ''}</span>
                  </Tooltip>
                )}
                {room.tagged > 0 && (
                  <Tooltip title={`关注人员 ${room.tagged} 人`}>
                    <span className="linli-mark linli-mark-tag">关注{room.tagged > 1 ? room.tagged : ''}</span>
                  </Tooltip>
                )}
              </div>
            </div>
          );
        });
        const pad = Array.from({ length: perFloor - onFloor.length }, (_, i) => <div key={`pad-${floor}-${i}`} />);
        return [
          <div key={`f-${floor}`} className="linli-floor-label">
            {floor}层
          </div>,
          ...cells,
          ...pad,
        ];
      })}
    </div>
  );
}

function VisitForm({ room, onSaved }: { room: RoomArchive; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<{ kind: string; note: string; householdId?: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async (values: { kind: string; note: string; householdId?: string }) => {
    setSaving(true);
    try {
      await archiveApi.visit({ roomCode: room.code, householdId: values.householdId, kind: values.kind, note: values.note.trim() });
      message.success('走访已登记');
      form.resetFields();
      onSaved();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Form form={form} layout="inline" onFinish={submit} initialValues={{ kind: 'visit' }} style={{ rowGap: 8 }}>
      <Form.Item name="kind">
        <Select style={{ width: 90 }} options={Object.entries(VISIT_KIND_LABEL).map(([value, text]) => ({ value, label: text }))} />
      </Form.Item>
      <Form.Item name="note" rules={[{ required: true, whitespace: true, message: '请填写走访情况' }]} style={{ flex: 1 }}>
        <Input placeholder="走访情况，如：老人身体良好，需求已转社工跟进" maxLength={2000} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        登记走访
      </Button>
    </Form>
  );
}

function residentColumns() {
  return [
    {
      title: '姓名',
      key: 'name',
      width: 150,
      render: (_: unknown, r: Resident) => (
        <Space size={0} vertical>
          <span data-testid="resident-name">{r.name}</span>
          <UnmaskButton personId={r.personId} maskedName={r.name} fields={['name', 'idNumber', 'mobile']} />
        </Space>
      ),
    },
    { title: '性别', dataIndex: 'gender', width: 56, render: (v: string | null) => label(GENDER_LABEL, v) },
    { title: '年龄', dataIndex: 'age', width: 56, render: (v: number | null) => v ?? '—' },
    { title: '关系', dataIndex: 'relation', width: 84, render: (v: string) => <Tag>{label(RELATION_LABEL, v)}</Tag> },
    { title: '身份证号', dataIndex: 'idNumber', width: 170, render: (v: string | null) => v ?? '—' },
    { title: '手机号', dataIndex: 'mobile', width: 116, render: (v: string | null) => v ?? '—' },
    {
      title: '党员 / 关注',
      key: 'marks',
      render: (_: unknown, r: Resident) => (
        <Space size={[4, 4]} wrap>
          {r.partyMemberType && <Tag color="red">{label(MEMBER_TYPE_LABEL, r.partyMemberType)}</Tag>}
          {r.tags.map((t) => (
            <Tag color="orange" key={t.code}>
              {t.name}
            </Tag>
          ))}
          {!r.partyMemberType && r.tags.length === 0 && '—'}
        </Space>
      ),
    },
  ];
}

export function RoomDetail({ code }: { code: string }) {
  const { can } = useAuth();
  const [room, setRoom] = useState<RoomArchive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    archiveApi
      .room(code)
      .then((r) => !cancelled && setRoom(r))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [code, version]);

  if (error) return <Alert type="error" showIcon title={error} />;
  if (!room || room.code !== code) return <Spin />;
  return (
    <div data-testid="room-detail">
      <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="room-address">
        {room.address}
      </Typography.Title>
      {room.households.length === 0 && <Empty description="该户暂无住户登记" />}
      {room.households.map((h, i) => (
        <Card
          key={String(h.id)}
          size="small"
          style={{ marginBottom: 12 }}
          title={
            <Space>
              <span>第 {i + 1} 户</span>
              {h.kind && <Tag>{label(HOUSEHOLD_KIND_LABEL, h.kind)}</Tag>}
              {h.registryNo && /\d/.test(h.registryNo) && <Typography.Text type="secondary">户号 {h.registryNo}</Typography.Text>}
            </Space>
          }
        >
          <Table<Resident>
            rowKey={(r) => String(r.personId)}
            size="small"
            pagination={false}
            dataSource={h.residents}
            columns={residentColumns()}
            scroll={{ x: 760 }}
            data-testid="resident-table"
          />
        </Card>
      ))}
      <Card size="small" title={`走访记录（${room.visits.length}）`}>
        {can('visit:write') && (
          <div style={{ marginBottom: 12 }}>
            <VisitForm room={room} onSaved={() => setVersion((v) => v + 1)} />
          </div>
        )}
        {room.visits.length === 0 ? (
          <Typography.Text type="secondary">暂无走访记录</Typography.Text>
        ) : (
          <Timeline
            items={room.visits.map((v) => ({
              key: String(v.id),
              content: (
                <div>
                  <Typography.Text type="secondary">
                    {formatTime(v.visitedAt)} · {label(VISIT_KIND_LABEL, v.kind)} · {v.visitorName ?? '—'}
                  </Typography.Text>
                  <div>{v.note}</div>
                </div>
              ),
            }))}
          />
        )}
      </Card>
    </div>
  );
}

export function BuildingDrawer({ code, onClose }: { code: string | null; onClose: () => void }) {
  const [building, setBuilding] = useState<BuildingArchive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [room, setRoom] = useState<string | null>(null);

  useEffect(() => {
    setRoom(null);
    if (!code) return;
    let cancelled = false;
    setBuilding(null);
    setError(null);
    archiveApi
      .building(code)
      .then((b) => !cancelled && setBuilding(b))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [code]);

  const closeRoom = useCallback(() => setRoom(null), []);
  const title = building ? `${building.compoundName} ${buildingLabel(building)}` : '楼幢';
  const leaders = building?.posts ?? [];

  return (
    <Drawer
      title={title}
      open={Boolean(code)}
      onClose={onClose}
      size={760}
      destroyOnHidden
      data-testid="building-drawer"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!building && !error && <Spin />}
      {building && (
        <>
          <Descriptions
            size="small"
            column={2}
            style={{ marginBottom: 12 }}
            items={[
              { key: 'code', label: '楼幢编码', children: building.code },
              { key: 'units', label: '单元', children: `${building.units.length} 个` },
              {
                key: 'leaders',
                label: '楼长 / 单元长',
                span: 2,
                children: leaders.length ? (
                  <Space wrap size={[8, 4]}>
                    {leaders.map((p, i) => (
                      <span key={i}>
                        <Tag>{p.postName || label(POST_LABEL, p.post)}</Tag>
                        {p.territoryName && p.post === 'unit_leader' ? `${p.territoryName} ` : ''}
                        {p.name ?? '（待配备）'}
                      </span>
                    ))}
                  </Space>
                ) : (
                  <Typography.Text type="secondary">未配备</Typography.Text>
                ),
              },
            ]}
          />
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            点击房间查看住户。
            <span className="linli-mark linli-mark-member" style={{ margin: '0 4px' }}>党</span>有党员
            <span className="linli-mark linli-mark-tag" style={{ margin: '0 4px' }}>关注</span>有关注人员（数字为人数）
          </Typography.Paragraph>
          <div className="linli-unit-grid">
          {building.units.map((unit) => (
            <Card key={unit.code} size="small" title={unit.name} data-testid="unit-card">
              {unit.rooms.length ? (
                <RoomGrid rooms={unit.rooms} selected={room} onPick={setRoom} />
              ) : (
                <Typography.Text type="secondary">暂无房间</Typography.Text>
              )}
            </Card>
          ))}
          </div>
        </>
      )}
      <Drawer title="房屋住户" open={Boolean(room)} onClose={closeRoom} size={860} destroyOnHidden data-testid="room-drawer">
        {room && <RoomDetail code={room} />}
      </Drawer>
    </Drawer>
  );
}
