// Small H5 pieces shared by the case pages: the state tag, the 督办 card and time left, photos and the timeline.
import { Badge, Image, ImageViewer, List, Space, Steps, Tag } from 'antd-mobile';
import { useNavigate } from 'react-router-dom';
import dayjs from 'dayjs';
import { beijingShort, SERVICE_TZ } from '../../time';
import type { CaseItem, CaseStep, Photo } from './cases-api';

const STATE_COLOR: Record<string, 'default' | 'primary' | 'success' | 'warning' | 'danger'> = {
  reported: 'warning', handling: 'primary', resolved: 'primary', rating: 'warning', closed: 'success', voided: 'default', merged: 'default',
};

export function CaseStateTag({ c }: { c: Pick<CaseItem, 'state' | 'stateName'> }) {
  return (
    <Tag color={STATE_COLOR[c.state] ?? 'default'} fill="outline" data-testid="h5-case-state">
      {c.stateName}
    </Tag>
  );
}

const OPEN = new Set(['reported', 'handling', 'resolved']);

/** Bottom sheets render under <body>, outside .linli-m: they take the H5's red as their primary colour here. */
export const SHEET_THEME = { '--adm-color-primary': '#c8161e' } as React.CSSProperties;

/** '剩余 2 天 3 小时' / '已超期 5 小时'. */
export function timeLeft(deadline: string, now = Date.now()): { text: string; late: boolean } {
  const ms = new Date(deadline).getTime() - now;
  const late = ms < 0;
  const hours = Math.floor(Math.abs(ms) / 3_600_000);
  const days = Math.floor(hours / 24);
  const span = days > 0 ? `${days} 天${hours % 24 ? ` ${hours % 24} 小时` : ''}` : hours > 0 ? `${hours} 小时` : `${Math.max(1, Math.floor(Math.abs(ms) / 60_000))} 分钟`;
  return { text: late ? `已超期 ${span}` : `剩余 ${span}`, late };
}

/**
 * A deadline as people say it: the server's deadlines fall at 24:00 Beijing of their last working day (00:00 of the
 * next day), read as '2026-12-01 24:00'; other times as they are.
 */
export function deadlineText(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(SERVICE_TZ);
  if (d.hour() === 0 && d.minute() === 0 && d.second() === 0) return `${d.subtract(1, 'day').format('YYYY-MM-DD')} 24:00`;
  return d.format('YYYY-MM-DD HH:mm');
}

/** The clock of the current step: 黄牌/红牌, the deadline and the time left; a fed-back case waits for 核查. */
export function CaseClock({ c }: { c: CaseItem }) {
  if (!OPEN.has(c.state)) return null;
  const left = timeLeft(c.stepDeadline);
  return (
    <Space style={{ '--gap': '4px' }} wrap data-testid="h5-case-clock">
      {c.card === 'red' && <Tag color="danger">红牌督办</Tag>}
      {c.card === 'yellow' && <Tag color="#d4b106">黄牌预警</Tag>}
      {c.overdue && c.card === 'none' && <Tag color="danger" fill="outline">超期</Tag>}
      {c.state === 'resolved' ? <span className="linli-m-muted">已反馈，等待核查</span> : (
        <span style={{ fontSize: 12, color: left.late ? 'var(--adm-color-danger)' : '#389e0d' }}>
          {c.state === 'reported' ? '受理' : '办结'}期限 {deadlineText(c.stepDeadline).slice(5)} · {left.text}
        </span>
      )}
    </Space>
  );
}

export function Photos({ photos, size = 72 }: { photos: Photo[]; size?: number }) {
  if (!photos.length) return null;
  return (
    <Space wrap style={{ marginTop: 8 }}>
      {photos.map((p, i) => (
        <Image
          key={p.id}
          src={p.url}
          width={size}
          height={size}
          fit="cover"
          style={{ borderRadius: 4 }}
          onClick={(e) => {
            e.stopPropagation();
            ImageViewer.Multi.show({ images: photos.map((x) => x.url), defaultIndex: i });
          }}
        />
      ))}
    </Space>
  );
}

const ACTOR: Record<string, string> = {
  reporter: '上报人', handler: '承办', superior: '上级', department: '部门', rater: '评价人', system: '系统', channel: '上报人',
};
const PEOPLE = new Set(['reporter', 'rater', 'channel']);
/** Steps whose target is a number of working days. */
const EXTENSION = new Set(['extend', 'approve_extension', 'refuse_extension']);

/** The whole timeline, oldest first, on Beijing time. */
export function CaseTimeline({ steps }: { steps: CaseStep[] }) {
  return (
    <Steps direction="vertical" current={steps.length - 1} data-testid="h5-case-timeline">
      {steps.map((s) => {
        // residents are named masked (马*); staff by their seat and name
        const who = PEOPLE.has(s.actorKind) ? `${ACTOR[s.actorKind]}${s.actorName ? ` ${s.actorName}` : ''}`
          : [s.actorOrg, s.actorName].filter(Boolean).join(' ') || ACTOR[s.actorKind] || s.actorKind;
        return (
          <Steps.Step
            key={s.id}
            title={s.actionName}
            status={s.to === 'voided' || s.action === 'reject' || s.action === 'reopen' ? 'error' : 'finish'}
            description={
              <div>
                <div>{beijingShort(s.at)} · {who}</div>
                {EXTENSION.has(s.action) ? s.target && <div>延长 {s.target} 个工作日</div> : s.targetName && <div>→ {s.targetName}</div>}
                {s.note && <div style={{ color: '#333' }}>{s.note}</div>}
                {s.deadline && <div className="linli-m-muted">期限 {deadlineText(s.deadline)}</div>}
                <Photos photos={s.photos} size={56} />
              </div>
            }
          />
        );
      })}
    </Steps>
  );
}


/** One case in a list: category, the description, where and when, the state; for handlers the clock too. */
export function CaseRow({ c, clock = false }: { c: CaseItem; clock?: boolean }) {
  const navigate = useNavigate();
  return (
    <List.Item
      onClick={() => navigate(`/m/cases/${c.id}`)}
      extra={!clock && c.state === 'rating' ? <Badge content={Badge.dot}><CaseStateTag c={c} /></Badge> : <CaseStateTag c={c} />}
      description={
        <div>
          <div className="linli-m-case-desc" style={{ color: '#333' }}>{c.description}</div>
          <div className="linli-m-muted">{c.serviceNo} · {beijingShort(c.reportedAt)}</div>
          {clock && <div className="linli-m-muted">{[c.gridName ?? c.communityName, c.address].filter(Boolean).join(' · ')}</div>}
          {clock && <CaseClock c={c} />}
        </div>
      }
      arrowIcon
      data-testid="h5-case-row"
    >
      {c.categoryName}
    </List.Item>
  );
}
