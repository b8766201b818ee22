// 我的岗位 (H5): the posts I hold, and the open posts of my community, best fitting first with the reasons (skills in
// common, my wishes); take or leave a post. A full post says so — the server holds the capacity.
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Button, Card, Dialog, ErrorBlock, NavBar, ProgressBar, Skeleton, Space, Tabs, Tag, Toast } from 'antd-mobile';
import { errorMessage } from '../../api';
import { registrationApi, type ServicePost } from '../../pages/registration/registration-api';

function PostCard({ post, onChanged }: { post: ServicePost; onChanged: () => void }) {
  const [busy, setBusy] = useState(false);
  const full = post.taken >= post.capacity;
  const take = async () => {
    setBusy(true);
    try {
      await registrationApi.takePost(post.id);
      Toast.show({ icon: 'success', content: '已认领' });
      onChanged();
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
      onChanged();
    } finally {
      setBusy(false);
    }
  };
  const leave = async () => {
    if (!(await Dialog.confirm({ content: `确定离开“${post.title}”？` }))) return;
    try {
      await registrationApi.leavePost(post.id);
      Toast.show({ content: '已离岗' });
      onChanged();
    } catch (e) {
      Toast.show({ content: errorMessage(e) });
    }
  };
  return (
    <Card
      title={<Space align="center"><Tag color="primary" fill="outline">{post.kindName}</Tag><span>{post.title}</span></Space>}
      style={{ margin: '10px 12px' }}
      data-testid="post-card"
    >
      {post.description && <div style={{ color: '#666', marginBottom: 8 }}>{post.description}</div>}
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 8 }}>
        <ProgressBar percent={(post.taken / post.capacity) * 100} style={{ flex: 1 }} />
        <span style={{ fontSize: 13, color: '#888' }}>{post.taken}/{post.capacity} 人</span>
      </div>
      {(post.fit ?? []).length > 0 && (
        <Space wrap style={{ marginBottom: 8 }}>
          {post.fit!.map((reason) => (
            <Tag key={reason} color="success" fill="outline">{reason}</Tag>
          ))}
        </Space>
      )}
      {post.held ? (
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Tag color="success">我在岗</Tag>
          <Button size="small" fill="outline" onClick={leave}>离开岗位</Button>
        </Space>
      ) : (
        <Button block color="primary" size="small" disabled={full || post.status !== 'open'} loading={busy} onClick={take} data-testid="take-post">
          {post.status !== 'open' ? '岗位已关闭' : full ? '名额已满' : '认领岗位'}
        </Button>
      )}
    </Card>
  );
}

export function PostsPage() {
  const navigate = useNavigate();
  const [tab, setTab] = useState('open');
  const [open, setOpen] = useState<ServicePost[] | null>(null);
  const [mine, setMine] = useState<ServicePost[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([registrationApi.posts({}), registrationApi.myPosts()])
      .then(([o, m]) => { setOpen(o.items); setMine(m.items); })
      .catch((e: unknown) => setError(errorMessage(e)));
  }, []);
  useEffect(load, [load]);
  const list = tab === 'open' ? open : mine;
  return (
    <div className="linli-m-page" data-testid="member-posts">
      <NavBar className="linli-m-navbar" onBack={() => navigate('/m')}>我的岗位</NavBar>
      <Tabs activeKey={tab} onChange={setTab} style={{ background: '#fff' }}>
        <Tabs.Tab title={`可认领岗位${open ? `（${open.filter((p) => !p.held).length}）` : ''}`} key="open" />
        <Tabs.Tab title={`我的岗位${mine ? `（${mine.length}）` : ''}`} key="mine" />
      </Tabs>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      {!error && list === null && <Skeleton.Paragraph lineCount={6} animated />}
      {list && list.length === 0 && (
        <ErrorBlock status="empty" title={tab === 'open' ? '社区暂无开放岗位' : '您还没有认领岗位'}
          description={tab === 'open' ? '报到通过后，可认领居住社区设置的服务岗位' : '在“可认领岗位”中选择适合您的岗位'} />
      )}
      {list?.map((p) => <PostCard key={p.id} post={p} onChanged={load} />)}
      {tab === 'open' && open?.length === 0 && (
        <div style={{ padding: 16 }}>
          <Button block onClick={() => navigate('/m/register')}>查看我的报到</Button>
        </div>
      )}
    </div>
  );
}

export default PostsPage;
