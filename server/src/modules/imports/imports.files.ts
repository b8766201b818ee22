/**
 * Spreadsheet files of the importer: streaming row readers for .csv (UTF-8 with/without BOM, or GBK) and .xlsx,
 * the downloadable templates, and the streaming .xlsx error report. Nothing here holds a whole file in memory.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
import { COLUMNS, KIND_NAMES } from './imports.columns.js';
import type { ImportKind } from './imports.schema.js';

export interface SheetRow {
  /** row number as the user sees it in the sheet (header = 1) */
  line: number;
  values: string[];
}

/** GBK unless the first 64 KiB are valid UTF-8. */
async function detectEncoding(path: string): Promise<'utf-8' | 'gbk'> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, bytesRead), { stream: true });
      return 'utf-8';
    } catch {
      return 'gbk';
    }
  } finally {
    await handle.close();
  }
}

function decoderStream(encoding: string): Transform {
  const decoder = new TextDecoder(encoding);
  return new Transform({
    transform(chunk: Buffer, _enc, done) { done(null, decoder.decode(chunk, { stream: true })); },
    flush(done) { done(null, decoder.decode()); },
  });
}

async function* readCsv(path: string): AsyncGenerator<SheetRow> {
  const encoding = await detectEncoding(path);
  const source = createReadStream(path, { highWaterMark: 1 << 20 });
  const text = encoding === 'utf-8' ? source : source.pipe(decoderStream('gbk'));
  const parser = text.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }));
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { line: record.info.lines, values: record.record };
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value).trim();
}

async function* readXlsx(path: string): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet as unknown as AsyncIterable<ExcelJS.Row>) {
      const raw = row.values as ExcelJS.CellValue[];
      const values: string[] = [];
      for (let i = 1; i < raw.length; i++) values.push(cellText(raw[i]));
      if (values.some((v) => v !== '')) yield { line: row.number, values };
    }
    return; // the first sheet holds the data
  }
}

/** Rows of an uploaded file, the header row first. */
export function readRows(path: string, fileName: string): AsyncGenerator<SheetRow> {
  return /\.xlsx$/i.test(fileName) ? readXlsx(path) : readCsv(path);
}

/** A template: .xlsx with drop-downs for dictionary columns and an instructions sheet, or a .csv header row. */
export async function buildTemplate(kind: ImportKind, format: 'xlsx' | 'csv', tagNames: string[]): Promise<Buffer> {
  const columns = COLUMNS[kind];
  if (format === 'csv') {
    return Buffer.from(`\ufeff${columns.map((c) => c.header).join(',')}\r\n`, 'utf8');
  }
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Linli';
  const sheet = workbook.addWorksheet(KIND_NAMES[kind]);
  sheet.columns = columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, c.header.length * 3 + 4) }));
  sheet.getRow(1).font = { bold: true };
  columns.forEach((c, i) => {
    const cell = sheet.getRow(1).getCell(i + 1);
    if (c.required) cell.font = { bold: true, color: { argb: 'FFC00000' } };
    cell.note = c.note || c.header;
    sheet.getColumn(i + 1).numFmt = '@'; // ID numbers and codes stay text
  });
  const letter = (i: number) => String.fromCharCode(65 + i);
  columns.forEach((c, i) => {
    if (!c.dictionary) return;
    const values = c.dictionary === 'tags' ? tagNames : c.dictionary;
    const range = `${letter(i)}2:${letter(i)}10001`;
    (sheet as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(range, {
      type: 'list', allowBlank: !c.required, formulae: [`"${values.join(',')}"`],
      // several tags may be separated by 、 → a warning instead of a hard stop
      showErrorMessage: true, errorStyle: c.dictionary === 'tags' ? 'warning' : 'stop',
      errorTitle: c.header, error: `请从下拉列表选择：${values.join('/')}`,
    });
  });
  const info = workbook.addWorksheet('说明');
  info.columns = [{ header: '列', key: 'h', width: 14 }, { header: '必填', key: 'r', width: 8 }, { header: '说明', key: 'n', width: 70 }, { header: '示例', key: 'e', width: 24 }];
  info.getRow(1).font = { bold: true };
  for (const c of columns) {
    const dict = c.dictionary === 'tags' ? `可选值：${tagNames.join('、')}。` : c.dictionary ? `可选值：${c.dictionary.join('、')}。` : '';
    info.addRow({ h: c.header, r: c.required ? '是' : '否', n: `${c.note}${c.note && dict ? '；' : ''}${dict}`, e: c.example });
  }
  info.addRow({});
  info.addRow({ h: '导入方式', n: '全部或不导入（all_or_nothing）：任何一行有误则不写入任何数据；仅导入正确行（valid_rows）：正确的行一次性写入，错误行进入错误报告。' });
  info.addRow({ h: '错误报告', n: '导入完成后可下载 .xlsx 错误报告：行号、列、原因及该行原始数据。第 1 行为表头，数据从第 2 行开始。' });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Writes error rows to an .xlsx file as they are found (streaming). */
export class ErrorReportWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly sheet: ExcelJS.Worksheet;
  /** error lines written */
  count = 0;
  /** distinct rows with errors (a row's errors are written together) */
  rows = 0;
  private lastLine = -1;

  constructor(readonly path: string, headers: string[]) {
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false, useStyles: true });
    this.sheet = this.workbook.addWorksheet('错误报告');
    this.sheet.columns = [
      { header: '行号', key: 'line', width: 8 }, { header: '列', key: 'column', width: 14 }, { header: '原因', key: 'reason', width: 40 },
      ...headers.map((h, i) => ({ header: h || `第${i + 1}列`, key: `v${i}`, width: 16 })),
    ];
  }

  add(line: number, column: string, reason: string, values: string[]): void {
    this.count += 1;
    if (line !== this.lastLine) { this.rows += 1; this.lastLine = line; }
    this.sheet.addRow([line, column, reason, ...values]).commit();
  }

  async finish(): Promise<void> {
    (this.sheet as unknown as { commit(): void }).commit();
    await this.workbook.commit();
  }
}
