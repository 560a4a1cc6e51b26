import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { IPCModule } from '@achrinza/node-ipc';
import { ChildOwner } from './child-owner.js';
import { configureIpc, NodeIpcEvent, type NodeIpcFailure, type NodeIpcResult, type NodeIpcWork } from './node-ipc-messages.js';
import { PrivateTempDir } from './temp-dir.js';
import { fromJsonWire, jsonMessageBytes, toJsonWire } from './wire-payload.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from './types.js';

// The talk's fourth iteration: node-ipc (@achrinza/node-ipc 10.1.11, the maintained fork of
// node-ipc 9), a server in the parent with an id, the forked child connects as its client. Its own
// IPC instance per peer (no shared global state) and its socket in our private temp dir, never the
// default /tmp/app.<id>.

type Answer = { type: 'result'; result: NodeIpcResult } | { type: 'failed'; failure: NodeIpcFailure };

class NodeIpcPeer implements TransportPeer {
  readonly pid: number;
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: Answer) => void>();
  private lastPeakRssBytes: number | null = null;

  constructor(
    private readonly ipc: IPCModule,
    private readonly socket: Socket,
    private readonly owner: ChildOwner,
    private readonly dir: PrivateTempDir,
    private readonly options: PeerOptions,
  ) {
    this.pid = owner.pid;
    const server = ipc.server;
    if (server === false) throw new Error('node-ipc server is not running');
    server.on(NodeIpcEvent.result, (data) => this.answer({ type: 'result', result: data as NodeIpcResult }));
    server.on(NodeIpcEvent.failed, (data) => this.answer({ type: 'failed', failure: data as NodeIpcFailure }));
  }

  private answer(answer: Answer): void {
    const message = answer.type === 'result' ? answer.result : answer.failure;
    this.lastPeakRssBytes = message.peakRssBytes;
    this.waiting.get(message.id)?.(answer);
  }

  exchange(job: Job, payload: Payload): Promise<ExchangeResult> {
    const id = this.nextId++;
    return this.owner.guard(this.run(id, job, payload), this.options.timeoutMs, `exchange ${id} with peer ${this.pid}`).finally(() => {
      this.waiting.delete(id);
    });
  }

  private async run(id: number, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const answered = new Promise<Answer>((resolve) => this.waiting.set(id, resolve));
    const work: NodeIpcWork = { id, job, body: toJsonWire(payload) };
    (this.ipc.server as Exclude<IPCModule['server'], false>).emit(this.socket, NodeIpcEvent.work, work);
    const answer = await answered;
    if (answer.type === 'failed') throw new TransportError('error', `peer ${this.pid}: ${answer.failure.message}`);
    const { result } = answer;
    return {
      reply: fromJsonWire(result.body),
      // node-ipc ends each message with '\f' where the fork channel has '\n': same count.
      bytesToPeer: jsonMessageBytes({ type: NodeIpcEvent.work, data: { ...work, body: null } }, result.requestBodyBytes),
      bytesFromPeer: jsonMessageBytes({ type: NodeIpcEvent.result, data: { ...result, body: null } }, result.replyBodyBytes),
      roundTripMs: performance.now() - startedMs,
    };
  }

  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(this.lastPeakRssBytes);
  }

  async close(): Promise<void> {
    this.waiting.clear();
    closeServer(this.ipc);
    await this.owner.close();
    await this.dir.remove();
  }
}

function closeServer(ipc: IPCModule): void {
  if (ipc.server === false) return;
  for (const socket of ipc.server.sockets) socket.destroy();
  try {
    ipc.server.stop();
  } catch {
    // not listening yet (start-up failed before it did): nothing to stop
  }
}

let serverCount = 0;

export const nodeIpcTransport: Transport = {
  id: 'node-ipc',
  title: 'node-ipc (@achrinza/node-ipc), JSON messages by type',
  talkIteration: 4,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const dir = PrivateTempDir.create('node-ipc');
    const ipc = new IPCModule();
    configureIpc(ipc.config);
    ipc.config.id = `ipc-lab-${process.pid}-${++serverCount}`;
    ipc.config.socketRoot = `${dir.dir}/`;
    const socketPath = dir.file('server.sock');
    let owner: ChildOwner | null = null;
    try {
      const listening = new Promise<void>((resolve) => ipc.serve(socketPath, resolve));
      const server = ipc.server as Exclude<IPCModule['server'], false>;
      const ready = new Promise<Socket>((resolve) => server.on(NodeIpcEvent.ready, (_data, socket) => resolve(socket)));
      server.start();
      await listening;
      owner = new ChildOwner({ transportId: 'node-ipc', args: [socketPath, ipc.config.id], childHeapMb: options.childHeapMb });
      const socket = await owner.guard(ready, options.timeoutMs, 'node-ipc peer start-up');
      return new NodeIpcPeer(ipc, socket, owner, dir, options);
    } catch (error) {
      closeServer(ipc);
      await owner?.close();
      await dir.remove();
      throw error;
    }
  },
};
