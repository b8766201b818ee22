// The counts of a territory node as the server computed them from the records (current residents only).
import { Col, Divider, Empty, Row, Statistic, Tag, Typography } from 'antd';
import { RELATION_LABEL } from '../../labels';
import type { Counts } from './archive-api';

const RELATIONS = ['owner', 'tenant', 'family', 'registered', 'floating'] as const;

function Stat({ title, value, testId, color }: { title: string; value: number; testId?: string; color?: string }) {
  return (
    <Statistic
      title={title}
      value={value}
      styles={{ content: { fontSize: 20, color } }}
      valueRender={(node) => <span data-testid={testId}>{node}</span>}
    />
  );
}

export function CountsPanel({ counts, showPlaces = true }: { counts: Counts; showPlaces?: boolean }) {
  return (
    <div data-testid="counts-panel">
      {showPlaces && (
        <Row gutter={[8, 8]}>
          <Col span={8}>
            <Stat title="楼幢" value={counts.buildings} testId="count-buildings" />
          </Col>
          <Col span={8}>
            <Stat title="单元" value={counts.units} />
          </Col>
          <Col span={8}>
            <Stat title="房屋" value={counts.rooms} />
          </Col>
        </Row>
      )}
      <Row gutter={[8, 8]} style={{ marginTop: 8 }}>
        <Col span={8}>
          <Stat title="户数" value={counts.households} testId="count-households" />
        </Col>
        <Col span={8}>
          <Stat title="居民" value={counts.residents} testId="count-residents" />
        </Col>
        <Col span={8}>
          <Stat title="关注人员" value={counts.tagged} testId="count-tagged" color="#d46b08" />
        </Col>
      </Row>

      <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
        居民构成
      </Divider>
      <Row gutter={[8, 4]}>
        {RELATIONS.map((relation) => (
          <Col span={12} key={relation}>
            <Typography.Text type="secondary">{RELATION_LABEL[relation]}</Typography.Text>
            <span style={{ float: 'right', fontWeight: 600 }} data-testid={`count-relation-${relation}`}>
              {counts.byRelation[relation] ?? 0} 人
            </span>
          </Col>
        ))}
      </Row>

      <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
        党员（共 <span data-testid="count-members">{counts.partyMembers.total}</span> 人）
      </Divider>
      <Row gutter={[8, 8]}>
        <Col span={8}>
          <Stat title="在册" value={counts.partyMembers.inRegister} color="#c8161e" />
        </Col>
        <Col span={8}>
          <Stat title="在职" value={counts.partyMembers.inService} color="#c8161e" />
        </Col>
        <Col span={8}>
          <Stat title="在地" value={counts.partyMembers.inResidence} color="#c8161e" />
        </Col>
      </Row>

      <Divider titlePlacement="start" plain style={{ margin: '12px 0 8px' }}>
        关注人群
      </Divider>
      {counts.tags.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无关注人员" style={{ margin: 0 }} />
      ) : (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6 }} data-testid="count-tags">
          {counts.tags.map((tag) => (
            <Tag color="orange" key={tag.code} style={{ marginInlineEnd: 0 }}>
              {tag.name} {tag.count}
            </Tag>
          ))}
        </div>
      )}
    </div>
  );
}
