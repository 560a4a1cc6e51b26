import { EventEmitter } from 'node:events';
import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub, sseMessage } from '../../src/web/event-hub.js';
import type { WireEvent } from '../../src/web/wire.js';

/** A response that records what is written, and a request that can close. */
function fakeClient(lastEventId?: number) {
  const req = new EventEmitter() as http.IncomingMessage;
  req.headers = lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) };
  const written: string[] = [];
  const res = Object.assign(new EventEmitter(), {
    writeHead: () => res,
    write: (text: string) => written.push(text) > 0,
    end: () => undefined,
  }) as unknown as http.ServerResponse;
  const events = (): WireEvent[] =>
    written.filter((w) => w.startsWith('id: ')).flatMap((w) => JSON.parse(w.split('\n')[1]!.slice(6)) as WireEvent[]);
  const ids = (): number[] => written.filter((w) => w.startsWith('id: ')).map((w) => Number(w.split('\n')[0]!.slice(4)));
  return { req, res, events, ids };
}

const run = { kind: 'scenario' as const, target: 'single-thread', runId: 'r1', args: [], resultFile: 'x', startedAt: 't' };
const phase = (tMs: number): WireEvent => ({ type: 'run-event', runId: 'r1', event: { type: 'phase', phase: 'baseline', tMs } });
const request = (tMs: number): WireEvent => ({ type: 'run-event', runId: 'r1', event: { type: 'request', phase: 'baseline', tMs, latencyMs: 1, pid: 7, status: 200 } });

let hub: EventHub;
afterEach(() => hub?.close());

describe('event hub (server-sent events)', () => {
  it('sends one message per batch, numbered by its last event', () => {
    expect(sseMessage([{ seq: 3, event: phase(1) }, { seq: 4, event: phase(2) }])).toBe(
      `id: 4\ndata: ${JSON.stringify([phase(1), phase(2)])}\n\n`,
    );
  });

  it('batches published events until the flush, to every page', () => {
    hub = new EventHub({ flushMs: 60_000 });
    const a = fakeClient();
    const b = fakeClient();
    hub.subscribe(a.req, a.res);
    hub.subscribe(b.req, b.res);
    hub.publish({ type: 'run-started', run });
    hub.publish(phase(5));
    expect(a.events()).toEqual([]);
    hub.flush();
    expect(a.events()).toEqual([{ type: 'run-started', run }, phase(5)]);
    expect(b.ids()).toEqual([2]);
  });

  it('replays the current run to a late page, and only what a returning page missed', () => {
    hub = new EventHub({ flushMs: 60_000 });
    hub.publish(phase(0)); // an earlier run's: gone once the next run starts
    hub.publish({ type: 'run-started', run });
    hub.publish(phase(1));
    hub.flush();
    hub.publish(request(2)); // queued, not flushed: comes with the next flush, not twice
    const late = fakeClient();
    hub.subscribe(late.req, late.res);
    expect(late.events()).toEqual([{ type: 'run-started', run }, phase(1)]);
    hub.flush();
    expect(late.events()).toEqual([{ type: 'run-started', run }, phase(1), request(2)]);

    const returning = fakeClient(3);
    hub.subscribe(returning.req, returning.res);
    expect(returning.events()).toEqual([request(2)]);
    const stale = fakeClient(1); // last saw event 1, before this run: replay it whole
    hub.subscribe(stale.req, stale.res);
    expect(stale.events()).toEqual([{ type: 'run-started', run }, phase(1), request(2)]);
  });

  it('keeps phases and drops the oldest light requests past the replay limit', () => {
    hub = new EventHub({ flushMs: 60_000, replayLimit: 6 });
    hub.publish({ type: 'run-started', run });
    hub.publish(phase(0));
    for (let t = 1; t <= 5; t++) hub.publish(request(t));
    hub.flush();
    const late = fakeClient();
    hub.subscribe(late.req, late.res);
    expect(late.events()).toEqual([{ type: 'run-started', run }, phase(0), request(4), request(5)]);
    const returning = fakeClient(3); // saw up to event 3; events 4 and 5 (requests 2, 3) were dropped
    hub.subscribe(returning.req, returning.res);
    expect(returning.events()).toEqual(late.events());
  });

  it('stops writing to a page that closed', () => {
    hub = new EventHub({ flushMs: 60_000 });
    const a = fakeClient();
    hub.subscribe(a.req, a.res);
    expect(hub.clientCount).toBe(1);
    a.req.emit('close');
    expect(hub.clientCount).toBe(0);
  });
});
