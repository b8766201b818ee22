// 12345 热线工单导入: download the template, upload the filled .xlsx, read the report row by row — registered (with the
// service number), a ticket number already imported (skipped), or refused (column and reason). Each row is its own
// case: the good rows are registered even when others are refused.
import { useState } from 'react';
import { Alert, App, Button, Modal, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { api, errorMessage } from '../../api';

interface HotlineRow {
  row: number;
  ticketNo: string | null;
  status: 'created' | 'duplicate' | 'error';
  serviceNo: string | null;
  caseId: number | null;
  errors: { column: string; reason: string }[];
}
interface HotlineReport { total: number; created: number; duplicates: number; failed: number; rows: HotlineRow[] }

const STATUS: Record<HotlineRow['status'], { color: string; text: string }> = {
  created: { color: 'green', text: '已登记' },
  duplicate: { color: 'default', text: '重复，已跳过' },
  error: { color: 'red', text: '未登记' },
};

export function HotlineImportModal({ open, onClose, onImported }: { open: boolean; onClose: () => void; onImported: () => void }) {
  const { message } = App.useApp();
  const [report, setReport] = useState<HotlineReport | null>(null);
  const [uploading, setUploading] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const upload = async (file: File) => {
    setUploading(true);
    setProblem(null);
    setReport(null);
    try {
      const form = new FormData();
      form.append('file', file);
      const result = await api.upload<HotlineReport>('/cases/intake/hotline', form);
      setReport(result);
      if (result.created > 0) onImported();
    } catch (e) {
      setProblem(errorMessage(e));
    } finally {
      setUploading(false);
    }
  };

  const template = async () => {
    try {
      await api.download('/cases/intake/hotline/template', undefined, '12345热线工单导入模板.xlsx');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <Modal open={open} title="导入 12345 热线工单" onCancel={() => { setReport(null); setProblem(null); onClose(); }} footer={null} width={820}
      destroyOnHidden data-testid="hotline-import">
      <Typography.Paragraph type="secondary">
        按模板填写（每行一张工单：工单编号、类别、问题描述、位置或地址、来电人等），上传后逐行登记为案件并按位置路由到网格。
        已导入过的工单编号会跳过；有问题的行不登记，并写明是哪一列、什么原因，改正后可再次上传。
      </Typography.Paragraph>
      <Space style={{ marginBottom: 12 }}>
        <Button icon={<DownloadOutlined />} onClick={template}>下载模板</Button>
        <Upload accept=".xlsx" showUploadList={false} beforeUpload={(file) => { void upload(file); return false; }}>
          <Button type="primary" icon={<UploadOutlined />} loading={uploading} data-testid="hotline-upload">上传 .xlsx</Button>
        </Upload>
      </Space>
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      {report && (
        <>
          <Space size="large" style={{ display: 'flex', marginBottom: 12 }} data-testid="hotline-report">
            <Statistic title="工单" value={report.total} />
            <Statistic title="已登记" value={report.created} styles={{ content: { color: '#389e0d' } }} />
            <Statistic title="重复跳过" value={report.duplicates} />
            <Statistic title="未登记" value={report.failed} styles={{ content: { color: report.failed ? '#c8161e' : undefined } }} />
          </Space>
          <Table<HotlineRow>
            rowKey="row" size="small" dataSource={report.rows} pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { title: '行', dataIndex: 'row', width: 60 },
              { title: '工单编号', dataIndex: 'ticketNo', width: 150, render: (v: string | null) => v ?? '—' },
              { title: '结果', dataIndex: 'status', width: 120, render: (v: HotlineRow['status']) => <Tag color={STATUS[v].color}>{STATUS[v].text}</Tag> },
              {
                title: '服务单号 / 原因',
                render: (_: unknown, r) => (r.status === 'error'
                  ? r.errors.map((e) => <div key={`${e.column}-${e.reason}`}>{e.column}：{e.reason}</div>)
                  : r.caseId ? <Link to={`/cases/${r.caseId}`}>{r.serviceNo}</Link> : r.serviceNo ?? '—'),
              },
            ]}
          />
        </>
      )}
    </Modal>
  );
}
