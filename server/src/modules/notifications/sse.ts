/**
 * Server-Sent Events over Fastify's raw response: `text/event-stream`, a heartbeat comment every 25 s so proxies
 * keep the connection, and clean-up when the client goes away. Used by the inbox stream and the call counters.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface SseStream {
  /** One event; `id` becomes the client's Last-Event-ID on reconnect. */
  send(event: { id?: number | string; event?: string; data: unknown }): void;
  readonly closed: boolean;
  onClose(fn: () => void): void;
  close(): void;
}

export const HEARTBEAT_MS = 25_000;

const open = new Set<SseStream>();
/** Ends every open stream (server shutdown: a hijacked response would otherwise keep the server from closing). */
export function closeAllStreams(): void {
  for (const stream of [...open]) stream.close();
}

export function openSse(request: FastifyRequest, reply: FastifyReply, heartbeatMs = HEARTBEAT_MS): SseStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no', // nginx: do not buffer the stream
  });
  raw.write('retry: 5000\n: connected\n\n');
  const closers: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => { if (!closed) raw.write(': ping\n\n'); }, heartbeatMs);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    open.delete(stream);
    clearInterval(heartbeat);
    for (const fn of closers) {
      try { fn(); } catch { /* clean-up must not throw */ }
    }
  };
  request.raw.on('close', finish);
  raw.on('close', finish);
  raw.on('error', finish);
  const stream: SseStream = {
    send({ id, event, data }) {
      if (closed) return;
      let text = '';
      if (id !== undefined) text += `id: ${id}\n`;
      if (event) text += `event: ${event}\n`;
      text += `data: ${JSON.stringify(data)}\n\n`;
      raw.write(text);
    },
    get closed() { return closed; },
    onClose(fn) { if (closed) fn(); else closers.push(fn); },
    close() { finish(); raw.end(); },
  };
  open.add(stream);
  return stream;
}
