import net from 'node:net';

/**
 * Peer side of the one-shot socket family: listens on `socketPath` (allowHalfOpen, so the parent can
 * end its side to mark the end of its message while we still write the reply), hands each connection
 * to `onConnection`, and tells the parent it is ready once listening. A connection that errors is
 * dropped: the parent sees it end early and fails that exchange; the peer keeps serving.
 */
export function serveOneShotSocket(socketPath: string, onConnection: (socket: net.Socket) => void, ready: () => void): void {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    onConnection(socket);
  });
  server.listen(socketPath, ready);
}
