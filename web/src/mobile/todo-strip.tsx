// 待办 on the H5 homes: the caller's to-dos from GET /home, each a count that opens the list it counts.
import { useNavigate } from 'react-router-dom';
import { Badge, Grid } from 'antd-mobile';
import { useHome } from '../pages/home/home-api';

export function TodoStrip({ exclude = [] }: { exclude?: string[] }) {
  const navigate = useNavigate();
  const { home } = useHome();
  const items = home?.items.filter((i) => !exclude.includes(i.key)) ?? [];
  if (!home || items.length === 0) return null;
  return (
    <section className="linli-m-card linli-m-todos" aria-label="我的待办" data-testid="h5-todos">
      <div className="linli-m-todos-title">我的待办</div>
      <Grid columns={Math.min(items.length, 4)} gap={8}>
        {items.map((item) => (
          <Grid.Item key={item.key}>
            <a
              className="linli-m-todo"
              href={item.href}
              onClick={(e) => { e.preventDefault(); navigate(item.href); }}
              data-testid={`h5-todo-${item.key}`}
            >
              <Badge content={item.count > 0 ? Badge.dot : null}>
                <span className={item.count > 0 ? 'linli-m-todo-count linli-m-todo-waiting' : 'linli-m-todo-count'}>{item.count}</span>
              </Badge>
              <span className="linli-m-todo-label">{item.label}</span>
            </a>
          </Grid.Item>
        ))}
      </Grid>
    </section>
  );
}
