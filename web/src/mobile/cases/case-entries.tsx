// The way in from each H5 home: residents get three tiles (随手拍, 我的上报, 心愿墙), grid workers a bar with their
// open cases counted (待办案件) and 巡查上报, members 随手拍, their reports and the wish wall in their 我的 list.
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { Badge, List } from 'antd-mobile';
import { casesApi } from './cases-api';
import './cases.css';

function Tile({ icon, text, to, testId }: { icon: string; text: string; to: string; testId: string }) {
  const navigate = useNavigate();
  return (
    <div className="linli-m-tile" role="button" onClick={() => navigate(to)} data-testid={testId}>
      <span className="linli-m-tile-icon">{icon}</span>
      <div className="linli-m-tile-text">{text}</div>
    </div>
  );
}

export function ResidentCaseTiles() {
  return (
    <div className="linli-m-tiles" data-testid="h5-case-tiles">
      <Tile icon="拍" text="随手拍" to="/m/cases/report" testId="h5-tile-report" />
      <Tile icon="报" text="我的上报" to="/m/cases" testId="h5-tile-my-cases" />
      <Tile icon="愿" text="心愿墙" to="/m/wishes" testId="h5-tile-wishes" />
    </div>
  );
}

/** The grid worker's open cases: the `mine` queue count from GET /cases/counts (null until it answers). */
function useTodoCount(): number | null {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    casesApi.counts().then((r) => setCount(r.mine ?? null)).catch(() => setCount(null));
  }, []);
  return count;
}

export function GridCaseEntry() {
  const navigate = useNavigate();
  const count = useTodoCount();
  return (
    <List className="linli-m-list" data-testid="h5-grid-cases">
      <List.Item
        onClick={() => navigate('/m/cases/todo')}
        extra={count !== null ? <Badge content={count > 0 ? (count > 99 ? '99+' : count) : null}><span data-testid="h5-todo-count">{count} 件</span></Badge> : undefined}
        description="本网格的上报案件，按期限受理、处置"
        data-testid="h5-todo-link"
      >
        待办案件
      </List.Item>
      <List.Item onClick={() => navigate('/m/cases/report')} description="巡查发现的问题，拍照定位上报" data-testid="h5-patrol-link">巡查上报</List.Item>
    </List>
  );
}

export function MemberCaseItems() {
  const navigate = useNavigate();
  return (
    <>
      <List.Item onClick={() => navigate('/m/cases/report')} description="看到身边的问题，拍一拍" data-testid="h5-member-report-link">随手拍</List.Item>
      <List.Item onClick={() => navigate('/m/cases')}>我的上报</List.Item>
      <List.Item onClick={() => navigate('/m/wishes')} description="社区的心愿和建议，想要同样的就 +1">心愿墙</List.Item>
    </>
  );
}
