// 我的网格: search households in my grid by address (3-2-501, 3幢2单元501) or the head's name / pinyin; infinite list.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { TodoStrip } from './todo-strip';
import { Dialog, ErrorBlock, InfiniteScroll, List, NavBar, SearchBar, Space, Tag } from 'antd-mobile';
import { errorMessage } from '../api';
import { useAuth } from '../auth';
import { archiveApi, type HouseholdRow } from './mobile-api';
import { sinceText } from './format';
import { GridCaseEntry } from './cases/case-entries';

export function HouseholdsPage() {
  const navigate = useNavigate();
  const { user, can, logout } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  // from the to-do 「待走访家庭」: households with someone needing care, not visited for 30 days
  const due = params.get('due') === '1';
  const [text, setText] = useState(q);
  const [items, setItems] = useState<HouseholdRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  // A new query starts a new list.
  useEffect(() => {
    generation.current += 1;
    setItems([]);
    setCursor(null);
    setHasMore(true);
    setError(null);
  }, [q, due]);

  const loadMore = useCallback(async () => {
    const mine = generation.current;
    try {
      const page = await archiveApi.households(q, cursor, 20, due);
      if (mine !== generation.current) return;
      setItems((previous) => [...previous, ...page.items]);
      setCursor(page.nextCursor);
      setHasMore(Boolean(page.nextCursor));
    } catch (e) {
      if (mine !== generation.current) return;
      setError(errorMessage(e));
      setHasMore(false);
    }
  }, [q, cursor, due]);

  const onLogout = async () => {
    const ok = await Dialog.confirm({ content: '确定退出登录？' });
    if (!ok) return;
    await logout();
    navigate('/login?next=/m', { replace: true });
  };

  return (
    <div className="linli-m-page">
      <NavBar
        back={null}
        right={
          <a className="linli-m-nav-link" onClick={onLogout}>
            退出
          </a>
        }
        left={<a className="linli-m-nav-link" href="/" data-testid="h5-desktop-link">电脑版</a>}
        className="linli-m-navbar"
      >
        我的网格
      </NavBar>
      <div className="linli-m-hello">
        {user?.displayName}，您好 · 提户知人、提人知事
      </div>
      <TodoStrip />
      {user?.gridWorker && <GridCaseEntry />}
      <div className="linli-m-search">
        <SearchBar
          placeholder="门牌如 3-2-501，或户主姓名 / 拼音"
          value={text}
          onChange={setText}
          onSearch={(value) => setParams(value.trim() ? { q: value.trim() } : {}, { replace: true })}
          onClear={() => setParams({}, { replace: true })}
          showCancelButton={() => Boolean(text)}
          data-testid="h5-search"
        />
      </div>
      {!can('people:read') ? (
        <ErrorBlock status="default" title="没有查看居民档案的权限" description="请联系社区管理员开通" />
      ) : (
        <>
          {error && <ErrorBlock status="default" title="加载失败" description={error} />}
          {due && (
            <div className="linli-m-muted" style={{ padding: '8px 12px' }} data-testid="h5-due-filter">
              待走访：有需关爱的居民、30 天内未走访 · <a onClick={() => setParams({}, { replace: true })}>看全部</a>
            </div>
          )}
          <List className="linli-m-list" data-testid="h5-households">
            {items.map((h) => (
              <List.Item
                key={String(h.id)}
                onClick={() => navigate(`/m/rooms/${encodeURIComponent(h.roomCode)}?household=${encodeURIComponent(String(h.id))}`)}
                description={
                  <Space wrap style={{ '--gap': '4px' }}>
                    <span>户主 {h.headName ?? '—'}</span>
                    <span>· {h.residents} 人</span>
                    {h.tags.map((t) => (
                      <Tag key={t.code} color="warning" fill="outline">
                        {t.name}
                      </Tag>
                    ))}
                  </Space>
                }
                extra={<span className={h.lastVisitAt ? 'linli-m-visited' : 'linli-m-unvisited'}>{h.lastVisitAt ? sinceText(h.lastVisitAt) : '未走访'}</span>}
                arrowIcon
              >
                <span data-testid="h5-household">{h.label}</span>
              </List.Item>
            ))}
          </List>
          {!error && (
            <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
              {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 户` : q ? '没有找到，换个门牌或姓名试试' : '暂无住户')}
            </InfiniteScroll>
          )}
        </>
      )}
    </div>
  );
}
