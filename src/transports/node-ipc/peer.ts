import { IPCModule } from '@achrinza/node-ipc';
import { errorMessage } from '../../format/error.js';
import { runJob } from '../common/jobs.js';
import { fromJsonWire, jsonWireBytes, toJsonWire } from '../common/json-wire.js';
import { ownPeakRssBytes } from '../common/peak-rss.js';
import { peerArgs, type PeerEntry } from '../common/peer-entry.js';
import { misbehaveMidReply, takeFaultForReply } from '../common/peer-fault.js';
import { configureIpc, NodeIpcEvent, type NodeIpcFailure, type NodeIpcResult, type NodeIpcWork } from './messages.js';

/**
 * Peer side of node-ipc (argv: socket path, server id): the client that connects to the parent's
 * server. A request it cannot run is answered with 'peer.failed'; when the server goes, so does it.
 */
export const nodeIpcPeer: PeerEntry = (args) => {
  const [socketPath, serverId] = peerArgs('node-ipc', args, ['socket path', 'server id']);
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
        const result: NodeIpcResult = { id: work.id, body, peakRssBytes: ownPeakRssBytes(), requestBodyBytes, replyBodyBytes: jsonWireBytes(body) };
        const fault = takeFaultForReply();
        server.emit(NodeIpcEvent.result, result);
        misbehaveMidReply(fault);
      } catch (error) {
        const failure: NodeIpcFailure = { id: work.id, message: errorMessage(error), peakRssBytes: ownPeakRssBytes() };
        server.emit(NodeIpcEvent.failed, failure);
      }
    });
  });
};
