/**
 * The inbox and its live push, over a real HTTP listener (Server-Sent Events cannot be tested through inject).
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { notify, registerSender, transact, type NotificationEvent } from '../../platform/notify.js';
import { closeAllStreams, openSse } from './sse.js';
import { buildMembers, CHANGHE_1, inHours, XILING, XIXING, type Member } from '../tasks/test-factory.js';

interface SseEvent { id: string | null; event: string | null; data: any }

/** Opens an SSE stream and collects its events (and comments) until closed. */
async function openStream(url: string, token: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  const pump = (async () => {
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { id: null, event: null, data: null };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) { e.data = JSON.parse(line.slice(6)); isEvent = true; }
          }
          if (isEvent) events.push(e);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch { /* aborted */ }
  })();
  return {
    res, events, comments,
    /** Resolves when `predicate` holds for the events so far, or rejects after `ms`. */
    async until(predicate: (events: SseEvent[]) => boolean, ms = 5000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; events: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 100); });
      }
    },
    async close() { controller.abort(); await pump; },
  };
}

describe('notifications: inbox and live push', () => {
  let t: TestContext;
  let base: string;
  let street: string;
  let near: Member;   // serves in 西陵社区 (under 西兴街道)
  let near2: Member;
  let far: Member;    // serves in 长河街道
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);

  beforeAll(async () => {
    t = await createTestContext();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    street = await t.login(`street.${XIXING}`);
    [near, near2] = (await buildMembers(t, 2, [XILING])) as [Member, Member];
    far = (await buildMembers(t, 1, [CHANGHE_1]))[0]!;
  });
  afterAll(async () => t.close());

  const issueCall = async (title: string) => {
    const res = await t.call(street, 'POST', '/api/v1/service/calls', { title, message: '请就近报到', scopeCode: XIXING,
      tasks: [{ title: '物资转运', capacity: 4, startsAt: inHours(1), endsAt: inHours(3) }] });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; tasks: { id: number }[] };
  };

  it('pushes a call live to a member of the area and not to a member outside it', async () => {
    const mine = await openStream(`${base}/api/v1/notifications/stream`, near.token);
    const other = await openStream(`${base}/api/v1/notifications/stream`, far.token);
    expect(mine.res.status).toBe(200);
    expect(mine.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const call = await issueCall('暴雨应急召集');
    await mine.until((ev) => ev.some((e) => e.event === 'notification' && e.data.kind === 'call' && e.data.refId === String(call.id)));
    const pushed = mine.events.find((e) => e.data.refId === String(call.id))!;
    expect(pushed.data).toMatchObject({ title: '召集令：暴雨应急召集', body: '请就近报到', link: `/m/calls/${call.id}`, read: false });
    expect(Number(pushed.id)).toBe(pushed.data.id);
    // the member outside the area gets nothing, even a while later
    await new Promise((r) => setTimeout(r, 600));
    expect(other.events).toEqual([]);
    expect(mine.comments).toContain('connected');
    await Promise.all([mine.close(), other.close()]);
  });

  it('resumes with Last-Event-ID by replaying newer inbox rows', async () => {
    const before = (await t.call(near.token, 'GET', '/api/v1/notifications?limit=1')).json().items[0]?.id ?? 0;
    const a = await issueCall('第二次召集');
    const b = await issueCall('第三次召集');
    const resumed = await openStream(`${base}/api/v1/notifications/stream`, near.token, { 'last-event-id': String(before) });
    await resumed.until((ev) => ev.length >= 2);
    expect(resumed.events.map((e) => e.data.refId)).toEqual([String(a.id), String(b.id)]);
    await resumed.close();
  });

  it('lists the inbox with read state, counts unread, marks read; another user\'s message is 404', async () => {
    await transact(t.database.db, async (trx, onCommit) => {
      await notify(trx, onCommit, { recipientUserId: near.userId, kind: 'dispatch', title: '您有新的派单', body: '帮助独居老人购药', link: '/m/orders/1' });
    });
    const list = (await t.call(near.token, 'GET', '/api/v1/notifications?limit=2')).json();
    expect(list.items).toHaveLength(2);
    expect(list.items[0]).toMatchObject({ kind: 'dispatch', title: '您有新的派单', read: false });
    expect(list.nextCursor).toBeTruthy();
    const rest = (await t.call(near.token, 'GET', `/api/v1/notifications?cursor=${list.nextCursor}`)).json();
    expect(rest.items.every((i: { id: number }) => i.id < list.items[1].id)).toBe(true);
    const total = list.items.length + rest.items.length;
    expect((await t.call(near.token, 'GET', '/api/v1/notifications/unread-count')).json()).toEqual({ unread: total });
    // the other member of the area sees the calls but not the personal dispatch
    const theirs = (await t.call(near2.token, 'GET', '/api/v1/notifications')).json().items;
    expect(theirs.some((i: { kind: string }) => i.kind === 'dispatch')).toBe(false);
    expect((await t.call(near2.token, 'POST', `/api/v1/notifications/${list.items[0].id}/read`)).statusCode).toBe(404);
    // reading a call is per user: near reading it leaves it unread for near2
    const callItem = rest.items.find((i: { kind: string }) => i.kind === 'call');
    const read = await t.call(near.token, 'POST', `/api/v1/notifications/${callItem.id}/read`);
    expect(read.json()).toEqual({ unread: total - 1 });
    expect((await t.call(near2.token, 'GET', '/api/v1/notifications')).json().items.find((i: { id: number }) => i.id === callItem.id).read).toBe(false);
    expect((await t.call(near.token, 'GET', '/api/v1/notifications?unread=true')).json().items.map((i: { id: number }) => i.id)).not.toContain(callItem.id);
    const all = await t.call(near.token, 'POST', '/api/v1/notifications/read-all');
    expect(all.json()).toEqual({ marked: total - 1, unread: 0 });
    // staff without a force record still have a personal inbox
    expect((await t.call(street, 'GET', '/api/v1/notifications/unread-count')).statusCode).toBe(200);
  });

  it('streams a call\'s counters to the organiser as claims happen', async () => {
    const call = await issueCall('计数推送');
    const stream = await openStream(`${base}/api/v1/service/calls/${call.id}/stream`, street);
    await stream.until((ev) => ev.some((e) => e.event === 'counters'));
    expect(stream.events[0]!.data).toMatchObject({ tasks: 1, capacity: 4, claimed: 0, members: 0 });
    expect((await t.call(near.token, 'POST', `/api/v1/service/tasks/${call.tasks[0]!.id}/claims`, {})).statusCode).toBe(201);
    expect((await t.call(near2.token, 'POST', `/api/v1/service/tasks/${call.tasks[0]!.id}/claims`, {})).statusCode).toBe(201);
    await stream.until((ev) => ev.some((e) => e.data.claimed === 2 && e.data.members === 2));
    // a member outside the call's area may not watch it
    const refused = await fetch(`${base}/api/v1/service/calls/${call.id}/stream`, { headers: { authorization: `Bearer ${far.token}` } });
    expect(refused.status).toBe(404);
    await stream.close();
  });

  it('hands notifications to a plugged-in external channel and records the delivery', async () => {
    const sent: { event: NotificationEvent; userIds: number[] }[] = [];
    registerSender({ channel: 'sms', async send(event, userIds) { sent.push({ event, userIds }); } });
    const id = await transact(t.database.db, (trx, onCommit) => notify(trx, onCommit, { recipientUserId: near.userId, kind: 'reminder', title: '服务提醒' }));
    await new Promise((r) => setTimeout(r, 200));
    expect(sent.map((s) => [s.event.id, s.userIds])).toEqual([[id, [near.userId]]]);
    const [delivery] = await q<{ channel: string; status: string; attempts: number }>(
      'select channel, status, attempts from notification_delivery where notification_id = $1', [id]);
    expect(delivery).toEqual({ channel: 'sms', status: 'sent', attempts: 1 });
  });

  it('keeps an idle stream alive with heartbeat comments and ends streams when the server closes', async () => {
    const bare = Fastify();
    bare.get('/s', async (request, reply) => { openSse(request, reply, 50); });
    bare.addHook('preClose', async () => { closeAllStreams(); });
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const address = bare.server.address();
    const stream = await openStream(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/s`, 'none');
    await new Promise((r) => setTimeout(r, 300));
    expect(stream.comments.filter((c) => c === 'ping').length).toBeGreaterThanOrEqual(2);
    // an open stream does not keep the server from closing
    await bare.close();
    await stream.close();
  });
});
