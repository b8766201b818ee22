// /m/wishes — 心愿墙: the wishes and suggestions of my community (staff: of their area), newest first; a neighbour who
// wants the same taps +1 (POST /cases/{id}/follow: they are told of its progress too). 许个心愿 posts one (channel wish).
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Card, ErrorBlock, InfiniteScroll, NavBar, Tag, Toast } from 'antd-mobile';
import { errorMessage } from '../../api';
import { beijingShort } from '../../time';
import { useInfinitePages } from '../use-infinite-pages';
import { CaseStateTag, Photos } from './case-bits';
import { casesApi, type WishItem } from './cases-api';
import './cases.css';

const DONE = new Set(['closed', 'voided', 'merged']);

export function WishesPage() {
  const navigate = useNavigate();
  const { items, hasMore, error, loadMore, setItems } = useInfinitePages<WishItem>((cursor) => casesApi.wishes(cursor));
  const [busy, setBusy] = useState<number | null>(null);

  const plusOne = async (w: WishItem) => {
    setBusy(w.id);
    try {
      const answer = (await casesApi.follow(w.id)) as { followers?: number } | undefined;
      setItems((list) => list.map((x) => (x.id === w.id ? { ...x, followedByMe: true, followers: answer?.followers ?? x.followers + 1 } : x)));
      Toast.show({ icon: 'success', content: '已 +1，办理进度会通知您' });
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="linli-m-page" data-testid="h5-wishes">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>心愿墙</NavBar>
      <div className="linli-m-hello">邻居们的心愿和建议，想要同样的就 +1，社区据此排定先后</div>
      <div style={{ padding: '10px 10px 0' }}>
        <Button block color="primary" size="large" onClick={() => navigate('/m/cases/report?kind=wish')} data-testid="h5-wish-new">许个心愿</Button>
      </div>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      {items.map((w) => (
        <Card
          key={w.id}
          className="linli-m-card"
          title={w.categoryName}
          extra={<CaseStateTag c={w} />}
          onBodyClick={w.mine ? () => navigate(`/m/cases/${w.id}`) : undefined}
          data-testid="h5-wish"
        >
          <div style={{ fontSize: 15 }}>{w.description}</div>
          <Photos photos={w.photos} size={64} />
          <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginTop: 8, gap: 8 }}>
            <span className="linli-m-muted">{[w.reporterName, w.communityName, beijingShort(w.reportedAt)].filter(Boolean).join(' · ')}</span>
            {w.mine ? (
              <Tag color="primary" fill="outline">我的 · {w.followers} 人 +1</Tag>
            ) : (
              <Button
                size="small"
                color="primary"
                fill={w.followedByMe ? 'solid' : 'outline'}
                disabled={w.followedByMe || DONE.has(w.state)}
                loading={busy === w.id}
                onClick={(e) => { e.stopPropagation(); void plusOne(w); }}
                style={{ minWidth: 76 }}
                data-testid="h5-wish-plus"
              >
                {w.followedByMe ? '已 +1' : '+1'} · {w.followers}
              </Button>
            )}
          </div>
        </Card>
      ))}
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 个心愿` : '还没有心愿，来许第一个吧')}
        </InfiniteScroll>
      )}
    </div>
  );
}
