// The signed-in frame: brand, permission-aware side menu, header with the user and 退出登录.
import { Suspense, useEffect, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App, Button, Dropdown, Layout, Menu, Space, Tag, Tooltip, Typography, type MenuProps } from 'antd';
import {
  AlertOutlined,
  ApartmentOutlined,
  ClusterOutlined,
  IdcardOutlined,
  QrcodeOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  ContainerOutlined,
  EnvironmentOutlined,
  EyeInvisibleOutlined,
  FlagOutlined,
  HeartOutlined,
  HomeOutlined,
  KeyOutlined,
  LockOutlined,
  LoginOutlined,
  LogoutOutlined,
  SafetyCertificateOutlined,
  SolutionOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
  ProfileOutlined,
  FieldTimeOutlined,
  MessageOutlined,
  TrophyOutlined,
  FormOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useAuth } from '../auth';
import { NotificationBell } from '../components/notification-bell';
import { SCOPE_KIND_LABEL } from '../labels';
import { PageSpinner } from '../components/page-spinner';

const { Header, Sider, Content, Footer } = Layout;

interface MenuEntry {
  key: string;
  label: string;
  icon: React.ReactNode;
  /** the permission it needs, or any one of a list */
  permission?: string | string[];
  children?: MenuEntry[];
}

const MENU: MenuEntry[] = [
  { key: '/', label: '首页', icon: <HomeOutlined /> },
  { key: '/territory', label: '区划网格', icon: <EnvironmentOutlined />, permission: 'territory:read' },
  { key: '/org', label: '党组织', icon: <FlagOutlined />, permission: 'org:read' },
  {
    key: 'archive',
    label: '档案',
    icon: <ContainerOutlined />,
    permission: 'people:read',
    children: [
      { key: '/archive', label: '小区档案', icon: <HomeOutlined />, permission: 'people:read' },
      { key: '/archive/persons', label: '居民查询', icon: <UserOutlined />, permission: 'people:read' },
    ],
  },
  {
    key: 'forces',
    label: '力量',
    icon: <ClusterOutlined />,
    permission: 'service:read',
    children: [
      { key: '/forces', label: '力量图谱', icon: <TeamOutlined />, permission: 'service:read' },
      { key: '/forces/teams', label: '队伍', icon: <FlagOutlined />, permission: 'service:read' },
      { key: '/forces/resources', label: '资源', icon: <ContainerOutlined />, permission: 'service:read' },
      { key: '/forces/contacts', label: '党群联系 1:8', icon: <HomeOutlined />, permission: 'service:read' },
    ],
  },
  {
    key: 'service',
    label: '双报到·服务',
    icon: <HeartOutlined />,
    children: [
      { key: '/service/registrations', label: '报到审核', icon: <AuditOutlined />, permission: 'service:read' },
      { key: '/service/registration-qr', label: '报到二维码', icon: <QrcodeOutlined />, permission: 'service:read' },
      { key: '/service/posts', label: '服务岗位', icon: <IdcardOutlined />, permission: 'service:read' },
      { key: '/service/rates', label: '报到率·服务率', icon: <BarChartOutlined />, permission: 'service:read' },
      { key: '/service/unit', label: '报回单位', icon: <SolutionOutlined />, permission: 'service:unit' },
      { key: '/service/lists', label: '三张清单', icon: <UnorderedListOutlined />, permission: 'service:read' },
      { key: '/service/overview', label: '社区服务概览', icon: <BarChartOutlined />, permission: 'service:read' },
      { key: '/service/orders', label: '服务订单', icon: <ProfileOutlined />, permission: 'service:read' },
      { key: '/service/tasks', label: '任务与召集', icon: <AlertOutlined />, permission: 'service:read' },
      { key: '/service/records', label: '服务记录', icon: <FieldTimeOutlined />, permission: 'service:read' },
      { key: '/service/flags', label: '谈话提醒', icon: <MessageOutlined />, permission: 'service:read' },
      { key: '/service/honours', label: '表彰推荐', icon: <TrophyOutlined />, permission: 'service:read' },
      { key: '/service/unit-projects', label: '共建项目认领', icon: <SolutionOutlined />, permission: 'service:unit' },
      { key: '/service/unit-flags', label: '党员谈话提醒', icon: <MessageOutlined />, permission: 'service:unit' },
    ],
  },
  {
    key: 'cases',
    label: '案件·一网统管',
    icon: <AlertOutlined />,
    permission: ['case:read', 'case:property'],
    children: [
      { key: '/cases', label: '案件台', icon: <ProfileOutlined />, permission: 'case:read' },
      { key: '/cases/new', label: '登记案件', icon: <FormOutlined />, permission: 'case:report' },
      { key: '/cases/rates', label: '三率统计', icon: <BarChartOutlined />, permission: 'case:read' },
      { key: '/cases/map', label: '案件地图', icon: <EnvironmentOutlined />, permission: 'case:read' },
      { key: '/cases/settings', label: '案件设置', icon: <SettingOutlined />, permission: 'case:read' },
      { key: '/cases/property', label: '物业案件', icon: <HomeOutlined />, permission: 'case:property' },
    ],
  },
  { key: '/imports', label: '数据导入', icon: <CloudUploadOutlined />, permission: 'import:run' },
  { key: '/users', label: '用户管理', icon: <TeamOutlined />, permission: 'user:read' },
  { key: '/roles', label: '角色', icon: <SafetyCertificateOutlined />, permission: 'user:read' },
  { key: '/audit', label: '审计日志', icon: <AuditOutlined />, permission: 'audit:read' },
  { key: '/audit/unmask', label: '脱敏查看记录', icon: <EyeInvisibleOutlined />, permission: 'audit:read' },
  { key: '/login-log', label: '登录日志', icon: <LoginOutlined />, permission: 'audit:read' },
  { key: '/account/password', label: '修改密码', icon: <KeyOutlined /> },
  { key: '/account/totp', label: '两步验证', icon: <LockOutlined /> },
];

/** The user menu under the name in the header: the caller's own account. */
const USER_MENU: MenuProps['items'] = [
  { key: '/account/password', label: '修改密码', icon: <KeyOutlined /> },
  { key: '/account/totp', label: '两步验证', icon: <LockOutlined /> },
];

export function AppLayout() {
  const { user, can, logout } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items: MenuProps['items'] = useMemo(() => {
    const allowed = (entry: MenuEntry) => !entry.permission || [entry.permission].flat().some((p) => can(p));
    // A group without a permission of its own shows when any of its entries does.
    const shown = (entry: MenuEntry) => allowed(entry) && (!entry.children || entry.children.some(allowed));
    return MENU.filter(shown).map((entry) => ({
      key: entry.key,
      icon: entry.icon,
      label: entry.label,
      children: entry.children?.filter(allowed).map((child) => ({ key: child.key, icon: child.icon, label: child.label })),
    }));
  }, [can]);

  const selectedKey =
    MENU.flatMap((entry) => (entry.children ? entry.children.map((child) => child.key) : [entry.key]))
      .filter((key) => (key === '/' ? location.pathname === '/' : location.pathname === key || location.pathname.startsWith(`${key}/`)))
      .sort((a, b) => b.length - a.length)[0] ?? '/';
  const [openKeys, setOpenKeys] = useState<string[]>(['archive', 'service']);
  // the group holding the current page is open, and its highlighted entry is scrolled into the menu's view
  const currentGroup = MENU.find((entry) => entry.children?.some((child) => child.key === selectedKey))?.key;
  useEffect(() => {
    if (currentGroup) setOpenKeys((keys) => (keys.includes(currentGroup) ? keys : [...keys, currentGroup]));
    const timer = window.setTimeout(() => {
      document.querySelector('[data-testid="side-menu"] .ant-menu-item-selected')?.scrollIntoView({ block: 'nearest' });
    }, 350); // after the submenu's opening motion
    return () => window.clearTimeout(timer);
  }, [currentGroup, selectedKey]);

  const onLogout = async () => {
    await logout();
    message.success('已退出登录');
    navigate('/login', { replace: true });
  };

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={208} data-testid="side-menu"
        style={{ position: 'sticky', top: 0, height: '100vh', overflowY: 'auto', scrollPaddingBottom: 56 }}>
        <div className="linli-brand">
          <span className="linli-brand-logo">邻</span>
          {!collapsed && <span>邻里 · 基层治理</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selectedKey]}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          items={items}
          onClick={({ key }) => navigate(key)}
        />
      </Sider>
      <Layout>
        <Header className="linli-header">
          <Typography.Text strong style={{ fontSize: 16 }}>
            党建引领基层治理平台
          </Typography.Text>
          <Space size="middle">
            <NotificationBell />
            <Space size={4} wrap>
              {user?.roleNames.map((name) => (
                <Tag color="red" key={name}>
                  {name}
                </Tag>
              ))}
            </Space>
            <Dropdown menu={{ items: USER_MENU, onClick: ({ key }) => navigate(key) }} trigger={['click', 'hover']}>
              <Tooltip title={user ? `数据范围：${SCOPE_KIND_LABEL[user.scope.kind] ?? user.scope.kind}` : undefined} placement="left">
                <Space size={4} data-testid="current-user" style={{ cursor: 'pointer' }}>
                  <UserOutlined />
                  <span>{user?.displayName}</span>
                  <Typography.Text type="secondary">({user?.username})</Typography.Text>
                </Space>
              </Tooltip>
            </Dropdown>
            <Button icon={<LogoutOutlined />} onClick={onLogout} data-testid="logout">
              退出登录
            </Button>
          </Space>
        </Header>
        <Content className="linli-content">
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Content>
        <Footer style={{ textAlign: 'center', color: '#999', padding: '12px 0' }}>
          <ApartmentOutlined /> 邻里 Linli · 开源党建引领基层治理平台
        </Footer>
      </Layout>
    </Layout>
  );
}
