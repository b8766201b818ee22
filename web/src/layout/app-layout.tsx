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
import { MENU, visibleMenu } from '../menu';
import { NotificationBell } from '../components/notification-bell';
import { SCOPE_KIND_LABEL } from '../labels';
import { PageSpinner } from '../components/page-spinner';

const { Header, Sider, Content, Footer } = Layout;

/** Each menu entry's icon, by its key. */
const ICONS: Record<string, React.ReactNode> = {
  '/': <HomeOutlined />,
  '/territory': <EnvironmentOutlined />,
  '/org': <FlagOutlined />,
  'archive': <ContainerOutlined />,
  '/archive': <HomeOutlined />,
  '/archive/persons': <UserOutlined />,
  'forces': <ClusterOutlined />,
  '/forces': <TeamOutlined />,
  '/forces/teams': <FlagOutlined />,
  '/forces/resources': <ContainerOutlined />,
  '/forces/contacts': <HomeOutlined />,
  'service': <HeartOutlined />,
  '/service/registrations': <AuditOutlined />,
  '/service/registration-qr': <QrcodeOutlined />,
  '/service/posts': <IdcardOutlined />,
  '/service/rates': <BarChartOutlined />,
  '/service/unit': <SolutionOutlined />,
  '/service/lists': <UnorderedListOutlined />,
  '/service/overview': <BarChartOutlined />,
  '/service/orders': <ProfileOutlined />,
  '/service/tasks': <AlertOutlined />,
  '/service/records': <FieldTimeOutlined />,
  '/service/flags': <MessageOutlined />,
  '/service/honours': <TrophyOutlined />,
  '/service/unit-projects': <SolutionOutlined />,
  '/service/unit-flags': <MessageOutlined />,
  'cases': <AlertOutlined />,
  '/cases': <ProfileOutlined />,
  '/cases/new': <FormOutlined />,
  '/cases/rates': <BarChartOutlined />,
  '/cases/map': <EnvironmentOutlined />,
  '/cases/settings': <SettingOutlined />,
  '/cases/property': <HomeOutlined />,
  '/imports': <CloudUploadOutlined />,
  '/users': <TeamOutlined />,
  '/roles': <SafetyCertificateOutlined />,
  '/audit': <AuditOutlined />,
  '/audit/unmask': <EyeInvisibleOutlined />,
  '/login-log': <LoginOutlined />,
  '/account/password': <KeyOutlined />,
  '/account/totp': <LockOutlined />,
};

/** The user menu under the name in the header: the caller's own account. */
const USER_MENU: MenuProps['items'] = [
  { key: '/account/password', label: '修改密码', icon: <KeyOutlined /> },
  { key: '/account/totp', label: '两步验证', icon: <LockOutlined /> },
];

export function AppLayout() {
  const { user, logout } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [collapsed, setCollapsed] = useState(false);

  const items: MenuProps['items'] = useMemo(() => visibleMenu(user?.permissions ?? []).map((entry) => ({
    key: entry.key,
    icon: ICONS[entry.key],
    label: entry.label,
    children: entry.children?.map((child) => ({ key: child.key, icon: ICONS[child.key], label: child.label })),
  })), [user?.permissions]);

  const selectedKey =
    MENU.flatMap((entry) => (entry.children ? entry.children.map((child) => child.key) : [entry.key]))
      .filter((key) => (key === '/' ? location.pathname === '/' : location.pathname === key || location.pathname.startsWith(`${key}/`)))
      .sort((a, b) => b.length - a.length)[0] ?? '/';
  // a short menu (a property company, a unit) shows its groups open; a long one opens the archive and the service loop
  const [openKeys, setOpenKeys] = useState<string[]>(() => {
    const groups = visibleMenu(user?.permissions ?? []).filter((e) => e.children);
    const leaves = groups.reduce((n, g) => n + (g.children?.length ?? 0), 0);
    return leaves <= 6 ? groups.map((g) => g.key) : ['archive', 'service'];
  });
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
