// /m/orders/:id — one order on the phone: its timeline and what the caller may do now. A member accepts, declines,
// completes with hours and optional photos (camera), or hands it back; the resident cancels or rates a finished service.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Dialog, ErrorBlock, Form, ImageUploader, Image, NavBar, Rate, Space, Stepper, TextArea, Toast, type ImageUploadItem } from 'antd-mobile';
import { errorMessage } from '../../api';
import { ordersApi, type OrderDetail } from '../../pages/orders/orders-api';
import { OrderSteps, StateTag } from './order-bits';

const SIZE: Record<string, string> = { micro: '微服务', project: '实项目', activity: '大活动' };

export function OrderDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const orderId = Number(id);
  const [detail, setDetail] = useState<OrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setDetail(await ordersApi.get(orderId));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [orderId]);
  useEffect(() => void load(), [load]);

  const act = async (action: string, extra: Record<string, unknown> = {}, done = '已提交') => {
    setBusy(true);
    try {
      setDetail(await ordersApi.act(orderId, { action, ...extra }));
      Toast.show({ icon: 'success', content: done });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  const askNote = async (title: string): Promise<string | null> => {
    let note = '';
    const ok = await Dialog.confirm({ title, content: <TextArea placeholder="原因（选填）" onChange={(v) => (note = v)} rows={3} /> });
    return ok ? note.trim() : null;
  };

  const can = (action: string) => detail?.allowedActions.some((a) => a.action === action) ?? false;
  const o = detail?.order;

  return (
    <div className="linli-m-page">
      <NavBar className="linli-m-navbar" onBack={() => navigate(-1)}>
        服务订单
      </NavBar>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      {o && detail && (
        <>
          <Card className="linli-m-card" title={<span data-testid="h5-order-title">{o.title}</span>} extra={<StateTag order={o} />}>
            <div className="linli-m-muted">{o.serviceNo}</div>
            {o.description && <p>{o.description}</p>}
            <div>
              {[o.skillName, SIZE[o.size]].filter(Boolean).join(' · ')}
              {' · '}
              {o.placeAddress ?? o.placeName ?? o.communityName}
            </div>
            {o.residentName && <div className="linli-m-muted">点单居民：{o.residentName}</div>}
            {(o.assigneeName || o.assigneeOrgName) && <div className="linli-m-muted">接单：{o.assigneeName ?? o.assigneeOrgName}</div>}
            {o.hours !== null && <div>服务时长：{o.hours} 小时</div>}
            {o.evidence.length > 0 && (
              <Space wrap style={{ marginTop: 8 }}>
                {o.evidence.map((e) => (
                  <Image key={e.id} src={e.url} width={72} height={72} fit="cover" style={{ borderRadius: 4 }} />
                ))}
              </Space>
            )}
            {o.resultNote && <div className="linli-m-muted">{o.resultNote}</div>}
          </Card>

          {(can('accept') || can('decline')) && (
            <Card className="linli-m-card">
              <Space block direction="vertical">
                <Button block color="primary" size="large" loading={busy} onClick={() => void act('accept', {}, '已接单')} data-testid="h5-accept">
                  接单
                </Button>
                <Button
                  block
                  onClick={async () => {
                    const note = await askNote('婉拒这个订单？');
                    if (note !== null) await act('decline', note ? { note } : {}, '已婉拒，社区会重新派单');
                  }}
                >
                  婉拒
                </Button>
              </Space>
            </Card>
          )}

          {can('complete') && <CompleteForm hourCap={o.hourCap} busy={busy} onSubmit={(v) => act('complete', v, '服务已完成，等待居民评价')} />}
          {can('withdraw') && (
            <div style={{ padding: '8px 12px' }}>
              <Button
                block
                fill="none"
                onClick={async () => {
                  const note = await askNote('无法完成，退回社区？');
                  if (note !== null) await act('withdraw', note ? { note } : {}, '已退回社区');
                }}
              >
                无法完成，退回社区
              </Button>
            </div>
          )}

          {o.state === 'done' && o.residentScore === null && detail.viewerKinds.includes('resident') && (
            <RateForm orderId={orderId} onRated={setDetail} />
          )}

          {can('cancel') && (
            <div style={{ padding: '8px 12px' }}>
              <Button
                block
                color="danger"
                fill="outline"
                onClick={async () => {
                  const ok = await Dialog.confirm({ content: '确定撤销这个点单？' });
                  if (ok) await act('cancel', {}, '已撤单');
                }}
                data-testid="h5-cancel"
              >
                撤销点单
              </Button>
            </div>
          )}

          <Card className="linli-m-card" title="服务进度">
            <OrderSteps detail={detail} />
            {detail.ratings.map((r) => (
              <div key={r.raterKind} className="linli-m-muted">
                {r.raterKind === 'resident' ? '居民评价' : r.raterKind === 'community' ? '社区评价' : '支部评价'}：
                <Rate readOnly value={r.score} style={{ '--star-size': '14px' }} /> {r.comment}
              </div>
            ))}
          </Card>
        </>
      )}
    </div>
  );
}

function CompleteForm({ hourCap, busy, onSubmit }: { hourCap: number; busy: boolean; onSubmit: (v: { hours: number; evidence: string[]; note?: string }) => Promise<void> }) {
  const [hours, setHours] = useState(1);
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  const [note, setNote] = useState('');
  const upload = async (file: File): Promise<ImageUploadItem> => {
    const stored = await ordersApi.upload(file);
    return { key: stored.id, url: stored.url };
  };
  // photos are optional: the hours count once the resident rates the service or the organiser confirms them
  const submit = async () => {
    await onSubmit({ hours, evidence: photos.map((p) => String(p.key)), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <Card className="linli-m-card" title="完成服务" data-testid="h5-complete">
      <Form layout="horizontal">
        <Form.Item label="服务时长" extra={<span className="linli-m-muted">上限 {hourCap} 小时</span>}>
          <Stepper min={0.5} max={hourCap} step={0.5} digits={1} value={hours} onChange={(v) => setHours(v ?? 0.5)} data-testid="h5-hours" />
        </Form.Item>
        <Form.Item label="服务照片（选填）" layout="vertical">
          <ImageUploader value={photos} onChange={setPhotos} upload={upload} maxCount={9} capture="environment" accept="image/*" data-testid="h5-photos" />
        </Form.Item>
        <Form.Item label="情况说明" layout="vertical">
          <TextArea rows={2} placeholder="做了什么（选填）" value={note} onChange={setNote} maxLength={1000} />
        </Form.Item>
      </Form>
      <Button block color="primary" size="large" loading={busy} onClick={() => void submit()} data-testid="h5-complete-submit">
        提交完成
      </Button>
    </Card>
  );
}

const SCORE_TEXT: Record<number, string> = { 1: '很不满意', 2: '不满意', 3: '一般', 4: '满意', 5: '非常满意' };

function RateForm({ orderId, onRated }: { orderId: number; onRated: (d: OrderDetail) => void }) {
  // no stars until the resident picks some: a tap on 提交评价 alone must not record 5★
  const [score, setScore] = useState(0);
  const [missing, setMissing] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    if (score < 1) {
      setMissing(true);
      return;
    }
    setBusy(true);
    try {
      onRated(await ordersApi.rate(orderId, { score, ...(comment.trim() ? { comment: comment.trim() } : {}) }));
      Toast.show({ icon: 'success', content: '感谢您的评价' });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card className="linli-m-card" title="评价这次服务" data-testid="h5-rate">
      <div style={{ textAlign: 'center', margin: '8px 0 12px' }}>
        <Rate value={score} onChange={(v) => { setScore(v); if (v > 0) setMissing(false); }} style={{ '--star-size': '32px' }} data-testid="h5-stars" />
        <div style={{ fontSize: 13, marginTop: 6, color: missing ? 'var(--adm-color-danger)' : 'var(--adm-color-weak)' }} data-testid="h5-rate-hint">
          {missing ? '请先点星星给这次服务打分' : score > 0 ? SCORE_TEXT[score] : '点星星打分（1–5 星）'}
        </div>
      </div>
      <TextArea rows={3} placeholder="说说您的感受（选填）" value={comment} onChange={setComment} maxLength={500} />
      <Button block color="primary" size="large" loading={busy} onClick={() => void submit()} style={{ marginTop: 12 }} data-testid="h5-rate-submit">
        提交评价
      </Button>
    </Card>
  );
}
