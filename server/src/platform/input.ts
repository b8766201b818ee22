/**
 * The input rules every route shares, applied before any schema or handler sees a request (issue 10, item 2):
 * text carries no control characters, query strings are well percent-encoded, headers and path parameters are
 * of sane length. A request that breaks one answers 400 naming the field; nothing reaches SQL, where PostgreSQL
 * would refuse a NUL (22021) or a \u0000 in jsonb (22P05) with a 500.
 */
import { AppError, invalid } from './errors.js';

/**
 * C0 control characters other than tab, line feed and carriage return (which free text may hold), and DEL.
 * NUL is among them: PostgreSQL cannot store it in text or jsonb.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Whether a text holds a control character (for rules that report per row or cell instead of refusing the request). */
export const hasControl = (value: string): boolean => CONTROL.test(value);

/** Refuses a string that holds a control character; `field` names it in the error. */
export function checkText(field: string, value: string): string {
  if (CONTROL.test(value)) throw invalid(field, '包含不允许的控制字符', 'contains a control character');
  return value;
}

/** Longest header value read at all (Node refuses a whole header block over 16 KiB on the wire). */
export const MAX_HEADER_LENGTH = 8 * 1024;

/**
 * Walks a parsed body, query or params object and refuses the first string (value or key) with a control character,
 * naming it by its dotted path (`tasks.0.title`), like a schema failure would.
 */
export function checkStrings(value: unknown, path: string, depth = 0): void {
  if (typeof value === 'string') { checkText(path || 'body', value); return; }
  if (value === null || typeof value !== 'object' || depth > 32) return;
  if (Buffer.isBuffer(value)) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkStrings(item, path ? `${path}.${i}` : String(i), depth + 1));
    return;
  }
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    checkText(at, key);
    checkStrings(item, at, depth + 1);
  }
}

/**
 * The raw query string's parameters must be valid percent-encoded UTF-8: the parser leaves `%zz` or a cut
 * `%E0%A4%A` undecoded, so a search would run for the literal text instead of saying the link is broken.
 */
export function checkQueryEncoding(url: string): void {
  const at = url.indexOf('?');
  if (at < 0) return;
  for (const pair of url.slice(at + 1).split('&')) {
    if (!pair.includes('%')) continue;
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    let name: string;
    try { name = decodeURIComponent(rawName.replace(/\+/g, ' ')); } catch {
      throw invalid('query', '参数名的 URL 编码无效', 'malformed URL encoding in a parameter name');
    }
    try { decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' ')); } catch {
      throw invalid(name, 'URL 编码无效', 'malformed URL encoding');
    }
  }
}

/** Header values: no control characters (Node refuses them on the wire, not through every path in) and a length bound. */
export function checkHeaders(headers: Record<string, string | string[] | undefined>): void {
  for (const [name, raw] of Object.entries(headers)) {
    for (const value of Array.isArray(raw) ? raw : [raw ?? '']) {
      if (value.length > MAX_HEADER_LENGTH) throw invalid(name, `请求头过长（最多 ${MAX_HEADER_LENGTH} 个字符）`, `header longer than ${MAX_HEADER_LENGTH} characters`);
      checkText(name, value);
    }
  }
}

/** Answer for the framework's own refusals (bad path encoding, over-long path parameter): same format, field named. */
export function frameworkError(code: string | undefined): AppError {
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return invalid('path', '路径参数过长', 'path parameter too long');
  if (code === 'FST_ERR_BAD_URL') return invalid('path', '路径的 URL 编码无效', 'malformed URL encoding in the path');
  return new AppError('VALIDATION', '请求无效', { en: 'bad request' });
}
