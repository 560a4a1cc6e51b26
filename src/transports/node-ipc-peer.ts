import { IPCModule } from '@achrinza/node-ipc';
import { configureIpc, NodeIpcEvent, type NodeIpcFailure, type NodeIpcResult, type NodeIpcWork } from './node-ipc-messages.js';
import { errorMessage, peakRssBytes, runJob } from './peer-jobs.js';
import { fromJsonWire, jsonWireBytes, toJsonWire } from './wire-payload.js';

/** Peer side of node-ipc: the client that connects to the parent's server. */
export function serveNodeIpcPeer(socketPath: string, serverId: string): void {
  const ipc = new IPCModule();
  configureIpc(ipc.config);
  ipc.config.id = `peer-${process.pid}`;
  ipc.connectTo(serverId, socketPath, () => {
    const server = ipc.of[serverId];
    if (server === undefined) throw new Error(`node-ipc: no connection object for ${serverId}`);
    server.on('connect', () => server.emit(NodeIpcEvent.ready, {}));
    server.on('disconnect', () => process.exit(0));
    server.on(NodeIpcEvent.work, (data) => {
      const work = data as NodeIpcWork;
      try {
        const requestBodyBytes = jsonWireBytes(work.body);
        const body = toJsonWire(runJob(work.job, fromJsonWire(work.body)));
        const result: NodeIpcResult = { id: work.id, body, peakRssBytes: peakRssBytes(), requestBodyBytes, replyBodyBytes: jsonWireBytes(body) };
        server.emit(NodeIpcEvent.result, result);
      } catch (error) {
        const failure: NodeIpcFailure = { id: work.id, message: errorMessage(error), peakRssBytes: peakRssBytes() };
        server.emit(NodeIpcEvent.failed, failure);
      }
    });
  });
}
