// 人员详情: one person from GET /archive/persons/{id}, every personal field masked; 查看明文 for holders of people:unmask.
import { useEffect, useState } from 'react';
import { Alert, Descriptions, Drawer, Space, Spin, Table, Tag, Typography } from 'antd';
import { errorMessage } from '../../api';
import { GENDER_LABEL, MEMBER_TYPE_LABEL, RELATION_LABEL, label } from '../../labels';
import { archiveApi, type PersonDetail } from './archive-api';
import { UnmaskButton } from './unmask-modal';

type Residence = PersonDetail['residences'][number];

export function PersonDrawer({ personId, onClose }: { personId: string | number | null; onClose: () => void }) {
  const [person, setPerson] = useState<PersonDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (personId === null) return;
    let cancelled = false;
    setPerson(null);
    setError(null);
    archiveApi
      .person(personId)
      .then((result) => !cancelled && setPerson(result))
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [personId]);

  const party = person?.partyMember ?? null;

  return (
    <Drawer
      title={person ? `人员详情 · ${person.name ?? '—'}` : '人员详情'}
      open={personId !== null}
      onClose={onClose}
      size={720}
      destroyOnHidden
      data-testid="person-drawer"
    >
      {error && <Alert type="error" showIcon title={error} data-testid="person-error" />}
      {!person && !error && <Spin />}
      {person && (
        <>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
            个人信息已脱敏。查看明文需说明理由，并记入审计日志。
          </Typography.Paragraph>
          <Descriptions
            column={2}
            size="small"
            bordered
            styles={{ label: { width: 112 } }}
            data-testid="person-detail"
            items={[
              {
                key: 'name',
                label: '姓名',
                span: 2,
                children: (
                  <Space size={12}>
                    <span data-testid="person-detail-name">{person.name ?? '—'}</span>
                    <UnmaskButton personId={person.id} maskedName={person.name ?? '—'} />
                  </Space>
                ),
              },
              { key: 'gender', label: '性别', children: label(GENDER_LABEL, person.gender) },
              { key: 'age', label: '年龄', children: person.age ?? '—' },
              {
                key: 'id',
                label: '身份证号',
                children: <span data-testid="person-detail-id">{person.idNumber ?? '—'}</span>,
              },
              { key: 'mobile', label: '手机号', children: person.mobile ?? '—' },
              {
                key: 'tags',
                label: '关注标签',
                span: 2,
                children:
                  person.tags.length > 0 ? (
                    <Space size={[4, 4]} wrap data-testid="person-detail-tags">
                      {person.tags.map((t) => (
                        <Tag color="orange" key={t.code}>
                          {t.name}
                        </Tag>
                      ))}
                    </Space>
                  ) : (
                    '—'
                  ),
              },
            ]}
          />

          <Typography.Title level={5} style={{ marginTop: 20 }}>
            党员信息
          </Typography.Title>
          {party ? (
            <Descriptions
              column={1}
              size="small"
              bordered
              styles={{ label: { width: 112 } }}
              data-testid="person-detail-party"
              items={[
                { key: 'type', label: '党员类型', children: <Tag color="red">{label(MEMBER_TYPE_LABEL, party.type)}</Tag> },
                { key: 'org', label: '所在党组织', children: party.orgName ?? '—' },
                { key: 'unit', label: '工作单位', children: party.workUnit ?? '—' },
              ]}
            />
          ) : (
            <Typography.Text type="secondary">非党员或未登记</Typography.Text>
          )}

          <Typography.Title level={5} style={{ marginTop: 20 }}>
            居住记录
          </Typography.Title>
          <Table<Residence & { key: number }>
            size="small"
            pagination={false}
            dataSource={person.residences.map((row, index) => ({ ...row, key: index }))}
            locale={{ emptyText: '暂无居住记录' }}
            data-testid="person-residences"
            columns={[
              { title: '地址', dataIndex: 'address', render: (v: string | null) => v ?? '—' },
              { title: '关系', dataIndex: 'relation', width: 100, render: (v: string) => <Tag>{label(RELATION_LABEL, v)}</Tag> },
              { title: '迁入', dataIndex: 'movedIn', width: 110 },
              {
                title: '迁出',
                dataIndex: 'movedOut',
                width: 110,
                render: (v: string | null) => v ?? <Typography.Text type="success">在住</Typography.Text>,
              },
            ]}
          />
        </>
      )}
    </Drawer>
  );
}
