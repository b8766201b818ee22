// What the handling seat does from the phone, each from the case's allowedActions: 受理立案, 处置反馈 (note and
// photos), 会商 (participants, time, conclusion), 上报上一级, 申请延期 (working days and reason), 退回 and 不予立案
// (reason). Each opens a bottom sheet; the answer is the case as it now stands.
import { useState } from 'react';
import { Button, DatePicker, Dialog, Form, ImageUploader, Popup, Stepper, TextArea, type ImageUploadItem } from 'antd-mobile';
import dayjs from 'dayjs';
import { SERVICE_TZ } from '../../time';
import { SHEET_THEME } from './case-bits';
import { uploadPhoto, type ActionInput } from './cases-api';

/** The actions this panel offers, in the order a handler meets them. */
const OFFERED: { action: string; label: string; primary?: boolean }[] = [
  { action: 'accept', label: '受理立案', primary: true },
  { action: 'resolve', label: '处置反馈', primary: true },
  { action: 'convene', label: '会商' },
  { action: 'escalate', label: '上报上一级' },
  { action: 'extend', label: '申请延期' },
  { action: 'return', label: '退回' },
  { action: 'void', label: '不予立案' },
];

const REASON: Record<string, { title: string; placeholder: string }> = {
  escalate: { title: '上报上一级', placeholder: '为什么本级处理不了（如：需要多部门协同）' },
  return: { title: '退回', placeholder: '退回原因（如：不属于本网格）' },
  void: { title: '不予立案', placeholder: '不予立案的原因（如：已自行解决、不属实）' },
};

export function HandlerActions({ allowed, busy, onAct }: {
  allowed: { action: string; name: string }[]; busy: boolean; onAct: (body: ActionInput, done: string) => Promise<boolean>;
}) {
  const [open, setOpen] = useState<string | null>(null);
  const offered = OFFERED.filter((o) => allowed.some((a) => a.action === o.action));
  if (!offered.length) return null;
  const name = (action: string) => allowed.find((a) => a.action === action)?.name ?? OFFERED.find((o) => o.action === action)?.label ?? action;

  const click = async (action: string) => {
    if (action === 'accept') {
      if (await Dialog.confirm({ title: '受理立案', content: '确认受理这个案件？受理后开始计算处置期限。' })) await onAct({ action }, '已受理，请按期处置');
      return;
    }
    setOpen(action);
  };
  const submit = async (body: ActionInput, done: string) => {
    if (await onAct(body, done)) setOpen(null);
  };

  return (
    <div className="linli-m-card" data-testid="h5-case-handler">
      <div className="linli-m-actions">
        {offered.map((o) => (
          <Button
            key={o.action}
            color={o.primary ? 'primary' : 'default'}
            fill={o.primary ? 'solid' : 'outline'}
            loading={busy && open === null && o.action === 'accept'}
            onClick={() => void click(o.action)}
            style={offered.length % 2 === 1 && o === offered[0] ? { gridColumn: '1 / span 2' } : undefined}
            data-testid={`h5-case-act-${o.action}`}
          >
            {o.label}
          </Button>
        ))}
      </div>
      <Popup visible={open !== null} onMaskClick={() => setOpen(null)} onClose={() => setOpen(null)} destroyOnClose
        bodyStyle={{ borderTopLeftRadius: 12, borderTopRightRadius: 12, maxHeight: '85vh', overflowY: 'auto', ...SHEET_THEME }}>
        {open && (
          <div data-testid={`h5-case-sheet-${open}`}>
            <div className="linli-m-sheet-title">{name(open)}</div>
            {open === 'resolve' && <ResolveForm busy={busy} onSubmit={(b) => submit(b, '已反馈，等待核查')} />}
            {open === 'convene' && <ConveneForm busy={busy} onSubmit={(b) => submit(b, '会商已记录')} />}
            {open === 'extend' && <ExtendForm busy={busy} onSubmit={(b) => submit(b, '已申请延期，等待上级审批')} />}
            {REASON[open] && <ReasonForm action={open} {...REASON[open]} busy={busy} onSubmit={(b) => submit(b, `已${REASON[open]!.title}`)} />}
          </div>
        )}
      </Popup>
    </div>
  );
}

type FormProps = { busy: boolean; onSubmit: (body: ActionInput) => Promise<void> };

function Submit({ busy, label = '提交' }: { busy: boolean; label?: string }) {
  return <Button block type="submit" color="primary" size="large" loading={busy} data-testid="h5-case-sheet-submit">{label}</Button>;
}

function ResolveForm({ busy, onSubmit }: FormProps) {
  const [photos, setPhotos] = useState<ImageUploadItem[]>([]);
  return (
    <Form layout="vertical" footer={<Submit busy={busy} label="提交处置反馈" />}
      onFinish={(v: { note: string }) => onSubmit({ action: 'resolve', note: v.note.trim(), ...(photos.length ? { photos: photos.map((p) => String(p.key)) } : {}) })}>
      <Form.Item name="note" label="处置情况" rules={[{ required: true, whitespace: true, min: 2, message: '请写明怎么处置的（至少 2 个字）' }]}>
        <TextArea rows={3} maxLength={2000} placeholder="如：已联系车主挪走电动车，通道恢复畅通" data-testid="h5-case-resolve-note" />
      </Form.Item>
      <Form.Item label="处置后照片" help="建议拍一张处置后的现场">
        <ImageUploader value={photos} onChange={setPhotos} upload={uploadPhoto} maxCount={9} capture="environment" accept="image/*" data-testid="h5-case-resolve-photos" />
      </Form.Item>
    </Form>
  );
}

/** Now on Beijing time, as a Date whose local fields read Beijing's (what the picker shows and edits). */
const beijingNowAsLocal = () => new Date(dayjs().tz(SERVICE_TZ).format('YYYY-MM-DDTHH:mm'));
/** The picker's local fields read as Beijing time → ISO UTC. */
const pickedToIso = (d: Date) => dayjs.tz(dayjs(d).format('YYYY-MM-DD HH:mm'), SERVICE_TZ).toISOString();

function ConveneForm({ busy, onSubmit }: FormProps) {
  const [heldAt, setHeldAt] = useState<Date>(beijingNowAsLocal);
  const [picking, setPicking] = useState(false);
  return (
    <Form layout="vertical" footer={<Submit busy={busy} label="记录会商" />}
      onFinish={(v: { participants: string; conclusion: string }) => onSubmit({
        action: 'convene',
        participants: v.participants.split(/[,，、;；\n]+/).map((p) => p.trim()).filter(Boolean),
        heldAt: pickedToIso(heldAt),
        conclusion: v.conclusion.trim(),
      })}>
      <Form.Item name="participants" label="参加人" help="姓名或单位，用逗号或换行分开" rules={[{ required: true, whitespace: true, message: '请填写参加人' }]}>
        <TextArea rows={2} placeholder="如：王网格长，物业李经理，楼长张阿姨" data-testid="h5-case-convene-participants" />
      </Form.Item>
      <Form.Item label="会商时间（北京时间）" onClick={() => setPicking(true)} arrow>
        <span data-testid="h5-case-convene-time">{dayjs(heldAt).format('YYYY-MM-DD HH:mm')}</span>
      </Form.Item>
      <DatePicker visible={picking} onClose={() => setPicking(false)} precision="minute" value={heldAt} max={beijingNowAsLocal()}
        onConfirm={(d) => setHeldAt(d)} title="会商时间" />
      <Form.Item name="conclusion" label="会商结论" rules={[{ required: true, whitespace: true, min: 2, message: '请填写会商结论（至少 2 个字）' }]}>
        <TextArea rows={3} maxLength={2000} placeholder="商定的办法、分工和完成时间" data-testid="h5-case-convene-conclusion" />
      </Form.Item>
    </Form>
  );
}

function ExtendForm({ busy, onSubmit }: FormProps) {
  const [days, setDays] = useState(3);
  return (
    <Form layout="vertical" footer={<Submit busy={busy} label="提交延期申请" />}
      onFinish={(v: { note: string }) => onSubmit({ action: 'extend', days, note: v.note.trim() })}>
      <Form.Item label="延长工作日">
        <Stepper min={1} max={30} value={days} onChange={(v) => setDays(v ?? 1)} data-testid="h5-case-extend-days" />
      </Form.Item>
      <Form.Item name="note" label="延期理由" rules={[{ required: true, whitespace: true, min: 2, message: '请写明延期理由（至少 2 个字）' }]}>
        <TextArea rows={3} maxLength={500} placeholder="如：需等待物业采购配件" data-testid="h5-case-extend-note" />
      </Form.Item>
    </Form>
  );
}

function ReasonForm({ action, title, placeholder, busy, onSubmit }: FormProps & { action: string; title: string; placeholder: string }) {
  return (
    <Form layout="vertical" footer={<Submit busy={busy} label={`确认${title}`} />}
      onFinish={(v: { note: string }) => onSubmit({ action, note: v.note.trim() })}>
      <Form.Item name="note" label="原因" rules={[{ required: true, whitespace: true, min: 2, message: '请写明原因（至少 2 个字）' }]}>
        <TextArea rows={3} maxLength={2000} placeholder={placeholder} data-testid="h5-case-reason" />
      </Form.Item>
    </Form>
  );
}

