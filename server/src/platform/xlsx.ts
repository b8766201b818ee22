/**
 * Exports as .xlsx (`format=xlsx` on a list): sheets of rows under Chinese headers, written with ExcelJS. A sheet
 * may open with a few lines saying what it holds (the area, the period, the filters). Callers hand over rows already
 * masked the way the list shows them: an export never shows more than the screen.
 */
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The most rows one export holds (a district's year of cases is well under it). */
export const EXPORT_MAX_ROWS = 50_000;

export interface XlsxColumn<R> { header: string; width?: number; value: (row: R) => string | number | null | undefined }
export interface XlsxSheet<R> { name: string; lead?: string[]; columns: XlsxColumn<R>[]; rows: readonly R[] }

export async function xlsxOf(sheets: XlsxSheet<any>[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const s of sheets) {
    const sheet = workbook.addWorksheet(s.name);
    for (const line of s.lead ?? []) sheet.addRow([line]);
    if (s.lead?.length) sheet.addRow([]);
    const header = sheet.addRow(s.columns.map((c) => c.header));
    header.font = { bold: true };
    s.columns.forEach((c, i) => { sheet.getColumn(i + 1).width = c.width ?? 12; });
    for (const row of s.rows) sheet.addRow(s.columns.map((c) => c.value(row) ?? null));
    sheet.views = [{ state: 'frozen', ySplit: header.number }];
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Sends a workbook as a download named `name` (UTF-8 file name, RFC 6266). */
export function sendXlsx(reply: FastifyReply, name: string, file: Buffer): FastifyReply {
  return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).send(file);
}
