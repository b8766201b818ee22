// 数据导入: choose what to import, download its template, upload a file with a mode, follow the progress live
// (polled every second) and download the error report; below, the history of my imports.
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Progress,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { CloudUploadOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../../api';
import { LoadMore } from '../../components/load-more';
import { useCursorList } from '../../components/use-cursor-list';
import { IMPORT_KIND_LABEL, IMPORT_MODE_LABEL, IMPORT_STATUS_LABEL, formatTime } from '../../labels';

type ImportKind = 'rooms' | 'residents' | 'party_members' | 'owners' | 'registry';
type ImportMode = 'all_or_nothing' | 'valid_rows';

export interface ImportJob {
  id: string;
  kind: ImportKind;
  mode: ImportMode;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  fileName: string;
  total: number;
  processed: number;
  imported: number;
  updated: number;
  rejected: number;
  message: string | null;
  errorReportUrl: string | null;
  createdAt: string;
  finishedAt: string | null;
}

const KINDS: { value: ImportKind; hint: string }[] = [
  { value: 'rooms', hint: '小区、楼幢、单元、房屋（门牌）' },
  { value: 'residents', hint: '居民及其户、与房屋的关系（业主/租客/家庭成员…）' },
  { value: 'party_members', hint: '党员身份：在册 / 在职 / 在地' },
  { value: 'owners', hint: '物业提供的产权人名单，按地址匹配到房屋' },
  { value: 'registry', hint: '公安 / 户籍户口数据，按地址匹配到房屋' },
];

const FINISHED = new Set(['succeeded', 'failed']);

function JobProgress({ job, onDownloadReport }: { job: ImportJob; onDownloadReport: () => void }) {
  const status = IMPORT_STATUS_LABEL[job.status] ?? { text: job.status, color: 'default' };
  const percent = job.total > 0 ? Math.floor((job.processed / job.total) * 100) : FINISHED.has(job.status) ? 100 : 0;
  const nothingImported = job.mode === 'all_or_nothing' && job.rejected > 0 && job.status === 'failed';
  return (
    <div data-testid="import-progress">
      <Space style={{ marginBottom: 8 }} wrap>
        <Tag color={status.color} data-testid="import-status" data-status={job.status}>
          {status.text}
        </Tag>
        <Typography.Text strong>{job.fileName}</Typography.Text>
        <Typography.Text type="secondary">
          {IMPORT_KIND_LABEL[job.kind] ?? job.kind} · {IMPORT_MODE_LABEL[job.mode] ?? job.mode}
        </Typography.Text>
      </Space>
      <Progress
        percent={percent}
        status={job.status === 'failed' ? 'exception' : job.status === 'succeeded' ? 'success' : 'active'}
        format={() => `${job.processed.toLocaleString()} / ${job.total ? job.total.toLocaleString() : '?'} 行`}
      />
      <Row gutter={16} style={{ marginTop: 12 }}>
        <Col span={6}>
          <Statistic title="新增" value={job.imported} valueRender={(n) => <span data-testid="import-imported">{n}</span>} styles={{ content: { color: '#389e0d' } }} />
        </Col>
        <Col span={6}>
          <Statistic title="更新" value={job.updated} valueRender={(n) => <span data-testid="import-updated">{n}</span>} styles={{ content: { color: '#1677ff' } }} />
        </Col>
        <Col span={6}>
          <Statistic title="有错误的行" value={job.rejected} valueRender={(n) => <span data-testid="import-rejected">{n}</span>} styles={{ content: { color: job.rejected ? '#cf1322' : undefined } }} />
        </Col>
        <Col span={6} style={{ display: 'flex', alignItems: 'center' }}>
          {job.rejected > 0 && (
            <Button danger icon={<FileExcelOutlined />} onClick={onDownloadReport} data-testid="import-error-report" disabled={!FINISHED.has(job.status)}>
              下载错误报告
            </Button>
          )}
        </Col>
      </Row>
      {nothingImported && (
        <Alert
          type="warning"
          showIcon
          style={{ marginTop: 12 }}
          title="整体导入：文件中有错误行，全部数据均未导入。请按错误报告修改后重新上传，或选择“仅导入正确的行”。"
        />
      )}
      {job.message && !nothingImported && (
        <Alert
          type={job.status === 'failed' ? 'error' : job.rejected > 0 ? 'warning' : 'success'}
          showIcon
          style={{ marginTop: 12 }}
          title={job.message}
          description={job.rejected > 0 && job.status === 'succeeded' ? '有错误的行未导入，请点“下载错误报告”查看行号、列和原因，修改后可再次导入（已导入的人员按身份证号更新，不会重复）。' : undefined}
          data-testid="import-message"
        />
      )}
      {!job.message && job.status === 'succeeded' && job.rejected > 0 && job.mode === 'valid_rows' && (
        <Alert type="info" showIcon style={{ marginTop: 12 }} title="正确的行已导入；有错误的行未导入，请下载错误报告查看行号、列和原因。" />
      )}
    </div>
  );
}

export default function ImportsPage() {
  const { message } = App.useApp();
  const [kind, setKind] = useState<ImportKind>('residents');
  const [mode, setMode] = useState<ImportMode>('all_or_nothing');
  const [file, setFile] = useState<File | null>(null);
  const [uploading, setUploading] = useState(false);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [pollError, setPollError] = useState<string | null>(null);
  // from the home's to-do 「导入有错误」: only the imports with refused rows or a failure
  const [params, setParams] = useSearchParams();
  const errorsOnly = params.get('errors') === 'true';
  const history = useCursorList<ImportJob>('/imports', errorsOnly ? { errors: 'true' } : {}, 10);
  const reloadHistory = useRef(history.reload);
  reloadHistory.current = history.reload;

  // Poll the current job every second until it finishes.
  const jobId = job?.id;
  const jobDone = job ? FINISHED.has(job.status) : true;
  useEffect(() => {
    if (!jobId || jobDone) return;
    let cancelled = false;
    const timer = window.setInterval(() => {
      api
        .get<ImportJob>(`/imports/${encodeURIComponent(jobId)}`)
        .then((next) => {
          if (cancelled) return;
          setPollError(null);
          setJob(next);
          if (FINISHED.has(next.status)) reloadHistory.current();
        })
        .catch((e: unknown) => !cancelled && setPollError(errorMessage(e)));
    }, 1000);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [jobId, jobDone]);

  const downloadTemplate = async (format: 'xlsx' | 'csv') => {
    try {
      await api.download(`/imports/templates/${kind}`, { format }, `${IMPORT_KIND_LABEL[kind]}导入模板.${format}`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const downloadReport = async (target: ImportJob) => {
    try {
      const path = target.errorReportUrl?.replace(/^\/api\/v1/, '') ?? `/imports/${encodeURIComponent(target.id)}/error-report`;
      await api.download(path, undefined, `错误报告-${target.fileName.replace(/\.[^.]+$/, '')}.xlsx`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const start = async () => {
    if (!file) return;
    setUploading(true);
    try {
      const form = new FormData();
      form.append('kind', kind);
      form.append('mode', mode);
      form.append('file', file, file.name);
      const { id } = await api.upload<{ id: string }>('/imports', form);
      const first = await api.get<ImportJob>(`/imports/${encodeURIComponent(id)}`).catch(() => null);
      setJob(
        first ?? {
          id,
          kind,
          mode,
          status: 'queued',
          fileName: file.name,
          total: 0,
          processed: 0,
          imported: 0,
          updated: 0,
          rejected: 0,
          message: null,
          errorReportUrl: null,
          createdAt: new Date().toISOString(),
          finishedAt: null,
        },
      );
      setFile(null);
      history.reload();
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setUploading(false);
    }
  };

  return (
    <>
      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title="数据导入" size="small" style={{ height: '100%' }}>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              1. 选择导入内容
            </Typography.Title>
            <Radio.Group
              value={kind}
              onChange={(e) => setKind(e.target.value as ImportKind)}
              style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
              data-testid="import-kind"
            >
              {KINDS.map((k) => (
                <Radio key={k.value} value={k.value}>
                  <strong>{IMPORT_KIND_LABEL[k.value]}</strong>
                  <Typography.Text type="secondary" style={{ marginLeft: 8, fontSize: 12 }}>
                    {k.hint}
                  </Typography.Text>
                </Radio>
              ))}
            </Radio.Group>

            <Typography.Title level={5}>2. 下载模板，按模板填写</Typography.Title>
            <Space>
              <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate('xlsx')} data-testid="template-xlsx">
                下载 Excel 模板
              </Button>
              <Button icon={<DownloadOutlined />} onClick={() => downloadTemplate('csv')} data-testid="template-csv">
                下载 CSV 模板
              </Button>
            </Space>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 6 }}>
              Excel 模板的字典列（关系、标签、党员类型等）带下拉选项，并附填写说明。地址可写作“3幢2单元501”“3-2-501”或“3号楼2单元501室”。
            </Typography.Paragraph>

            <Typography.Title level={5}>3. 上传文件</Typography.Title>
            <Upload.Dragger
              accept=".xlsx,.csv"
              maxCount={1}
              beforeUpload={(f) => {
                setFile(f);
                return false;
              }}
              onRemove={() => setFile(null)}
              fileList={file ? [{ uid: 'file', name: file.name, status: 'done', size: file.size }] : []}
              data-testid="import-file"
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">点击或拖拽文件到此处</p>
              <p className="ant-upload-hint">支持 .xlsx 或 .csv（UTF-8 或 GBK 编码），大文件也可以</p>
            </Upload.Dragger>

            <Typography.Title level={5}>4. 有错误的行如何处理</Typography.Title>
            <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} data-testid="import-mode" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
              <Radio value="all_or_nothing">整体导入：有错误则全部不导入</Radio>
              <Radio value="valid_rows">仅导入正确的行，错误的行列入错误报告</Radio>
            </Radio.Group>

            <div style={{ marginTop: 16 }}>
              <Button type="primary" icon={<CloudUploadOutlined />} disabled={!file} loading={uploading} onClick={start} data-testid="import-start">
                开始导入
              </Button>
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title="导入进度" size="small" style={{ height: '100%' }}>
            {pollError && <Alert type="error" showIcon title={pollError} style={{ marginBottom: 12 }} />}
            {job ? (
              <JobProgress job={job} onDownloadReport={() => downloadReport(job)} />
            ) : (
              <Typography.Text type="secondary">上传文件后，这里实时显示处理进度、新增 / 更新 / 错误行数。也可在下方历史记录中点“查看”。</Typography.Text>
            )}
          </Card>
        </Col>
      </Row>

      <Card
        title="我的导入记录"
        size="small"
        style={{ marginTop: 16 }}
        extra={
          <Space>
            {errorsOnly && (
              <Tag closable color="orange" onClose={() => setParams({}, { replace: true })} data-testid="import-errors-filter">
                只看近 30 天有错误的导入
              </Tag>
            )}
            <Button size="small" icon={<ReloadOutlined />} onClick={history.reload}>
              刷新
            </Button>
          </Space>
        }
      >
        {history.error && <Alert type="error" showIcon title={history.error} style={{ marginBottom: 12 }} />}
        <Table<ImportJob>
          size="small"
          rowKey="id"
          pagination={false}
          loading={history.loading}
          dataSource={history.items}
          data-testid="import-history"
          columns={[
            { title: '时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatTime(v) },
            { title: '内容', dataIndex: 'kind', width: 110, render: (v: string) => IMPORT_KIND_LABEL[v] ?? v },
            { title: '文件', dataIndex: 'fileName', ellipsis: true },
            { title: '方式', dataIndex: 'mode', width: 130, render: (v: string) => IMPORT_MODE_LABEL[v] ?? v },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (v: string) => <Tag color={IMPORT_STATUS_LABEL[v]?.color}>{IMPORT_STATUS_LABEL[v]?.text ?? v}</Tag>,
            },
            { title: '总行数', dataIndex: 'total', width: 80 },
            { title: '新增', dataIndex: 'imported', width: 70 },
            { title: '更新', dataIndex: 'updated', width: 70 },
            { title: '错误', dataIndex: 'rejected', width: 70, render: (v: number) => (v ? <Typography.Text type="danger">{v}</Typography.Text> : 0) },
            {
              title: '操作',
              key: 'actions',
              width: 180,
              render: (_, row) => (
                <Space size={4}>
                  <Button type="link" size="small" onClick={() => setJob(row)}>
                    查看
                  </Button>
                  {row.rejected > 0 && FINISHED.has(row.status) && (
                    <Button type="link" size="small" onClick={() => downloadReport(row)}>
                      错误报告
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
        <LoadMore hasMore={history.hasMore} loading={history.loading} onClick={history.loadMore} count={history.items.length} />
      </Card>
    </>
  );
}
