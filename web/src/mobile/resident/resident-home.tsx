// Resident's H5 home (居民): order a service (我要点单), follow my orders and rate a finished one (评单).
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { TodoStrip } from '../todo-strip';
import { Badge, Button, Dialog, ErrorBlock, Form, InfiniteScroll, Input, List, NavBar, Selector, Tabs, TextArea, Toast } from 'antd-mobile';
import { useInfinitePages } from '../use-infinite-pages';
import { errorMessage } from '../../api';
import { useAuth } from '../../auth';
import { ordersApi, type Skill } from '../../pages/orders/orders-api';
import { beijingShort as shortTime } from '../../time';
import { StateTag } from '../orders/order-bits';
import { ResidentCaseTiles } from '../cases/case-entries';

export function ResidentHome() {
  const navigate = useNavigate();
  const { user, logout } = useAuth();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'mine' ? 'mine' : 'order';

  const onLogout = async () => {
    if (!(await Dialog.confirm({ content: '确定退出登录？' }))) return;
    await logout();
    navigate('/login?next=/m', { replace: true });
  };

  return (
    <div className="linli-m-page">
      <NavBar back={null} className="linli-m-navbar" right={<a className="linli-m-nav-link" onClick={onLogout}>退出</a>}>
        邻里服务
      </NavBar>
      <div className="linli-m-hello">{user?.displayName}，您好 · 有需要，点一单，社区派党员上门服务</div>
      <TodoStrip />
      <ResidentCaseTiles />
      <Tabs activeKey={tab} onChange={(key) => setParams(key === 'mine' ? { tab: 'mine' } : {}, { replace: true })} data-testid="h5-resident-tabs">
        <Tabs.Tab title="我要点单" key="order">
          <OrderForm onOrdered={() => setParams({ tab: 'mine' }, { replace: true })} />
        </Tabs.Tab>
        <Tabs.Tab title="我的点单" key="mine">
          <MyOrders />
        </Tabs.Tab>
      </Tabs>
    </div>
  );
}

/** The sticky red top bar (48 px) and a little air: a field scrolled to after a validation error shows its label below it. */
const BELOW_TOP_BAR = { scrollMarginTop: 60 };

const SIZES = [
  { label: '微服务', value: 'micro' },
  { label: '实项目', value: 'project' },
  { label: '大活动', value: 'activity' },
];

function OrderForm({ onOrdered }: { onOrdered: () => void }) {
  const [form] = Form.useForm();
  const [skills, setSkills] = useState<Skill[]>([]);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    ordersApi.skills().then((r) => setSkills(r.items)).catch(() => setSkills([]));
  }, []);
  const submit = async (values: { title: string; description?: string; skill?: string[]; size?: string[] }) => {
    setBusy(true);
    try {
      const created = await ordersApi.create({
        title: values.title.trim(),
        ...(values.description?.trim() ? { description: values.description.trim() } : {}),
        ...(values.skill?.[0] ? { skillCode: values.skill[0] } : {}),
        size: values.size?.[0] ?? 'micro',
      });
      Toast.show({ icon: 'success', content: `已提交，服务编号 ${created.order.serviceNo}` });
      form.resetFields();
      onOrdered();
    } catch (e) {
      Toast.show({ icon: 'fail', content: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form
      form={form}
      onFinish={submit}
      onFinishFailed={({ errorFields }) => {
        const first = errorFields[0]?.name[0];
        const item = first === undefined ? null : document.querySelector<HTMLElement>(`[data-field="${String(first)}"]`);
        if (!item) return;
        item.scrollIntoView({ block: 'start', behavior: 'smooth' });
        item.querySelector<HTMLElement>('input, textarea')?.focus({ preventScroll: true });
      }}
      initialValues={{ size: ['micro'] }}
      footer={
        <Button block type="submit" color="primary" size="large" loading={busy} data-testid="h5-order-submit">
          提交点单
        </Button>
      }
    >
      <Form.Header>服务地点默认为您的现住址，社区收到后会派党员或志愿者联系您</Form.Header>
      <Form.Item name="title" label="需要什么服务" data-field="title" style={BELOW_TOP_BAR} rules={[{ required: true, message: '请填写需要什么服务' }, { min: 2, message: '至少 2 个字' }]}>
        <Input placeholder="如：帮忙修理水龙头" maxLength={100} clearable data-testid="h5-order-title-input" />
      </Form.Item>
      <Form.Item name="description" label="详细说明" data-field="description" style={BELOW_TOP_BAR}>
        <TextArea placeholder="方便的时间、具体情况（选填）" rows={3} maxLength={2000} />
      </Form.Item>
      {skills.length > 0 && (
        <Form.Item name="skill" label="服务类别" data-field="skill" style={BELOW_TOP_BAR}>
          <Selector columns={3} options={skills.map((s) => ({ label: s.name, value: s.code }))} data-testid="h5-order-skill" />
        </Form.Item>
      )}
      <Form.Item name="size" label="规模" data-field="size" style={BELOW_TOP_BAR}>
        <Selector columns={3} options={SIZES} />
      </Form.Item>
    </Form>
  );
}

function MyOrders() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  // from the to-do 「待我评价的服务」: only the finished orders waiting for my rating
  const state = params.get('state') === 'done' ? 'done' : undefined;
  const { items, hasMore, error, loadMore } = useInfinitePages((cursor) => ordersApi.mine(cursor, state), [state]);
  return (
    <>
      {error && <ErrorBlock status="default" title="加载失败" description={error} />}
      {state && (
        <div className="linli-m-muted" style={{ padding: '8px 12px' }} data-testid="h5-orders-filter">
          只看待我评价的服务 · <a onClick={() => setParams({ tab: 'mine' }, { replace: true })}>看全部</a>
        </div>
      )}
      <List data-testid="h5-my-orders">
        {items.map((o) => (
          <List.Item
            key={o.id}
            onClick={() => navigate(`/m/orders/${o.id}`)}
            description={`${o.serviceNo} · ${shortTime(o.createdAt)}`}
            extra={
              o.state === 'done' && o.residentScore === null ? (
                <Badge content="待评价">
                  <StateTag order={o} />
                </Badge>
              ) : (
                <StateTag order={o} />
              )
            }
            arrowIcon
          >
            <span data-testid="h5-my-order-title">{o.title}</span>
          </List.Item>
        ))}
      </List>
      {!error && (
        <InfiniteScroll loadMore={loadMore} hasMore={hasMore}>
          {(more) => (more ? '加载中…' : items.length ? `共 ${items.length} 单` : '还没有点过单')}
        </InfiniteScroll>
      )}
    </>
  );
}
