// One household: who lives there (masked), their tags and party membership, the last visits, and 登记走访.
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { Button, Card, DotLoading, ErrorBlock, Form, List, NavBar, Selector, Space, Tag, TextArea, Toast } from 'antd-mobile';
import { errorMessage } from '../api';
import { useAuth } from '../auth';
import { GENDER_LABEL, HOUSEHOLD_KIND_LABEL, MEMBER_TYPE_LABEL, RELATION_LABEL, VISIT_KIND_LABEL, label } from '../labels';
import { archiveApi, type RoomArchive } from './mobile-api';
import { shortTime } from './format';

const VISIT_KINDS = Object.entries(VISIT_KIND_LABEL).map(([value, text]) => ({ value, label: text }));

export function HouseholdPage() {
  const navigate = useNavigate();
  const { can } = useAuth();
  const { roomCode = '' } = useParams();
  const [params] = useSearchParams();
  const householdId = params.get('household');
  const [room, setRoom] = useState<RoomArchive | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ kind: string[]; note: string }>();

  useEffect(() => {
    let cancelled = false;
    archiveApi
      .room(roomCode)
      .then((r) => !cancelled && setRoom(r))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [roomCode, version]);

  const households = room ? room.households.filter((h) => !householdId || String(h.id) === householdId) : [];
  const shown = households.length ? households : (room?.households ?? []);

  const submit = async (values: { kind: string[]; note: string }) => {
    setSaving(true);
    try {
      await archiveApi.visit({
        roomCode,
        householdId: householdId ?? undefined,
        kind: values.kind?.[0] ?? 'visit',
        note: values.note.trim(),
      });
      Toast.show({ icon: 'success', content: '走访已登记' });
      form.resetFields();
      setVersion((v) => v + 1);
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="linli-m-page">
      <NavBar onBack={() => (window.history.length > 1 ? navigate(-1) : navigate('/m'))} className="linli-m-navbar">
        住户详情
      </NavBar>
      {error && <ErrorBlock status="default" title="无法打开" description={error} />}
      {!room && !error && (
        <div style={{ textAlign: 'center', padding: 40 }}>
          <DotLoading />
        </div>
      )}
      {room && (
        <>
          <div className="linli-m-address" data-testid="h5-address">
            {room.address}
          </div>
          {shown.length === 0 && <ErrorBlock status="empty" title="暂无住户登记" description="" />}
          {shown.map((h) => (
            <Card
              key={String(h.id)}
              className="linli-m-card"
              title={
                <Space style={{ '--gap': '6px' }}>
                  <span>住户（{h.residents.length} 人）</span>
                  {h.kind && <Tag fill="outline">{label(HOUSEHOLD_KIND_LABEL, h.kind)}</Tag>}
                </Space>
              }
            >
              <List data-testid="h5-residents" style={{ '--border-top': 'none', '--border-bottom': 'none' }}>
                {h.residents.map((r) => (
                  <List.Item
                    key={String(r.personId)}
                    description={
                      <Space wrap style={{ '--gap': '4px' }}>
                        {r.mobile && <span>{r.mobile}</span>}
                        {r.partyMemberType && <Tag color="danger">{label(MEMBER_TYPE_LABEL, r.partyMemberType)}</Tag>}
                        {r.tags.map((t) => (
                          <Tag key={t.code} color="warning">
                            {t.name}
                          </Tag>
                        ))}
                      </Space>
                    }
                    extra={<Tag fill="outline">{label(RELATION_LABEL, r.relation)}</Tag>}
                  >
                    {r.name}
                    <span className="linli-m-muted">
                      {' '}
                      {label(GENDER_LABEL, r.gender)}
                      {r.age !== null ? ` · ${r.age}岁` : ''}
                    </span>
                  </List.Item>
                ))}
              </List>
            </Card>
          ))}

          <Card className="linli-m-card" title={`走访记录（${room.visits.length}）`}>
            {room.visits.length === 0 ? (
              <div className="linli-m-muted">还没有走访记录</div>
            ) : (
              <List data-testid="h5-visits" style={{ '--border-top': 'none', '--border-bottom': 'none' }}>
                {room.visits.map((v) => (
                  <List.Item
                    key={String(v.id)}
                    description={`${shortTime(v.visitedAt)} · ${v.visitorName ?? ''}`}
                    prefix={<Tag color="primary" fill="outline">{label(VISIT_KIND_LABEL, v.kind)}</Tag>}
                  >
                    <span data-testid="h5-visit-note-text">{v.note}</span>
                  </List.Item>
                ))}
              </List>
            )}
          </Card>
          {can('visit:write') && (
            <Card className="linli-m-card" title="登记走访">
              <Form
                form={form}
                initialValues={{ kind: ['visit'], note: '' }}
                onFinish={submit}
                layout="vertical"
                data-testid="h5-visit-form"
                footer={
                  <Button block color="danger" type="submit" loading={saving} data-testid="h5-visit-submit">
                    提交走访记录
                  </Button>
                }
              >
                <Form.Item name="kind" label="类型">
                  <Selector options={VISIT_KINDS} />
                </Form.Item>
                <Form.Item name="note" label="走访情况" rules={[{ required: true, whitespace: true, message: '请填写走访情况' }]}>
                  <TextArea placeholder="如：老人身体良好，反映楼道灯坏了" maxLength={2000} rows={3} showCount data-testid="h5-visit-note" />
                </Form.Item>
              </Form>
            </Card>
          )}

        </>
      )}
    </div>
  );
}
