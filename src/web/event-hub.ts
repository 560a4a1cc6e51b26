// Server-sent events to every open page. Chosen over WebSocket because the stream only flows one
// way (server to page); commands go as plain POSTs, where the token, Host and Origin checks are
// ordinary HTTP; EventSource reconnects by itself and resumes with Last-Event-ID; and it needs
// nothing beyond node:http (WebSocket would need a library or a hand-written framing layer).
import type http from 'node:http';
import type { WireEvent } from './wire.js';

export interface HubOptions {
  /** Events are sent in batches at most this often: one SSE message per batch, not per request. */
  flushMs?: number;
  /** Most events kept for a page that connects mid-run; the oldest light requests go first. */
  replayLimit?: number;
  /** A comment line this often keeps proxies and idle-timeouts from closing the stream. */
  heartbeatMs?: number;
}

interface Numbered {
  seq: number;
  event: WireEvent;
}

/** One SSE message carrying a batch of events; `id` is the last event's number. Pure. */
export function sseMessage(batch: readonly Numbered[]): string {
  const last = batch[batch.length - 1];
  return `id: ${last?.seq ?? 0}\ndata: ${JSON.stringify(batch.map((n) => n.event))}\n\n`;
}

export class EventHub {
  private readonly clients = new Set<http.ServerResponse>();
  /** Everything since the current run started (its 'run-started' first), for late and returning pages. */
  private replay: Numbered[] = [];
  private pending: Numbered[] = [];
  private seq = 0;
  /** Events up to this number have been sent to the open pages; later ones wait for the next flush. */
  private flushedSeq = 0;
  /** The newest event dropped from the replay: a page that saw less must replay the whole run. */
  private droppedSeq = 0;
  private readonly flushTimer: NodeJS.Timeout;
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly replayLimit: number;

  constructor(options: HubOptions = {}) {
    this.replayLimit = options.replayLimit ?? 100_000;
    this.flushTimer = setInterval(() => this.flush(), options.flushMs ?? 100);
    this.heartbeatTimer = setInterval(() => this.writeAll(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    this.flushTimer.unref();
    this.heartbeatTimer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  publish(event: WireEvent): void {
    const numbered = { seq: ++this.seq, event };
    if (event.type === 'run-started') {
      this.replay = [];
      this.droppedSeq = 0;
    }
    this.replay.push(numbered);
    if (this.replay.length > this.replayLimit) this.trimReplay();
    this.pending.push(numbered);
  }

  /** Start streaming to `res`: what it missed (after lastEventId, or the current run), then live. */
  subscribe(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
    });
    res.write('retry: 1000\n\n');
    const lastId = Number(req.headers['last-event-id']);
    const first = this.replay[0];
    // Resume only when nothing in between was dropped; otherwise replay the whole current run,
    // which begins with 'run-started', on which the page starts afresh. Queued events go out with
    // the next flush, to this page too.
    const resumable = Number.isInteger(lastId) && first !== undefined && lastId >= first.seq - 1 && lastId >= this.droppedSeq;
    const from = resumable ? lastId : 0;
    const missed = this.replay.filter((n) => n.seq > from && n.seq <= this.flushedSeq);
    if (missed.length > 0) res.write(sseMessage(missed));
    this.clients.add(res);
    const drop = (): void => {
      this.clients.delete(res);
    };
    req.on('close', drop);
    res.on('error', drop);
  }

  flush(): void {
    if (this.pending.length === 0) return;
    const message = sseMessage(this.pending);
    this.flushedSeq = this.seq;
    this.pending = [];
    this.writeAll(message);
  }

  /** Send what is queued and end every stream (the server is closing). */
  close(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.heartbeatTimer);
    this.flush();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private writeAll(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  private trimReplay(): void {
    // Drop the oldest half of the light-request points; phases, imports and summaries stay.
    const requests = this.replay.filter((n) => n.event.type === 'run-event' && n.event.event.type === 'request');
    const drop = new Set(requests.slice(0, Math.ceil(requests.length / 2)));
    for (const n of drop) this.droppedSeq = Math.max(this.droppedSeq, n.seq);
    this.replay = this.replay.filter((n) => !drop.has(n));
  }
}
