import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { IPCModule } from '@achrinza/node-ipc';
import { ChildOwner } from '../common/child-owner.js';
import { fromJsonWire, jsonMessageBytes, toJsonWire } from '../common/json-wire.js';
import { PeerBase } from '../common/peer-base.js';
import { PendingReplies } from '../common/pending-replies.js';
import { PrivateTempDir } from '../common/temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import { configureIpc, NodeIpcEvent, type NodeIpcFailure, type NodeIpcResult, type NodeIpcWork } from './messages.js';

// Parent side of node-ipc (the protocol: messages.ts). The talk's fourth iteration: node-ipc
// (@achrinza/node-ipc 10.1.11, the maintained fork of node-ipc 9), a server in the parent with an
// id, the forked child connects as its client. Its own IPC instance per peer (no shared global
// state) and its socket in our private temp dir, never the default /tmp/app.<id>.

type Answer = { type: 'result'; result: NodeIpcResult } | { type: 'failed'; failure: NodeIpcFailure };

class NodeIpcPeer extends PeerBase {
  private readonly replies = new PendingReplies<Answer>();

  constructor(
    private readonly ipc: IPCModule,
    private readonly socket: Socket,
    owner: ChildOwner,
    dir: PrivateTempDir,
    options: PeerOptions,
  ) {
    super(owner, options, dir);
    const server = ipc.server;
    if (server === false) throw new Error('node-ipc server is not running');
    server.on(NodeIpcEvent.result, (data) => this.answer({ type: 'result', result: data as NodeIpcResult }));
    server.on(NodeIpcEvent.failed, (data) => this.answer({ type: 'failed', failure: data as NodeIpcFailure }));
  }

  private answer(answer: Answer): void {
    const message = answer.type === 'result' ? answer.result : answer.failure;
    this.lastPeakRssBytes = message.peakRssBytes;
    this.replies.settle(message.id, answer);
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.replies.withId((id, answered) => this.guarded(this.run(id, answered, job, payload), signal, `exchange ${id} with peer ${this.pid}`));
  }

  private async run(id: number, answered: Promise<Answer>, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
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

  protected override release(): void {
    this.replies.clear();
    closeServer(this.ipc);
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
    const socketPath = await dir.removedIfThrows(() => dir.socket('server.sock'));
    let owner: ChildOwner | null = null;
    try {
      const listening = new Promise<void>((resolve) => ipc.serve(socketPath, resolve));
      const server = ipc.server as Exclude<IPCModule['server'], false>;
      const ready = new Promise<Socket>((resolve) => server.on(NodeIpcEvent.ready, (_data, socket) => resolve(socket)));
      server.start();
      await listening;
      owner = new ChildOwner({
        transportId: 'node-ipc',
        args: [socketPath, ipc.config.id],
        childHeapMb: options.childHeapMb,
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
        ...(options.peerFault ? { peerFault: options.peerFault } : {}),
      });
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
