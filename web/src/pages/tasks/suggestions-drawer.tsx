// Who fits this task (C4.6): the 20 best-fitting members with the reasons, for the organiser to invite.
import { useEffect, useState } from 'react';
import { Alert, Drawer, List, Progress, Space, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { distanceLabel, tasksApi, type Suggestion, type Task } from './tasks-api';

export function SuggestionsDrawer({ task, onClose }: { task: Task | null; onClose: () => void }) {
  const [items, setItems] = useState<Suggestion[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setItems(null);
    setError(null);
    if (!task) return;
    tasksApi.suggestions(task.id).then((r) => setItems(r.items)).catch((e) => setError(errorMessage(e)));
  }, [task]);

  return (
    <Drawer open={Boolean(task)} onClose={onClose} width={520} title={task ? `推荐人选 · ${task.title}` : ''} data-testid="suggestions-drawer">
      <Typography.Paragraph type="secondary">
        按技能、离家距离、时间是否有空、当前负荷（在办越多越靠后，分散任务）和近一年评价综合排序，已认领的党员不再推荐。
      </Typography.Paragraph>
      {error && <Alert type="error" message={error} />}
      <List
        loading={items === null && !error}
        dataSource={items ?? []}
        locale={{ emptyText: '范围内暂无可推荐的党员' }}
        renderItem={(s, index) => (
          <List.Item key={s.memberId}>
            <List.Item.Meta
              avatar={<Progress type="circle" size={46} percent={Math.round(s.score)} format={(p) => p} strokeColor="#c8161e" />}
              title={
                <Space>
                  <span>{index + 1}. {s.name}</span>
                  <Typography.Text type="secondary">{s.communityName}</Typography.Text>
                  {s.distanceMeters !== null && <Tag>{distanceLabel(s.distanceMeters)}</Tag>}
                </Space>
              }
              description={
                <Space size={[4, 4]} wrap>
                  {s.reasons.map((r) => (
                    <Tag key={r} color={r.startsWith('技能') ? 'red' : r.startsWith('当前承接') ? 'orange' : 'default'}>{r}</Tag>
                  ))}
                </Space>
              }
            />
          </List.Item>
        )}
      />
    </Drawer>
  );
}
