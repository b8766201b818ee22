// 工作台 (the desktop home): who I am, what waits for me — each to-do a count from the records that opens the list
// it counts — and, for those who read an area, its figures at a glance. No table of codes: the trees have their pages.
import { Link } from 'react-router-dom';
import { Alert, Badge, Card, Col, Empty, Row, Skeleton, Space, Statistic, Tag, Typography } from 'antd';
import { useAuth } from '../../auth';
import { SCOPE_KIND_LABEL, label } from '../../labels';
import { useHome, type HomeItem } from '../home/home-api';
import { AreaFigures } from '../home/figures';

function TodoCard({ item }: { item: HomeItem }) {
  const waiting = item.count > 0;
  return (
    <Col xs={12} md={8} xl={6}>
      <Link to={item.href} data-testid={`todo-${item.key}`} aria-label={`${item.label}：${item.count} 项`}>
        <Card size="small" hoverable style={waiting ? { borderColor: '#ffccc7' } : undefined}>
          <Statistic
            title={<Space size={4}>{waiting && <Badge status="error" />}{item.label}</Space>}
            value={item.count}
            styles={{ content: { color: waiting ? '#c8161e' : '#595959' } }}
          />
          {item.hint && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{item.hint}</Typography.Text>}
        </Card>
      </Link>
    </Col>
  );
}

export default function DashboardPage() {
  const { user } = useAuth();
  const { home, error } = useHome();
  const hour = new Date().getHours();
  const greeting = hour < 6 ? '夜深了' : hour < 12 ? '上午好' : hour < 18 ? '下午好' : '晚上好';
  const waiting = home?.items.filter((i) => i.count > 0).length ?? 0;

  return (
    <div data-testid="dashboard">
      <Card style={{ marginBottom: 16 }}>
        <Space direction="vertical" size={4}>
          <Typography.Title level={4} style={{ margin: 0 }}>{`${greeting}，${user?.displayName ?? ''}`}</Typography.Title>
          <Space wrap>
            {user?.roleNames.map((n) => <Tag color="red" key={n}>{n}</Tag>)}
            <Typography.Text type="secondary">数据范围：{label(SCOPE_KIND_LABEL, user?.scope.kind)}</Typography.Text>
          </Space>
        </Space>
      </Card>

      <Card
        title="我的待办"
        size="small"
        style={{ marginBottom: 16 }}
        extra={home && <Typography.Text type="secondary">{waiting ? `${waiting} 类事项等您处理` : '眼下没有等您处理的事项'}</Typography.Text>}
        data-testid="home-todos"
      >
        {error && <Alert type="error" showIcon title={error} />}
        {!home && !error && <Skeleton active paragraph={{ rows: 2 }} />}
        {home && home.items.length === 0 && <Empty description="您的角色没有需要处理的待办" />}
        {home && home.items.length > 0 && (
          <Row gutter={[12, 12]}>
            {home.items.map((item) => <TodoCard key={item.key} item={item} />)}
          </Row>
        )}
      </Card>

      <AreaFigures />
    </div>
  );
}
