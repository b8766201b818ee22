// /m/cases — 我的上报: the caller's own reports, newest first, with their state; a case waiting for my rating is
// marked 待评价. Tap one for its timeline.
import { useNavigate } from 'react-router-dom';
import { Button, ErrorBlock, InfiniteScroll, List, NavBar } from 'antd-mobile';
import { useInfinitePages } from '../use-infinite-pages';
import { CaseRow } from './case-bits';
import { casesApi } from './cases-api';
import './cases.css';

export function MyCasesPage() {
  const navigate = useNavigate();
  const { items, hasMore, error, loadMore } = useInfinitePages((cursor) => casesApi.mine(cursor));
  return (
    <div className="linli-m-page" data-testid="h5-my-cases">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')} right={<a className="linli-m-nav-link" onClick={() => navigate('/m/cases/report')}>随手拍</a>}>
        我的上报
      </NavBar>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      <List className="linli-m-list">
        {items.map((c) => <CaseRow key={c.id} c={c} />)}
      </List>
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 件` : (
            <div style={{ textAlign: 'center' }}>
              <div>还没有上报过问题</div>
              <Button color="primary" style={{ marginTop: 12 }} onClick={() => navigate('/m/cases/report')}>去随手拍</Button>
            </div>
          ))}
        </InfiniteScroll>
      )}
    </div>
  );
}
