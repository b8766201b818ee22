// 登记案件 (staff entry, channel web): category, the point on the map, description, photos. After filing, the page shows
// where the case was routed, who holds it, its acceptance deadline and any likely duplicates nearby.
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Alert, App, Button, Card, Col, Descriptions, Form, Input, InputNumber, Result, Row, Select, Space, Tag, TreeSelect, Typography, type UploadFile } from 'antd';
import { errorMessage, ApiError } from '../../api';
import { useAuth } from '../../auth';
import { PhotoUpload, stillUploading, uploadedIds } from '../../components/photo-upload';
import { deadlineText, useCategoryTree } from './case-bits';
import { CasePlacePicker, type Point } from './case-place-picker';
import { CASE_STATE_LABEL, casesApi, TIER_LABEL, type CategoryAttribute, type CreatedCase } from './cases-api';

interface Values {
  categoryCode: string;
  point: Point;
  address?: string;
  description: string;
  attributes?: Record<string, string | number | string[] | undefined>;
}

function AttributeField({ attribute: a }: { attribute: CategoryAttribute }) {
  const rules = a.required ? [{ required: true, message: `请填写：${a.description}` }] : [];
  const name = ['attributes', a.code];
  if (a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') {
    return (
      <Form.Item name={name} label={a.description} rules={rules}>
        <Select mode={a.datatype === 'multivaluelist' ? 'multiple' : undefined} allowClear
          options={a.values.map((v) => ({ value: v.key, label: v.name }))} style={{ maxWidth: 320 }} />
      </Form.Item>
    );
  }
  if (a.datatype === 'number') {
    return <Form.Item name={name} label={a.description} rules={rules}><InputNumber min={0} style={{ width: 200 }} /></Form.Item>;
  }
  return <Form.Item name={name} label={a.description} rules={rules}><Input maxLength={a.datatype === 'text' ? 500 : 100} /></Form.Item>;
}

export default function CaseNewPage() {
  const { message } = App.useApp();
  const { user } = useAuth();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const { categories, tree } = useCategoryTree();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [created, setCreated] = useState<CreatedCase | null>(null);
  const categoryCode = Form.useWatch('categoryCode', form);
  const scopeCode = user?.scope.codes[0];

  // only minors can be filed; majors are headings
  const minorTree = useMemo(() => tree.map((m) => ({ ...m, selectable: false })), [tree]);
  const category = useMemo(() => categories.flatMap((m) => m.children ?? []).find((c) => c.code === categoryCode), [categories, categoryCode]);

  const submit = async () => {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    if (stillUploading(files)) { message.warning('照片还在上传，请稍候'); return; }
    const attributes = Object.fromEntries(Object.entries(values.attributes ?? {})
      .filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))) as Record<string, string | number | string[]>;
    setSaving(true);
    setProblem(null);
    try {
      const photos = uploadedIds(files);
      const result = await casesApi.create({
        categoryCode: values.categoryCode, lng: values.point.lng, lat: values.point.lat,
        description: values.description.trim(), channel: 'web',
        ...(values.address?.trim() ? { address: values.address.trim() } : {}),
        ...(photos.length ? { photos } : {}),
        ...(Object.keys(attributes).length ? { attributes } : {}),
      });
      setCreated(result);
      message.success(`已登记，服务单号 ${result.serviceNo}`);
    } catch (e) {
      // a refused field is marked on the form (the server's message starts with the field's name); anything else on top
      const field = e instanceof ApiError && e.field ? (e.field === 'lng' || e.field === 'lat' ? 'point' : e.field) : null;
      const name = (['categoryCode', 'point', 'description', 'address'] as const).find((k) => k === field);
      if (name) form.setFields([{ name, errors: [errorMessage(e).replace(/^[A-Za-z.[\]0-9]+: /, '')] }]);
      else setProblem(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const again = () => { setCreated(null); form.resetFields(); setFiles([]); setProblem(null); };

  if (created) {
    const c = created.case;
    return (
      <Card title="登记案件">
        <Result
          status="success"
          title={`已登记：${created.serviceNo}`}
          subTitle="案件已按位置路由到网格，承办人会收到通知；受理期限按工作日计算。"
          extra={[
            <Button type="primary" key="open" onClick={() => navigate(`/cases/${created.id}`)} data-testid="case-created-open">查看案件</Button>,
            <Button key="again" onClick={again}>继续登记</Button>,
            <Button key="desk" onClick={() => navigate('/cases')}>返回案件台</Button>,
          ]}
        />
        <Descriptions bordered size="small" column={2} style={{ maxWidth: 900, margin: '0 auto' }} data-testid="case-created">
          <Descriptions.Item label="服务单号"><Typography.Text copyable>{created.serviceNo}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label="状态">{CASE_STATE_LABEL[created.state] ?? created.state}</Descriptions.Item>
          <Descriptions.Item label="路由到" span={2}>{[c.streetName, c.communityName, c.gridName, c.microGridName].filter(Boolean).join(' / ')}</Descriptions.Item>
          <Descriptions.Item label="承办">{created.handlerName}<Tag style={{ marginLeft: 6 }}>{TIER_LABEL[created.handlerTier] ?? created.handlerTier}</Tag></Descriptions.Item>
          <Descriptions.Item label="受理期限">{deadlineText(created.deadline, true)}</Descriptions.Item>
          <Descriptions.Item label="疑似重复" span={2}>
            {created.duplicates.length === 0 ? '附近没有同类在办案件' : (
              <Space orientation="vertical" size={2}>
                {created.duplicates.map((d) => (
                  <span key={d.id}>
                    <Link to={`/cases/${d.id}`}>{d.serviceNo}</Link>
                    <Typography.Text type="secondary" style={{ marginLeft: 8 }}>相距 {Math.round(d.distanceM)} 米 · {CASE_STATE_LABEL[d.state] ?? d.state}</Typography.Text>
                  </span>
                ))}
                <Typography.Text type="secondary">受理人可在案件页把本案合并到重复案件。</Typography.Text>
              </Space>
            )}
          </Descriptions.Item>
        </Descriptions>
      </Card>
    );
  }

  return (
    <Card title="登记案件" extra={<Typography.Text type="secondary">来源：平台登记</Typography.Text>}>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark="optional" data-testid="case-form">
        <Row gutter={24}>
          <Col xs={24} lg={11}>
            <Form.Item name="categoryCode" label="案件类别" rules={[{ required: true, message: '请选择案件类别' }]}
              extra={category ? `默认由${TIER_LABEL[category.defaultTier] ?? category.defaultTier}办理；受理 ${category.deadlines.accept} 个工作日，处置 ${category.deadlines.handle} 个工作日` : undefined}>
              <TreeSelect treeData={minorTree} treeDefaultExpandAll showSearch={{ treeNodeFilterProp: 'title' }} placeholder="选择小类，如：暴露垃圾"
                data-testid="case-category" popupMatchSelectWidth={false} />
            </Form.Item>
            {category?.attributes?.map((a) => <AttributeField key={a.code} attribute={a} />)}
            <Form.Item name="description" label="问题描述" rules={[{ required: true, whitespace: true, min: 2, message: '请描述问题（至少 2 个字）' }]}>
              <Input.TextArea rows={4} maxLength={2000} showCount placeholder="发生了什么、持续多久、影响多大" data-testid="case-description" />
            </Form.Item>
            <Form.Item name="address" label="位置说明（选填）">
              <Input maxLength={200} placeholder="如：3 幢北侧车棚" />
            </Form.Item>
            <Form.Item label="现场照片（选填，最多 9 张）">
              <PhotoUpload files={files} onChange={setFiles} onProblem={setProblem} testId="case-photos" />
            </Form.Item>
          </Col>
          <Col xs={24} lg={13}>
            <Form.Item name="point" label="问题位置" rules={[{ required: true, message: '请在地图上点击问题所在位置' }]}>
              <CasePlacePicker scopeCode={scopeCode} />
            </Form.Item>
          </Col>
        </Row>
        <Space>
          <Button type="primary" onClick={submit} loading={saving} data-testid="case-submit">提交登记</Button>
          <Button onClick={() => navigate('/cases')}>取消</Button>
        </Space>
      </Form>
    </Card>
  );
}
