// Small fetch client for /api/v1: cookie session, JSON bodies, one error shape.

export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

/** An error returned by the server as `{error:{code,message,field}}` (or a network failure). */
export class ApiError extends Error implements ApiErrorBody {
  readonly code: string;
  readonly field?: string;
  readonly status: number;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
  }
}

export const API_BASE = '/api/v1';

export type Query = Record<string, string | number | boolean | null | undefined>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Do not redirect to /login on 401 (login itself, the boot-time /auth/me probe). */
  noAuthRedirect?: boolean;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  const url = `${API_BASE}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

function redirectToLogin(): void {
  const { pathname, search } = window.location;
  if (pathname === '/login') return;
  const next = encodeURIComponent(pathname + search);
  window.location.assign(`/login?next=${next}`);
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': 'zh-CN' };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'include',
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!response.ok) {
    const errorBody = (data as { error?: ApiErrorBody } | undefined)?.error;
    const error = new ApiError(response.status, {
      code: errorBody?.code ?? `HTTP_${response.status}`,
      message: errorBody?.message ?? defaultMessage(response.status),
      field: errorBody?.field,
    });
    if (response.status === 401 && !options.noAuthRedirect) redirectToLogin();
    throw error;
  }
  return data as T;
}

function defaultMessage(status: number): string {
  if (status === 401) return '登录已失效，请重新登录';
  if (status === 403) return '没有权限执行此操作';
  if (status === 404) return '记录不存在或不在您的数据范围内';
  if (status === 429) return '操作过于频繁，请稍后再试';
  if (status >= 500) return '服务器内部错误，请稍后再试';
  return `请求失败（${status}）`;
}

/** The file name in a Content-Disposition header (RFC 5987 filename* first). */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through */
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? null;
}

async function failure(response: Response): Promise<ApiError> {
  let body: ApiErrorBody | undefined;
  try {
    body = ((await response.json()) as { error?: ApiErrorBody }).error;
  } catch {
    body = undefined;
  }
  if (response.status === 401) redirectToLogin();
  return new ApiError(response.status, {
    code: body?.code ?? `HTTP_${response.status}`,
    message: body?.message ?? defaultMessage(response.status),
    field: body?.field,
  });
}

/** GETs a file (template, export, error report) and hands it to the browser as a download. */
async function download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), { credentials: 'include', headers: { 'Accept-Language': 'zh-CN' } });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!response.ok) throw await failure(response);
  const name = dispositionName(response.headers.get('Content-Disposition')) ?? fallbackName;
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = name;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}

/** POSTs multipart form data (file uploads). */
async function upload<T>(path: string, form: FormData): Promise<T> {
  let response: Response;
  try {
    response = await fetch(buildUrl(path), {
      method: 'POST',
      body: form,
      credentials: 'include',
      headers: { Accept: 'application/json', 'Accept-Language': 'zh-CN' },
    });
  } catch {
    throw new ApiError(0, { code: 'NETWORK', message: '无法连接服务器，请检查网络后重试' });
  }
  if (!response.ok) throw await failure(response);
  return (await response.json()) as T;
}

export const api = {
  download,
  upload,
  get: <T>(path: string, query?: Query, options?: Omit<RequestOptions, 'query' | 'body'>) =>
    request<T>('GET', path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PATCH', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'body'>) =>
    request<T>('PUT', path, { ...options, body }),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, options),
};

/** The message to show a person for any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return '操作失败';
}
