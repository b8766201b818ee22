// Photos picked in a form go to POST /files at once (JPG, PNG or WebP up to 5 MB each); the form keeps the stored ids,
// shown as thumbnails. Used wherever staff attach photos: case feedback, case entry, project spending evidence.
import { Upload, type UploadFile } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { api, errorMessage } from '../api';

export interface StoredPhoto { id: string; url: string }

const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'];
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;

/** The upload list; `onChange` gets the list, each finished file's stored id in `response`. */
export function PhotoUpload({ files, onChange, onProblem, max = 9, testId }: {
  files: UploadFile[];
  onChange: (files: UploadFile[]) => void;
  onProblem: (message: string | null) => void;
  max?: number;
  testId?: string;
}) {
  return (
    <Upload
      listType="picture-card"
      accept={PHOTO_TYPES.join(',')}
      multiple
      fileList={files}
      data-testid={testId}
      beforeUpload={(file) => {
        if (!PHOTO_TYPES.includes(file.type)) {
          onProblem(`“${file.name}”不是图片，只能上传 JPG、PNG 或 WebP 图片`);
          return Upload.LIST_IGNORE;
        }
        if (file.size > PHOTO_MAX_BYTES) {
          onProblem(`“${file.name}”超过 5 MB，请压缩后再上传`);
          return Upload.LIST_IGNORE;
        }
        onProblem(null);
        return true;
      }}
      customRequest={({ file, onSuccess, onError }) => {
        const form = new FormData();
        form.append('file', file as Blob);
        api.upload<StoredPhoto>('/files', form)
          .then((stored) => onSuccess?.(stored))
          .catch((e: unknown) => {
            onProblem(`上传失败：${errorMessage(e)}`);
            onError?.(e instanceof Error ? e : new Error(errorMessage(e)));
          });
      }}
      onChange={({ fileList }) => onChange(fileList
        .filter((f) => f.status !== 'error')
        .slice(0, max)
        .map((f) => {
          const stored = f.response as StoredPhoto | undefined;
          return stored ? { ...f, url: stored.url, thumbUrl: stored.url } : f;
        }))}
    >
      {files.length >= max ? null : (
        <div>
          <PlusOutlined />
          <div style={{ marginTop: 8 }}>上传照片</div>
        </div>
      )}
    </Upload>
  );
}

/** The stored file ids of an upload list (only the finished ones). */
export const uploadedIds = (files: UploadFile[]) =>
  files.map((f) => (f.response as StoredPhoto | undefined)?.id).filter((id): id is string => Boolean(id));

export const stillUploading = (files: UploadFile[]) => files.some((f) => f.status === 'uploading');
