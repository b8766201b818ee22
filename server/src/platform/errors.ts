/** One error vocabulary for the whole API (shared/API.md), mapped to HTTP status in one place. */

export const errorStatus = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  PASSWORD_CHANGE_REQUIRED: 403,
  TOTP_ENROLLMENT_REQUIRED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  /** a record with the same identifying number exists (the field names which) */
  DUPLICATE: 409,
  FULL: 409,
  ALREADY_DONE: 409,
  INVALID_TRANSITION: 409,
  TOO_LARGE: 413,
  LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: { field?: string; en?: string; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
  get field(): string | undefined {
    return this.options.field;
  }
}

/** A validation error naming the field: message reads "field: reason". */
export function invalid(field: string, reason: string, en?: string): AppError {
  return new AppError('VALIDATION', `${field}: ${reason}`, { field, ...(en ? { en: `${field}: ${en}` } : {}) });
}

export function notFound(what = '记录', en = 'record', field?: string): AppError {
  const prefix = field ? `${field}: ` : '';
  return new AppError('NOT_FOUND', `${prefix}${what}不存在或不在您的数据范围内`, { en: `${prefix}${en} not found in your scope`, ...(field ? { field } : {}) });
}

export function forbidden(reason = '没有权限执行此操作', en = 'not allowed'): AppError {
  return new AppError('FORBIDDEN', reason, { en });
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
