import net from 'node:net';
import type { TransportId } from '../../registry.js';
import { TransportError, type PeerOptions } from '../../types.js';
import { startForkedPeer, type ChildOwner } from '../child-owner.js';
import { PeerBase } from '../peer-base.js';
import { PrivateTempDir } from '../temp-dir.js';
import { joinChunks, writeParts } from './parts.js';

// Parent side of the one-shot socket family (raw-socket, naive-socket): the peer listens on a Unix
// socket in our private temp dir; each message is one connection, and the end of the stream marks
// the end of the message (no framing).

/**
 * Sends one message on a fresh connection, ends our side, reads until the peer ends. Nothing
 * announces the reply's size, so `maxBytes` bounds what is read: past it the connection is dropped.
 */
export function sendAndReadToEnd(socketPath: string, parts: readonly Buffer[], sockets: Set<net.Socket>, maxBytes = Infinity): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath, allowHalfOpen: true });
    sockets.add(socket);
    const chunks: Buffer[] = [];
    let ended = false;
    socket.on('connect', () => {
      writeParts(socket, parts);
      socket.end();
    });
    let readBytes = 0;
    socket.on('data', (chunk: Buffer) => {
      readBytes += chunk.length;
      if (readBytes <= maxBytes) return void chunks.push(chunk);
      chunks.length = 0;
      reject(new TransportError('refused', `reply from ${socketPath} is above the maximum of ${maxBytes} bytes`));
      socket.destroy();
    });
    socket.on('end', () => {
      ended = true;
      resolve(joinChunks(chunks));
    });
    socket.on('error', (error) => {
      if (!ended) reject(new TransportError('error', `socket ${socketPath}: ${error.message}`));
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (!ended) reject(new TransportError('error', `socket ${socketPath} closed before the reply ended`));
    });
  });
}

/** A peer reached by one-shot connections: its open sockets die with a failed exchange and at close. */
export abstract class OneShotSocketPeer extends PeerBase {
  private readonly sockets = new Set<net.Socket>();

  constructor(
    protected readonly child: ChildOwner,
    dir: PrivateTempDir,
    private readonly socketPath: string,
    options: PeerOptions,
  ) {
    super(child, options, dir);
  }

  /** `work` bounded like every exchange; on failure no half-read connection is left open. */
  protected guardedExchange<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    return this.guarded(work, signal).catch((error: unknown) => {
      this.destroySockets();
      throw error;
    });
  }

  /** One message there and back; a broken connection is explained by the peer's end when it died. */
  protected sendAndReadToEnd(parts: readonly Buffer[]): Promise<Buffer> {
    return sendAndReadToEnd(this.socketPath, parts, this.sockets, this.options.maxMessageBytes).catch(async (error: TransportError) => {
      throw error.kind === 'refused' ? error : await this.child.explainLoss(error);
    });
  }

  private destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  protected override release(): void {
    this.destroySockets();
  }
}

/** Forks the peer with the path it listens on (argv: [socket path]); the temp dir goes on failure. */
export async function startOneShotSocketPeer<Peer>(
  transportId: TransportId,
  options: PeerOptions,
  makePeer: (child: ChildOwner, dir: PrivateTempDir, socketPath: string) => Peer,
): Promise<Peer> {
  const dir = PrivateTempDir.create(transportId);
  try {
    const socketPath = dir.socket('peer.sock');
    const child = await startForkedPeer(transportId, [socketPath], options);
    return makePeer(child, dir, socketPath);
  } catch (error) {
    await dir.remove();
    throw error;
  }
}
