import { bufferZlibCodec } from './buffer-zlib.js';
import { serveChunkedPeer } from './chunked-peer.js';
import { forkAdvancedCodec } from './fork-advanced.js';
import { forkJsonCodec } from './fork-json.js';
import { serveForkPeer } from './fork-peer.js';
import { serveNaiveSocketPeer } from './naive-socket-peer.js';
import { serveNodeIpcPeer } from './node-ipc-peer.js';
import { serveSocketPeer } from './socket-peer.js';
import type { TransportId } from './types.js';

// Entry point of every forked peer: argv = [transport id, ...that transport's arguments].

// The parent owns us: if it goes away (even by SIGKILL), the IPC channel closes and we leave too.
process.on('disconnect', () => process.exit(0));

const [transportId, ...args] = process.argv.slice(2) as [TransportId, ...string[]];

function requireArg(index: number, what: string): string {
  const value = args[index];
  if (value === undefined) throw new Error(`peer-child ${transportId}: missing argument ${index + 1} (${what})`);
  return value;
}

switch (transportId) {
  case 'fork-json':
    serveForkPeer(forkJsonCodec);
    break;
  case 'fork-advanced':
    serveForkPeer(forkAdvancedCodec);
    break;
  case 'buffer-zlib':
    serveForkPeer(bufferZlibCodec);
    break;
  case 'raw-socket':
    serveSocketPeer(requireArg(0, 'socket path'));
    break;
  case 'naive-socket':
    serveNaiveSocketPeer(requireArg(0, 'socket path'));
    break;
  case 'chunked':
    serveChunkedPeer(requireArg(0, 'socket path'), Number(requireArg(1, 'max message bytes')), Number(requireArg(2, 'frame bytes')));
    break;
  case 'node-ipc':
    serveNodeIpcPeer(requireArg(0, 'socket path'), requireArg(1, 'server id'));
    break;
  default:
    console.error(`peer-child: unknown transport '${transportId}' (args ${args.join(' ')})`);
    process.exit(2);
}
