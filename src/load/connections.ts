import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A keep-alive Agent with one socket, connected before the phase starts. Opening every connection up
 * front, as autocannon does, matters under cluster: the primary hands each new connection to a worker
 * that is free at that moment, so connections opened lazily during an import would all avoid the busy
 * worker, while a real client's existing keep-alive connections stay stuck on it.
 */
class PreconnectedAgent extends http.Agent {
  constructor(private preconnected: net.Socket | null) {
    super({ keepAlive: true, maxSockets: 1 });
  }

  override createConnection(options: http.ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const socket = this.preconnected;
    this.preconnected = null;
    // Once used or closed (the server closed it, an error), connect anew as any Agent would.
    if (socket && socket.readyState === 'open') return socket;
    socket?.destroy();
    return super.createConnection(options, callback);
  }

  override destroy(): void {
    this.preconnected?.destroy();
    this.preconnected = null;
    super.destroy();
  }
}

/** Opens `count` connections to host:port; resolves once each is connected or has failed (a failed one reconnects on use). */
export async function openConnections(host: string, port: number, count: number, timeoutMs: number): Promise<http.Agent[]> {
  const sockets = Array.from({ length: count }, () => net.connect({ host, port }));
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => socket.destroy(), timeoutMs);
          socket.once('connect', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          // A socket that fails before its first request is replaced then; its error is not the phase's.
          socket.on('error', () => undefined);
        }),
    ),
  );
  return sockets.map((socket) => new PreconnectedAgent(socket));
}
