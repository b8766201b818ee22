// /m/cases/todo — 网格员待办: the open cases at my (micro-)grids (GET /cases?queue=mine), newest first, each with its
// 黄牌/红牌 and the time left on the current step; 超期 shows only the overdue ones.
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useState } from 'react';
import { ErrorBlock, InfiniteScroll, List, NavBar, PullToRefresh, Tabs } from 'antd-mobile';
import { useAuth } from '../../auth';
import { useInfinitePages } from '../use-infinite-pages';
import { CaseRow } from './case-bits';
import { casesApi } from './cases-api';
import './cases.css';

const FILTERS: Record<string, { overdue?: boolean; state?: string }> = {
  all: {}, reported: { state: 'reported' }, handling: { state: 'handling' }, overdue: { overdue: true },
};

export function CaseTodoPage() {
  const navigate = useNavigate();
  const { user } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') && FILTERS[params.get('tab')!] ? params.get('tab')! : 'all';
  const [round, setRound] = useState(0); // pull to refresh: a new round reloads the list from its first page
  return (
    <div className="linli-m-page" data-testid="h5-case-todo">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')} right={<a className="linli-m-nav-link" onClick={() => navigate('/m/cases/report')}>巡查上报</a>}>
        待办案件
      </NavBar>
      {!user?.gridWorker ? (
        <ErrorBlock status="default" title="没有办理案件的权限" description="网格员登录后可见本网格的待办案件" />
      ) : (
        <>
          <Tabs activeKey={tab} onChange={(key) => setParams(key === 'all' ? {} : { tab: key }, { replace: true })} style={{ background: '#fff' }}>
            <Tabs.Tab title="全部" key="all" />
            <Tabs.Tab title="待受理" key="reported" />
            <Tabs.Tab title="处置中" key="handling" />
            <Tabs.Tab title="超期" key="overdue" />
          </Tabs>
          <PullToRefresh onRefresh={async () => setRound((n) => n + 1)}>
            <TodoList key={`${tab}-${round}`} filter={FILTERS[tab]!} />
          </PullToRefresh>
        </>
      )}
    </div>
  );
}

function TodoList({ filter }: { filter: { overdue?: boolean; state?: string } }) {
  const { items, hasMore, error, loadMore } = useInfinitePages((cursor) => casesApi.queue(cursor, filter));
  return (
    <>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      <List className="linli-m-list" data-testid="h5-case-todo-list">
        {items.map((c) => <CaseRow key={c.id} c={c} clock />)}
      </List>
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 件` : '没有待办案件')}
        </InfiniteScroll>
      )}
    </>
  );
}
