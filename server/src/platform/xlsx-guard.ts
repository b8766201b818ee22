/**
 * The guard against decompression bombs in uploaded .xlsx files (an .xlsx is a zip): every .xlsx upload passes
 * `assertSafeXlsx` before ExcelJS sees it (archive imports, 12345 hotline batches). It reads the zip's central
 * directory and refuses a file with too many entries or whose entries declare more than the limit uncompressed; then,
 * because declared sizes can lie, it inflates every entry once as a stream, counting bytes and stopping at the
 * limit, so the check costs at most the limit in CPU and nothing in memory. It also requires the entries to tile the
 * file from its first byte to the central directory: ExcelJS's streaming reader walks the local headers in file order,
 * so an entry hidden from the central directory would otherwise escape the count.
 */
import { open } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';
import { createReadStream } from 'node:fs';
import type { Config } from '../config.js';
import { AppError, invalid } from './errors.js';

export interface XlsxLimits { maxEntries: number; maxUncompressedBytes: number }

/** The limits from the settings (LINLI_XLSX_MAX_ENTRIES, LINLI_XLSX_MAX_UNCOMPRESSED_MB). */
export const xlsxLimits = (config: Config): XlsxLimits =>
  ({ maxEntries: config.xlsxMaxEntries, maxUncompressedBytes: config.xlsxMaxUncompressedMb * 1024 * 1024 });

interface Source {
  size: number;
  read(position: number, length: number): Promise<Buffer>;
  stream(start: number, length: number): Readable;
  close(): Promise<void>;
}

async function openSource(input: Buffer | string): Promise<Source> {
  if (Buffer.isBuffer(input)) {
    return {
      size: input.length,
      read: async (position, length) => input.subarray(position, position + length),
      stream: (start, length) => Readable.from([input.subarray(start, start + length)]),
      close: async () => undefined,
    };
  }
  const handle = await open(input, 'r');
  const { size } = await handle.stat();
  return {
    size,
    async read(position, length) {
      const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      return buffer.subarray(0, bytesRead);
    },
    stream: (start, length) => (length === 0 ? Readable.from([]) : createReadStream(input, { start, end: start + length - 1 })),
    close: () => handle.close(),
  };
}

interface Entry { name: string; flags: number; method: number; compressed: number; uncompressed: number; offset: number; zip64: boolean }

const MAX_U32 = 0xffffffff;
/** a central directory larger than this is no spreadsheet's */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;

class Refusal extends Error {
  constructor(readonly reason: 'malformed' | 'entries' | 'size', message: string) { super(message); }
}

const u64 = (b: Buffer, at: number) => Number(b.readBigUInt64LE(at));

/** The central directory's entries, or a Refusal. */
async function readDirectory(src: Source, limits: XlsxLimits): Promise<{ entries: Entry[]; directoryOffset: number }> {
  const tailLength = Math.min(src.size, 22 + 65535);
  const tail = await src.read(src.size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Refusal('malformed', 'no end of central directory');
  let count = tail.readUInt16LE(eocd + 10);
  let dirSize = tail.readUInt32LE(eocd + 12);
  let dirOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || dirSize === MAX_U32 || dirOffset === MAX_U32) {
    // ZIP64: the locator sits just before the end record and points at the ZIP64 end record
    const eocdAt = src.size - tailLength + eocd;
    const locator = await src.read(eocdAt - 20, 20);
    if (locator.length < 20 || locator.readUInt32LE(0) !== 0x07064b50) throw new Refusal('malformed', 'bad zip64 locator');
    const record = await src.read(u64(locator, 8), 56);
    if (record.length < 56 || record.readUInt32LE(0) !== 0x06064b50) throw new Refusal('malformed', 'bad zip64 end record');
    count = u64(record, 32); dirSize = u64(record, 40); dirOffset = u64(record, 48);
  }
  if (count > limits.maxEntries) throw new Refusal('entries', `${count} entries`);
  if (dirSize > MAX_DIRECTORY_BYTES || dirOffset + dirSize > src.size) throw new Refusal('malformed', 'bad central directory');
  const dir = await src.read(dirOffset, dirSize);
  const entries: Entry[] = [];
  let declared = 0;
  for (let at = 0; at < dir.length;) {
    if (at + 46 > dir.length || dir.readUInt32LE(at) !== 0x02014b50) throw new Refusal('malformed', 'bad central directory entry');
    const nameLength = dir.readUInt16LE(at + 28);
    const extraLength = dir.readUInt16LE(at + 30);
    const commentLength = dir.readUInt16LE(at + 32);
    const entry: Entry = {
      name: dir.toString('utf8', at + 46, at + 46 + nameLength), flags: dir.readUInt16LE(at + 8), method: dir.readUInt16LE(at + 10),
      compressed: dir.readUInt32LE(at + 20), uncompressed: dir.readUInt32LE(at + 24), offset: dir.readUInt32LE(at + 42), zip64: false,
    };
    // ZIP64 extra field: the 64-bit values of the fields set to 0xFFFFFFFF above, in this order
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength;) {
      const id = dir.readUInt16LE(x);
      const length = dir.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let p = x + 4;
        entry.zip64 = true;
        if (entry.uncompressed === MAX_U32) { entry.uncompressed = u64(dir, p); p += 8; }
        if (entry.compressed === MAX_U32) { entry.compressed = u64(dir, p); p += 8; }
        if (entry.offset === MAX_U32) { entry.offset = u64(dir, p); }
      }
      x += 4 + length;
    }
    entries.push(entry);
    if (entries.length > limits.maxEntries) throw new Refusal('entries', `more than ${limits.maxEntries} entries`);
    declared += entry.uncompressed;
    if (declared > limits.maxUncompressedBytes) throw new Refusal('size', `declares ${declared} bytes`);
    at += 46 + nameLength + extraLength + commentLength;
  }
  if (entries.length !== count) throw new Refusal('malformed', 'entry count mismatch');
  return { entries, directoryOffset: dirOffset };
}

/** Inflates one entry, counting its bytes; a Refusal when it yields more than declared or than the room left. */
async function inflatedSize(src: Source, entry: Entry, dataStart: number, room: number): Promise<number> {
  let produced = 0;
  const limit = Math.min(entry.uncompressed, room);
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      produced += chunk.length;
      if (produced > limit) {
        done(new Refusal(produced > room ? 'size' : 'malformed', `${entry.name} inflates beyond its declared size`));
      } else done();
    },
  });
  const stages: NodeJS.ReadWriteStream[] = entry.method === 8 ? [createInflateRaw(), counter] : [counter];
  try {
    await pipeline(src.stream(dataStart, entry.compressed), ...(stages as [Transform]));
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal('malformed', `${entry.name}: ${(err as Error).message}`);
  }
  if (produced !== entry.uncompressed) throw new Refusal('malformed', `${entry.name} does not match its declared size`);
  return produced;
}

async function check(src: Source, limits: XlsxLimits): Promise<void> {
  const { entries, directoryOffset } = await readDirectory(src, limits);
  let expected = 0;
  let total = 0;
  for (const entry of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (entry.flags & 0x1) throw new Refusal('malformed', 'encrypted entry');
    if (entry.method !== 0 && entry.method !== 8) throw new Refusal('malformed', `compression method ${entry.method}`);
    // a data descriptor (flag bit 3) of 12–24 bytes may follow the previous entry's data; nothing else may
    const gap = entry.offset - expected;
    if (gap !== 0 && !(gap > 0 && gap <= 24)) throw new Refusal('malformed', 'entries do not tile the file');
    const local = await src.read(entry.offset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== 0x04034b50 || local.readUInt16LE(8) !== entry.method) {
      throw new Refusal('malformed', 'local header does not match the central directory');
    }
    const dataStart = entry.offset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    if (dataStart + entry.compressed > directoryOffset) throw new Refusal('malformed', 'entry overlaps the directory');
    total += await inflatedSize(src, entry, dataStart, limits.maxUncompressedBytes - total);
    expected = dataStart + entry.compressed;
  }
  const gap = directoryOffset - expected;
  if (!(gap >= 0 && gap <= 24)) throw new Refusal('malformed', 'data between the entries and the directory');
}

/**
 * Refuses an uploaded .xlsx (a path or its bytes) that would inflate beyond the limits: 413 TOO_LARGE for too many
 * entries or too many bytes, 400 VALIDATION for a file that is no well-formed zip (a lying size, a hidden entry,
 * encryption, an unknown compression) — each naming the file and the field `file`.
 */
export async function assertSafeXlsx(input: Buffer | string, fileName: string, limits: XlsxLimits): Promise<void> {
  const src = await openSource(input);
  try {
    await check(src, limits);
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    if (err.reason === 'entries') {
      throw new AppError('TOO_LARGE', `file: “${fileName}”包含的部件过多（上限 ${limits.maxEntries} 个），不是正常的表格文件`, {
        field: 'file', en: `file: "${fileName}" has more than ${limits.maxEntries} zip entries`,
      });
    }
    if (err.reason === 'size') {
      const mb = Math.round(limits.maxUncompressedBytes / 1024 / 1024);
      throw new AppError('TOO_LARGE', `file: “${fileName}”解压后超过 ${mb} MB，请拆分后分批导入`, {
        field: 'file', en: `file: "${fileName}" inflates to more than ${mb} MB`,
      });
    }
    throw invalid('file', `“${fileName}”不是有效的 .xlsx 文件（${err.message}）`, `"${fileName}" is not a valid .xlsx file (${err.message})`);
  } finally {
    await src.close();
  }
}
